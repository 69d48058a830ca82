package layerfd.conformance.transport.internal;

import layerfd.conformance.internal.PeerConnection;
import layerfd.conformance.report.CheckFailed;
import layerfd.conformance.transport.PeerQuirks;
import layerfd.conformance.transport.TransportOptions;

/** The peer under test as the checks see it: each check opens its own connection, so one broken check is alone. */
public record TransportSession(TransportOptions options) {
    public PeerConnection connect() throws CheckFailed {
        return PeerConnection.open(options.socket(), options.fdpassOptions());
    }

    public boolean quirk(PeerQuirks quirk) {
        return options.quirks() == quirk;
    }

}
