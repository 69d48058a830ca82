package layerfd.client.objects.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import layerfd.client.ReflinkPolicy;
import layerfd.client.apply.ApplyException;
import layerfd.client.apply.ApplyException.Reason;
import layerfd.client.apply.Piece.ExternalFile;
import layerfd.client.apply.internal.ContentWriter;
import layerfd.client.apply.internal.Counters;
import layerfd.client.apply.internal.TarReader;
import layerfd.client.objects.FsVerityDigest;
import layerfd.linux.FileAttributes;
import layerfd.linux.FileIo;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;

/**
 * Puts file content into {@code objects/}: the digest is computed first, so content already in the store is never
 * written again; new content goes to a temporary file in {@code objects/} (by the reflink policy's chain for an
 * external file, as the extractor does it), is flushed and made read-only (0444), then published with link(2),
 * which never replaces an existing name: an object appears whole under its final name or not at all, and an
 * object another import published first is left alone. Small content is returned as bytes for the document.
 */
public final class ObjectWriter implements AutoCloseable {
    /** Read buffer for digests; one per import, so memory is constant whatever the file sizes. */
    static final int BUFFER_BYTES = 1024 * 1024;
    private static final long BUFFER_ALIGNMENT = 4096;
    private static final int OBJECT_MODE = 0444;
    private static final int TEMP_MODE = 0600;

    private final RepoLayout repo;
    private final Counters counters = new Counters();
    private final ContentWriter content;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(BUFFER_BYTES, BUFFER_ALIGNMENT);
    private final byte[] heapBuffer = new byte[BUFFER_BYTES];
    /** Digests this import already settled: counted once, never looked up twice. */
    private final Set<String> settled = new HashSet<>();
    private long newObjects;
    private long presentObjects;

    public ObjectWriter(RepoLayout repo, ReflinkPolicy policy) {
        this.repo = repo;
        this.content = new ContentWriter(policy, counters);
    }

    /** The whole content of an external file of at most {@code size} bytes, for inlining. */
    public byte[] read(ExternalFile file, int size, String entry) throws IOException {
        byte[] out = new byte[size];
        int done = 0;
        while (done < size) {
            long n = FileIo.pread(file.fd().get(), buffer.asSlice(0, size - done), done);
            if (n == 0) {
                throw ended(entry, done, size);
            }
            MemorySegment.copy(buffer, JAVA_BYTE, 0, out, done, (int) n);
            done += (int) n;
        }
        return out;
    }

    /** Stores an external file's content (already size-checked against its header); returns its digest. */
    public String storeExternal(ExternalFile file, long size, String entry) throws IOException {
        String digest = digestOf(file.fd().get(), size, entry);
        if (settle(digest)) {
            return digest;
        }
        Path temp = RepoLayout.temp(repo.objects());
        try {
            try (OwnedFd out = Open.open(temp.toString(), Open.O_WRONLY | Open.O_CREAT | Open.O_EXCL
                    | Open.O_CLOEXEC, TEMP_MODE)) {
                content.fromExternal(file, out.get(), size, entry);
                FileAttributes.fchmod(out.get(), OBJECT_MODE);
            }
            publish(temp, digest);
        } finally {
            Files.deleteIfExists(temp);
        }
        return digest;
    }

    /** Stores the current entry's inline data, streamed into a temporary file while digested; returns the digest. */
    public String storeInline(TarReader reader, long size, String entry) throws IOException {
        Path temp = RepoLayout.temp(repo.objects());
        try {
            FsVerityDigest verity = new FsVerityDigest();
            try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")))) {
                reader.transferInlineData((bytes, offset, length) -> {
                    verity.update(bytes, offset, length);
                    ByteBuffer slice = ByteBuffer.wrap(bytes, offset, length);
                    while (slice.hasRemaining()) {
                        out.write(slice);
                    }
                });
            }
            String digest = verity.finish();
            if (!settle(digest)) {
                counters.bytesCopied += size;
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("r--r--r--"));
                publish(temp, digest);
            }
            return digest;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The current entry's inline data as bytes (small files, inlined in the document). */
    public static byte[] readInline(TarReader reader) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reader.transferInlineData(out::write);
        return out.toByteArray();
    }

    /**
     * true when {@code digest} needs no writing: this import met it before, or the store has it (counted as
     * present). false counts nothing yet: {@link #publish} decides between new and present.
     */
    private boolean settle(String digest) {
        if (!settled.add(digest)) {
            return true;
        }
        if (Files.exists(repo.object(digest), LinkOption.NOFOLLOW_LINKS)) {
            presentObjects++;
            return true;
        }
        return false;
    }

    /** fsync, then link(2) to the final name: atomic, and it never replaces an object that is already there. */
    private void publish(Path temp, String digest) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.READ)) {
            ch.force(true); // the data is on disk before any document can name it
        }
        Path object = repo.object(digest);
        Files.createDirectories(object.getParent());
        try {
            Files.createLink(object, temp);
            newObjects++;
        } catch (FileAlreadyExistsException e) {
            presentObjects++; // a concurrent import published the same content first
        }
    }

    private String digestOf(int fd, long size, String entry) throws IOException {
        FsVerityDigest verity = new FsVerityDigest();
        long done = 0;
        while (done < size) {
            long n = FileIo.pread(fd, buffer.asSlice(0, Math.min(BUFFER_BYTES, size - done)), done);
            if (n == 0) {
                throw ended(entry, done, size);
            }
            MemorySegment.copy(buffer, JAVA_BYTE, 0, heapBuffer, 0, (int) n);
            verity.update(heapBuffer, 0, (int) n);
            done += n;
        }
        return verity.finish();
    }

    private static ApplyException ended(String entry, long at, long size) {
        return new ApplyException(Reason.INTEGRITY, "entry '" + entry + "': the external file ended at byte " + at
                + " of " + size + " while it was read (integrity error)");
    }

    public long newObjects() {
        return newObjects;
    }

    public long presentObjects() {
        return presentObjects;
    }

    public long bytesReflinked() {
        return counters.bytesReflinked;
    }

    public long bytesCopied() {
        return counters.bytesCopied;
    }

    @Override
    public void close() {
        try {
            content.close();
        } finally {
            arena.close();
        }
    }
}
