package layerfd.protocol.splitfdstream;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import layerfd.linux.OwnedFd;

/**
 * The file offset an fd shares with every other holder of its open file description: set it as a sender that
 * read the file would have (lseek(2)), and read it back from /proc/self/fdinfo to prove nobody moved it.
 */
final class SharedOffset {
    private static final int SEEK_SET = 0;
    private static final MethodHandle LSEEK = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("lseek").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));

    private SharedOffset() {}

    static void set(OwnedFd fd, long offset) throws Throwable {
        long result = (long) LSEEK.invokeExact(fd.get(), offset, SEEK_SET);
        if (result != offset) {
            throw new AssertionError("lseek(" + fd + ", " + offset + ") returned " + result);
        }
    }

    static long get(OwnedFd fd) throws Exception {
        String info = Files.readString(Path.of("/proc/self/fdinfo/" + fd.get()));
        return Long.parseLong(info.lines().filter(l -> l.startsWith("pos:")).findFirst().orElseThrow()
                .substring("pos:".length()).trim());
    }
}
