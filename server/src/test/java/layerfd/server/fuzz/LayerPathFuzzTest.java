package layerfd.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import layerfd.server.tarsplit.LayerPath;
import layerfd.server.tarsplit.UnsafeLayerPathException;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LayerPath#clean} against a specification written out here (containers-storage brief §7, "Path safety"):
 * split the name at '/', drop empty and "." parts; a ".." part or a NUL byte refuses the name, and so does nothing
 * left; otherwise the parts joined by '/' are the result. Also: the result is a fixed point of clean and stays
 * beneath any directory it is resolved against.
 */
class LayerPathFuzzTest {
    private static final Path LAYER = Path.of("/layer");

    @FuzzTest
    @Timeout(10)
    void cleanKeepsEveryNameInsideTheLayer(byte[] name) throws UnsafeLayerPathException {
        byte[] expected = specification(name);
        byte[] cleaned;
        try {
            cleaned = LayerPath.clean(name);
        } catch (UnsafeLayerPathException e) {
            assertTrue(expected == null, "refused a safe name: " + e.getMessage());
            assertTrue(e.getMessage().startsWith("refusing tar-split name "), e.getMessage());
            return;
        }
        if (expected == null) {
            fail("accepted an unsafe name as " + Arrays.toString(cleaned));
        }
        assertArrayEquals(expected, cleaned);
        assertArrayEquals(cleaned, LayerPath.clean(cleaned), "clean is not idempotent");
        Path resolved = LAYER.resolve(new String(cleaned, StandardCharsets.ISO_8859_1)).normalize();
        assertTrue(resolved.startsWith(LAYER) && !resolved.equals(LAYER), resolved.toString());
    }

    /** The cleaned name, or null when it must be refused. */
    private static byte[] specification(byte[] name) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= name.length; i++) {
            if (i == name.length || name[i] == '/') {
                byte[] part = Arrays.copyOfRange(name, start, i);
                start = i + 1;
                if (Arrays.equals(part, new byte[] {'.', '.'})) {
                    return null;
                }
                if (part.length == 0 || Arrays.equals(part, new byte[] {'.'})) {
                    continue;
                }
                for (byte b : part) {
                    if (b == 0) {
                        return null;
                    }
                }
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            if (out.size() > 0) {
                out.write('/');
            }
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
