package layerfd.client.objects.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The repository's exclusive lock, {@code REPO/.lock}: held while an import checks its objects and publishes its
 * document, and while repair deletes corrupt objects, so a document never goes live referencing an object that is
 * being deleted. Between processes it is a POSIX record lock (FileChannel.lock, fcntl F_SETLKW); inside one JVM,
 * where such locks do not exclude each other (the JVM throws OverlappingFileLockException instead), a
 * ReentrantLock per repository path is taken first.
 */
public final class RepoLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private RepoLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** Blocks until the repository's lock is held. */
    public static RepoLock acquire(RepoLayout repo) throws IOException {
        Path file = repo.lockFile().toAbsolutePath().normalize();
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        threadLock.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new RepoLock(threadLock, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            threadLock.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            fileLock.release();
        } finally {
            threadLock.unlock();
        }
    }
}
