package layerfd.protocol.fdpass;

/** SO_PEERCRED of a connection: who the process at the other end was when it connected. */
public record PeerCredentials(long uid, long gid, long pid) {}
