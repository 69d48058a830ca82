package layerfd.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import layerfd.testing.OpenFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxSyscallsTest {
    @TempDir
    Path dir;

    @Test
    void memfdSealedImmutableRefusesWritesAndReportsSeals() throws Exception {
        int before = OpenFds.count();
        try (OwnedFd fd = MemFd.create("splitfdstream"); Arena arena = Arena.ofConfined()) {
            FileIo.pwriteFully(fd.get(), arena.allocateFrom("hello", StandardCharsets.US_ASCII), 0);
            MemFd.sealImmutable(fd.get());
            assertEquals(MemFd.IMMUTABLE_SEALS, Fcntl.seals(fd.get()));
            LinuxException e = assertThrows(LinuxException.class,
                    () -> FileIo.pwrite(fd.get(), arena.allocateFrom("x", StandardCharsets.US_ASCII), 0));
            assertEquals(Errno.EPERM, e.errno());
            assertEquals(6, FileIo.stat(fd.get()).size(), "allocateFrom adds a NUL terminator");
            assertTrue(Fcntl.isCloseOnExec(fd.get()));
            assertTrue(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.get())).toString()
                    .startsWith("/memfd:splitfdstream"));
        }
        assertEquals(before, OpenFds.count());
    }

    @Test
    void ownedFdClosesOnceAndDupIsCloseOnExec() throws Exception {
        OwnedFd fd = MemFd.create("t");
        int raw = fd.get();
        OwnedFd copy = fd.dup();
        assertTrue(Fcntl.isCloseOnExec(copy.get()));
        fd.close();
        fd.close();
        assertFalse(fd.isOpen());
        assertFalse(Fcntl.isOpen(raw) && raw != copy.get());
        assertThrows(IllegalStateException.class, fd::get);
        int released = copy.release();
        assertTrue(Fcntl.isOpen(released));
        OwnedFd.adopt(released).close();
        assertFalse(Fcntl.isOpen(released));
    }

    @Test
    void openat2StaysBeneathAndRefusesSymlinksAndDotDot() throws Exception {
        Path layer = Files.createDirectories(dir.resolve("layer/etc"));
        Files.writeString(layer.resolve("hosts"), "127.0.0.1 localhost\n");
        Files.writeString(dir.resolve("secret"), "outside");
        Files.createSymbolicLink(layer.resolve("link"), dir.resolve("secret"));
        Files.createSymbolicLink(dir.resolve("layer/etc2"), Path.of("etc"));
        long beneath = Open.RESOLVE_BENEATH | Open.RESOLVE_NO_SYMLINKS;
        try (OwnedFd root = Open.open(dir.resolve("layer").toString(), Open.O_PATH | Open.O_DIRECTORY | Open.O_CLOEXEC, 0)) {
            try (OwnedFd hosts = Open.openat2(root.get(), bytes("etc/hosts"), Open.O_RDONLY | Open.O_CLOEXEC, 0, beneath);
                 Arena arena = Arena.ofConfined()) {
                assertEquals(Fcntl.O_RDONLY, Fcntl.accessMode(hosts.get()));
                MemorySegment buf = arena.allocate(64);
                long n = FileIo.pread(hosts.get(), buf, 0);
                assertEquals("127.0.0.1 localhost\n", new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
                assertTrue(FileIo.stat(hosts.get()).isRegularFile());
            }
            assertEquals(Errno.EXDEV, assertThrows(LinuxException.class,
                    () -> Open.openat2(root.get(), bytes("../secret"), Open.O_RDONLY, 0, beneath)).errno());
            assertEquals(Errno.ELOOP, assertThrows(LinuxException.class,
                    () -> Open.openat2(root.get(), bytes("etc/link"), Open.O_RDONLY, 0, beneath)).errno());
            assertEquals(Errno.ELOOP, assertThrows(LinuxException.class,
                    () -> Open.openat2(root.get(), bytes("etc2/hosts"), Open.O_RDONLY, 0, beneath)).errno());
            assertEquals(Errno.EXDEV, assertThrows(LinuxException.class,
                    () -> Open.openat2(root.get(), bytes("/etc/passwd"), Open.O_RDONLY, 0, beneath)).errno());
        }
    }

    @Test
    void nonUtf8NamesReachTheKernelAsBytes() throws Exception {
        byte[] name = {'f', (byte) 0xff, (byte) 0xfe, '.', 't', 'x', 't'};
        try (OwnedFd d = Open.open(dir.toString(), Open.O_PATH | Open.O_DIRECTORY | Open.O_CLOEXEC, 0);
             OwnedFd f = Open.openat2(d.get(), name, Open.O_WRONLY | Open.O_CREAT | Open.O_EXCL | Open.O_CLOEXEC, 0644,
                     Open.RESOLVE_BENEATH)) {
            assertTrue(f.isOpen());
        }
        assertEquals("f\\xff\\xfe.txt", Open.printable(name));
        try (var entries = Files.list(dir)) {
            assertEquals(1, entries.count());
        }
    }

    @Test
    void copyFileRangeCopiesAtOffsetsWithoutMovingThem() throws Exception {
        Path src = dir.resolve("src");
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Files.write(src, data);
        Path dst = dir.resolve("dst");
        try (OwnedFd in = Open.open(src.toString(), Open.O_RDONLY | Open.O_CLOEXEC, 0);
             OwnedFd out = Open.open(dst.toString(), Open.O_WRONLY | Open.O_CREAT | Open.O_CLOEXEC, 0600)) {
            long done = 0;
            while (done < data.length) {
                long n = Reflink.copyFileRange(in.get(), done, out.get(), done, data.length - done);
                assertTrue(n > 0);
                done += n;
            }
            int errno = Reflink.ficlone(out.get(), in.get());
            assertTrue(errno == 0 || errno == Errno.EOPNOTSUPP || errno == Errno.EXDEV || errno == Errno.EINVAL,
                    "FICLONE answers success or a refusal the fallback chain knows: " + Errno.name(errno));
        }
        assertArrayEquals(data, Files.readAllBytes(dst));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void lstatAtSeesTheEntryItselfAndAnswersNullForAMissingOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("file"), "12345");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("/etc/passwd"));
        try (OwnedFd d = Open.open(dir.toString(), Open.O_RDONLY | Open.O_DIRECTORY | Open.O_CLOEXEC, 0)) {
            Stat file = FileIo.lstatAt(d.get(), "file".getBytes(StandardCharsets.UTF_8));
            assertEquals(5, file.size());
            assertEquals(0100000, file.mode() & 0170000, "a regular file");
            Stat link = FileIo.lstatAt(d.get(), "link".getBytes(StandardCharsets.UTF_8));
            assertEquals(0120000, link.mode() & 0170000, "the symlink itself, not /etc/passwd");
            assertEquals(null, FileIo.lstatAt(d.get(), "missing".getBytes(StandardCharsets.UTF_8)));
            for (String notOne : new String[] {"", ".", "..", "a/b", "../etc"}) {
                assertThrows(IllegalArgumentException.class,
                        () -> FileIo.lstatAt(d.get(), notOne.getBytes(StandardCharsets.UTF_8)), notOne);
            }
        }
    }
}
