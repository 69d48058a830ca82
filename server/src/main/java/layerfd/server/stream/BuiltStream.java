package layerfd.server.stream;

import layerfd.linux.OwnedFd;

/**
 * A finished splitfdstream: the sealed memfd (offset 0), its length, the length of the tar it rebuilds and how many
 * external files it references. The caller owns {@code memfd}.
 */
public record BuiltStream(OwnedFd memfd, long streamSize, long tarSize, int externalFiles) implements AutoCloseable {
    @Override
    public void close() {
        memfd.close();
    }
}
