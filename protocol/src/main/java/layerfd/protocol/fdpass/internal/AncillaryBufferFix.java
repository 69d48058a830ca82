package layerfd.protocol.fdpass.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.newsclub.net.unix.AFSocket;

/**
 * Sets junixsocket's ancillary (control message) receive buffer to the size we ask for.
 *
 * <p>WHY: junixsocket 2.11.1 {@code AFSocket.setAncillaryReceiveBufferSize(n)} clamps every n &gt; 0 to 256 bytes
 * ({@code Math.max(256, Math.min(MIN_ANCBUF_LEN, n))}), room for only 60 fds. The Rust and Go jsonrpc-fdpass peers
 * send up to 253 fds per sendmsg; with more than 60 the kernel sets MSG_CTRUNC, junixsocket turns that into ENOBUFS
 * ("No buffer space available") before handing over the fds that did arrive (they leak) and drops the data bytes
 * of that read. The package-private {@code setAncillaryReceiveBufferSize0} sets the size unclamped
 * (java-platform.md §2.3). It is reached by reflection, which works on the class path without --add-opens.
 */
final class AncillaryBufferFix {
    private AncillaryBufferFix() {}

    static void apply(AFSocket<?> socket, int bytes) {
        try {
            Field impl = AFSocket.class.getDeclaredField("impl");
            impl.setAccessible(true);
            Method support = Class.forName("org.newsclub.net.unix.AFSocketImpl")
                    .getDeclaredMethod("getAncillaryDataSupport");
            support.setAccessible(true);
            Object ancillary = support.invoke(impl.get(socket));
            Method setUnclamped = ancillary.getClass().getDeclaredMethod("setAncillaryReceiveBufferSize0", int.class);
            setUnclamped.setAccessible(true);
            setUnclamped.invoke(ancillary, bytes);
        } catch (ReflectiveOperationException e) {
            // A junixsocket upgrade changed its internals: receiving more than 60 fds at once would fail, so refuse.
            throw new IllegalStateException("cannot size junixsocket's ancillary receive buffer (junixsocket "
                    + AFSocket.getVersion() + " internals changed): " + e, e);
        }
    }
}
