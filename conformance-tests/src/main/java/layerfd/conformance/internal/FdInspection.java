package layerfd.conformance.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import layerfd.linux.Fcntl;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;

/** What a received fd is, read from /proc/self: its link target, memfd name and current file offset. */
public final class FdInspection {
    private static final String MEMFD_PREFIX = "/memfd:";
    /** A memfd's link target ends in this once it has no name in the filesystem (always, for memfds). */
    private static final String DELETED_SUFFIX = " (deleted)";
    private static final String POSITION_FIELD = "pos:";

    private FdInspection() {}

    /** readlink /proc/self/fd/N, e.g. {@code /memfd:splitfdstream (deleted)} or {@code pipe:[1234]}. */
    public static String target(OwnedFd fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd.get()))).toString();
    }

    /** The memfd name (without {@code memfd:} and {@code (deleted)}), or null when {@code fd} is no memfd. */
    public static String memfdName(OwnedFd fd) throws IOException {
        String target = target(fd);
        if (!target.startsWith(MEMFD_PREFIX)) {
            return null;
        }
        String name = target.substring(MEMFD_PREFIX.length());
        return name.endsWith(DELETED_SUFFIX) ? name.substring(0, name.length() - DELETED_SUFFIX.length()) : name;
    }

    /** The fd's file offset, the {@code pos:} line of /proc/self/fdinfo/N (the offset is shared with the sender). */
    public static long position(OwnedFd fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(fd.get())))) {
            if (line.startsWith(POSITION_FIELD)) {
                return Long.parseLong(line.substring(POSITION_FIELD.length()).trim());
            }
        }
        throw new IOException("no " + POSITION_FIELD + " line in /proc/self/fdinfo/" + fd.get());
    }

    /** "read-only", "write-only" or "read-write": the O_ACCMODE of the fd's open file description. */
    public static String accessMode(OwnedFd fd) throws IOException {
        return switch (Fcntl.accessMode(fd.get())) {
            case Open.O_RDONLY -> "read-only";
            case Open.O_WRONLY -> "write-only";
            default -> "read-write";
        };
    }
}
