package layerfd.client.apply;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A layer's tar as a sequence of {@link Piece}s, read once front to back. Whoever calls {@link #next()} owns the
 * piece it returns; {@link #close()} releases every piece not yet handed out and may be called more than once.
 */
public interface LayerInput extends AutoCloseable {

    /** The next piece, or {@code null} at the end of the layer. */
    Piece next() throws IOException;

    @Override
    void close() throws IOException;

    /** A layer input over pieces already at hand; it takes ownership of all of them. */
    static LayerInput of(List<? extends Piece> pieces) {
        Deque<Piece> queue = new ArrayDeque<>(pieces);
        return new LayerInput() {
            @Override
            public Piece next() {
                return queue.pollFirst();
            }

            @Override
            public void close() {
                for (Piece p; (p = queue.pollFirst()) != null; ) {
                    p.close();
                }
            }
        };
    }
}
