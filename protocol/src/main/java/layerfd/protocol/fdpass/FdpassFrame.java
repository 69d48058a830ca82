package layerfd.protocol.fdpass;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import layerfd.linux.OwnedFd;

/**
 * One received jsonrpc-fdpass message: its exact JSON bytes, the parsed object and the fds it announced in its
 * top-level {@code "fds"} field, positions 0..N-1 (README §3.2). The frame owns the fds; {@link #close()} closes
 * every fd nobody took with {@link #takeFd(int)} or {@link #takeFds()}. The object node must not be modified.
 */
public final class FdpassFrame implements AutoCloseable {
    private final byte[] bytes;
    private final ObjectNode json;
    private final List<OwnedFd> fds;

    public FdpassFrame(byte[] bytes, ObjectNode json, List<OwnedFd> fds) {
        this.bytes = bytes.clone();
        this.json = json;
        this.fds = List.copyOf(fds);
    }

    /** The message exactly as it was on the wire (without surrounding whitespace). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public ObjectNode json() {
        return json;
    }

    public int fdCount() {
        return fds.size();
    }

    /** The fds by position, still owned by this frame (closed or released ones included). */
    public List<OwnedFd> fds() {
        return fds;
    }

    /** Moves the fd at {@code position} out of the frame: the caller owns the result, the frame forgets it. */
    public OwnedFd takeFd(int position) {
        return OwnedFd.adopt(fds.get(position).release());
    }

    /** Moves every fd still held, in position order. */
    public List<OwnedFd> takeFds() {
        List<OwnedFd> taken = new ArrayList<>(fds.size());
        for (OwnedFd fd : fds) {
            if (fd.isOpen()) {
                taken.add(OwnedFd.adopt(fd.release()));
            }
        }
        return taken;
    }

    @Override
    public void close() {
        fds.forEach(OwnedFd::close);
    }

    @Override
    public String toString() {
        return "FdpassFrame(" + bytes.length + " bytes, fds=" + fds.size() + ")";
    }
}
