package layerfd.client.testing;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file offset of a descriptor: moved with lseek(2), read back from /proc/self/fdinfo. A received fd shares its
 * offset with the sender, so tests set it somewhere odd and check that the applier neither relies on it nor moves it.
 */
public final class FileOffsets {
    private static final int SEEK_SET = 0;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle LSEEK = LINKER.downcallHandle(
            LINKER.defaultLookup().find("lseek").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));

    private FileOffsets() {}

    public static void seek(int fd, long offset) {
        try {
            if ((long) LSEEK.invokeExact(fd, offset, SEEK_SET) != offset) {
                throw new IllegalStateException("lseek failed on fd " + fd);
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The "pos:" line of /proc/self/fdinfo/FD. */
    public static long position(int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("pos:")) {
                    return Long.parseLong(line.substring(4).trim());
                }
            }
            throw new IllegalStateException("no pos: in fdinfo of " + fd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
