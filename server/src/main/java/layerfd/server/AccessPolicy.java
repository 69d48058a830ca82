package layerfd.server;

import java.util.Set;
import java.util.TreeSet;
import layerfd.protocol.fdpass.PeerCredentials;

/**
 * Who may talk to the server, decided from SO_PEERCRED at accept (api-contract §2): a peer whose uid is in
 * {@code uids} or whose primary gid is in {@code gids}. SO_PEERCRED carries only the primary gid, so supplementary
 * groups of the peer do not count.
 */
public record AccessPolicy(Set<Long> uids, Set<Long> gids) {
    public static final long ROOT_UID = 0;

    public AccessPolicy {
        uids = Set.copyOf(uids);
        gids = Set.copyOf(gids);
    }

    /** The contract's default: uid 0 and the server's own uid, plus the extra uids and gids given. */
    public static AccessPolicy defaults(long serverUid, Set<Long> extraUids, Set<Long> extraGids) {
        Set<Long> uids = new TreeSet<>(extraUids);
        uids.add(ROOT_UID);
        uids.add(serverUid);
        return new AccessPolicy(uids, extraGids);
    }

    public boolean allows(PeerCredentials peer) {
        return uids.contains(peer.uid()) || gids.contains(peer.gid());
    }

    @Override
    public String toString() {
        return "uids " + new TreeSet<>(uids) + ", gids " + new TreeSet<>(gids);
    }
}
