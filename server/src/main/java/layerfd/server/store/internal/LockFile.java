package layerfd.server.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import layerfd.server.store.StoreException;
import layerfd.server.store.StoreException.Kind;

/**
 * A containers-storage lock file ({@code layers.lock}, {@code images.lock}) held shared, the way a read-only Go
 * reader holds it (containers-storage.md §4, "What a Java read-only reader must do"):
 * <ul>
 *   <li>one READ channel per lock file per process, opened once and never closed: these are classic POSIX record
 *       locks, and closing any descriptor of the file would drop every lock this process holds on it (point 2);</li>
 *   <li>{@code FileChannel.lock(0, Long.MAX_VALUE, true)}, which OpenJDK turns into
 *       {@code fcntl(F_SETLKW, F_RDLCK, l_start=0, l_len=0)}, exactly Go's shared lock (point 1);</li>
 *   <li>a count so that concurrent readers in this JVM share one OS lock: the first takes it, the last releases it
 *       (point 3; the JVM would throw OverlappingFileLockException on a second lock). Go guards the count with an
 *       RWMutex because it also writes; this reader only ever shares, so a mutex around the count is enough;</li>
 *   <li>the 64-byte last-write token read through the same channel, compared as opaque bytes (§4 "Token").</li>
 * </ul>
 * Nothing here creates or writes the file: a missing lock file is an error, never an unlocked read (point 6).
 */
public final class LockFile {
    /** §4: the token is at most 64 bytes at offset 0; a short or empty read is a valid state. */
    public static final int TOKEN_BYTES = 64;

    private static final ConcurrentHashMap<Path, LockFile> OPEN = new ConcurrentHashMap<>();

    private final Path path;
    private final ReentrantLock mutex = new ReentrantLock();
    private FileChannel channel;
    private FileLock lock;
    private int holders;
    private byte[] token = new byte[0];

    private LockFile(Path path) {
        this.path = path;
    }

    /** The process-wide lock object for {@code path} (resolved to its real path, so aliases share one channel). */
    public static LockFile of(Path path) throws StoreException {
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw missing(path);
        } catch (IOException e) {
            throw new StoreException(Kind.IO_OR_INTEGRITY, "cannot resolve lock file " + path + ": " + e, e);
        }
        return OPEN.computeIfAbsent(real, LockFile::new);
    }

    public Path path() {
        return path;
    }

    /**
     * Takes (or joins) the shared lock, blocking while a writer holds the file, and returns the last-write token as
     * it was when the OS lock was taken. While any holder remains, no writer can change it.
     */
    public byte[] acquireShared() throws StoreException {
        mutex.lock();
        try {
            if (holders == 0) {
                FileChannel ch = channel();
                try {
                    lock = ch.lock(0, Long.MAX_VALUE, true);
                    token = readToken(ch);
                } catch (IOException e) {
                    abandon();
                    throw new StoreException(Kind.IO_OR_INTEGRITY, "cannot lock " + path + " shared: " + e, e);
                } catch (OverlappingFileLockException e) {
                    // Someone in this JVM locked the file through another channel, bypassing this class.
                    throw new StoreException(Kind.IO_OR_INTEGRITY, "cannot lock " + path + " shared: this process "
                            + "already holds a lock on it outside the store reader", e);
                }
            }
            holders++;
            return token.clone();
        } finally {
            mutex.unlock();
        }
    }

    /** Leaves the shared lock; the last holder releases the OS lock (the channel stays open). */
    public void releaseShared() {
        mutex.lock();
        try {
            if (holders == 0) {
                throw new IllegalStateException("lock on " + path + " released more often than acquired");
            }
            if (--holders == 0) {
                try {
                    lock.release();
                } catch (IOException e) {
                    abandon(); // the channel was closed (interrupt), and with it the OS lock: nothing left to release
                } finally {
                    lock = null;
                }
            }
        } finally {
            mutex.unlock();
        }
    }

    /** How many holders in this JVM share the OS lock right now. */
    public int holders() {
        mutex.lock();
        try {
            return holders;
        } finally {
            mutex.unlock();
        }
    }

    private FileChannel channel() throws StoreException {
        if (channel == null || !channel.isOpen()) {
            try {
                channel = FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw missing(path);
            } catch (IOException e) {
                throw new StoreException(Kind.IO_OR_INTEGRITY, "cannot open lock file " + path + ": " + e, e);
            }
        }
        return channel;
    }

    private static byte[] readToken(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(TOKEN_BYTES);
        while (buf.hasRemaining()) {
            if (ch.read(buf, buf.position()) <= 0) {
                break;
            }
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    /**
     * An interrupted channel operation closes the channel (and so drops the OS lock). Only reached with no other
     * holder in this JVM, so forgetting the channel loses nothing; the next acquire opens a fresh one.
     */
    private void abandon() {
        lock = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already closed by the interrupt that brought us here
            }
            channel = null;
        }
    }

    private static StoreException missing(Path path) {
        return new StoreException(Kind.IO_OR_INTEGRITY, "lock file " + path + " does not exist: layerfd never "
                + "creates files in a store and will not read it unlocked");
    }
}
