package layerfd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import layerfd.protocol.fdpass.PeerCredentials;
import org.junit.jupiter.api.Test;

/** The allow list and the socket-activation variables, decided without processes. */
class AccessAndActivationTest {
    private static final long SERVER_UID = 1000;
    private static final long PID = 4711;

    @Test
    void defaultAllowListIsRootAndTheServersUidPlusExtras() {
        AccessPolicy policy = AccessPolicy.defaults(SERVER_UID, Set.of(2000L), Set.of(3000L));
        assertTrue(policy.allows(new PeerCredentials(0, 99, 1)));
        assertTrue(policy.allows(new PeerCredentials(SERVER_UID, 99, 1)));
        assertTrue(policy.allows(new PeerCredentials(2000, 99, 1)));
        assertTrue(policy.allows(new PeerCredentials(5555, 3000, 1)), "primary gid on the list");
        assertFalse(policy.allows(new PeerCredentials(5555, 99, 1)));
        assertEquals(Set.of(0L, SERVER_UID, 2000L), policy.uids());
    }

    @Test
    void socketActivationNeedsOurPidAndAtLeastOneFd() {
        assertEquals(OptionalInt.of(SystemdActivation.LISTEN_FDS_START),
                SystemdActivation.listeningFd(Map.of("LISTEN_PID", "4711", "LISTEN_FDS", "1"), PID));
        assertEquals(OptionalInt.of(SystemdActivation.LISTEN_FDS_START),
                SystemdActivation.listeningFd(Map.of("LISTEN_PID", "4711", "LISTEN_FDS", "2"), PID));
        assertEquals(OptionalInt.empty(), SystemdActivation.listeningFd(Map.of("LISTEN_PID", "1",
                "LISTEN_FDS", "1"), PID), "variables meant for another process");
        assertEquals(OptionalInt.empty(), SystemdActivation.listeningFd(Map.of("LISTEN_PID", "4711",
                "LISTEN_FDS", "0"), PID));
        assertEquals(OptionalInt.empty(), SystemdActivation.listeningFd(Map.of("LISTEN_PID", "x",
                "LISTEN_FDS", "1"), PID));
        assertEquals(OptionalInt.empty(), SystemdActivation.listeningFd(Map.of(), PID));
    }
}
