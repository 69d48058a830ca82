package layerfd.protocol.fdpass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import layerfd.linux.Fcntl;
import layerfd.linux.OwnedFd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** FdpassSocket end to end over real socketpairs and socket files; upstream checklist numbers in brackets. */
@ExtendWith(NoFdLeaks.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FdpassSocketTest {

    @Test
    void refusedConnectionsLeaveNoDescriptorBehind(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path stale = java.nio.file.Files.createFile(dir.resolve("stale.sock"));
        for (int i = 0; i < 20; i++) {
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> FdpassSocket.connect(stale));
        }
        // NoFdLeaks (this class's extension) fails the test if any of the 20 attempts left its socket open.
    }

    @Test
    void messageWithoutFdsIsSentCompactWithoutFdsKey() throws Exception { // [Rust 3, 16; Go 49]
        try (RawPeer.Pair pair = RawPeer.pair()) {
            pair.socket().sender().send(Json.object("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"fds\":0}"), List.of());
            RawPeer.Read read = pair.raw().read();
            assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"echo\"}", read.text());
            assertEquals(0, read.fdCount());
        }
    }

    @Test
    void messageWithOneFdIsSentWithFdsOneAndTheFdOnByteZero() throws Exception { // [Rust 2]
        try (RawPeer.Pair pair = RawPeer.pair()) {
            pair.socket().sender().send(Json.object("{\"method\":\"read\"}"), List.of(TestFds.memfd("x")));
            RawPeer.Read read = pair.raw().read();
            assertEquals("{\"method\":\"read\",\"fds\":1}", read.text());
            assertEquals(1, read.fdCount());
        }
    }

    @Test
    void oneFdArrivesAtPositionZeroWithItsContent() throws Exception { // [Rust 4, 17]
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            pair.first().sender().send(Json.object("{\"method\":\"read_file\"}"), List.of(TestFds.memfd("hello")));
            try (FdpassFrame frame = TestSockets.receive(pair.second())) {
                assertEquals(1, frame.fdCount());
                assertEquals(1, frame.json().get("fds").intValue());
                assertEquals("hello", TestFds.content(frame.fds().get(0)));
            }
        }
    }

    @Test
    void sequentialMessagesEachGetTheirOwnFd() throws Exception { // [Rust 5]
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            for (int i = 0; i < 3; i++) {
                pair.first().sender().send(Json.object("{\"n\":" + i + "}"), List.of(TestFds.memfd("file-" + i)));
            }
            for (int i = 0; i < 3; i++) {
                try (FdpassFrame frame = TestSockets.receive(pair.second())) {
                    assertEquals(i, frame.json().get("n").intValue());
                    assertEquals(List.of("file-" + i), TestFds.contents(frame.fds()));
                }
            }
        }
    }

    @Test
    void fdsOfOneMessageKeepTheirPositions() throws Exception { // [Rust 6, 8, 10; Go 50]
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            pair.first().sender().send(Json.object("{}"), List.of(TestFds.memfd("FIRST"), TestFds.memfd("SECOND"),
                    TestFds.memfd("THIRD")));
            pair.first().sender().send(Json.object("{}"), TestFds.numbered("ten", 10));
            try (FdpassFrame three = TestSockets.receive(pair.second());
                    FdpassFrame ten = TestSockets.receive(pair.second())) {
                assertEquals(List.of("FIRST", "SECOND", "THIRD"), TestFds.contents(three.fds()));
                assertEquals(TestFds.expectedNumbered("ten", 10), TestFds.contents(ten.fds()));
            }
        }
    }

    @Test
    void messagesWithAndWithoutFdsInterleaveCorrectly() throws Exception { // [Rust 7, 12; Go 51, 52]
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            int[] counts = {0, 1, 0, 2, 0, 0, 3};
            for (int i = 0; i < counts.length; i++) {
                pair.first().sender().send(Json.object("{\"i\":" + i + "}"), TestFds.numbered("m" + i, counts[i]));
            }
            for (int i = 0; i < counts.length; i++) {
                try (FdpassFrame frame = TestSockets.receive(pair.second())) {
                    assertEquals(i, frame.json().get("i").intValue());
                    assertEquals(counts[i] > 0, frame.json().has("fds"));
                    assertEquals(TestFds.expectedNumbered("m" + i, counts[i]), TestFds.contents(frame.fds()));
                }
            }
        }
    }

    @Test
    void emptyFilesArriveAsFds() throws Exception { // [Rust 9]
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            pair.first().sender().send(Json.object("{}"),
                    List.of(TestFds.memfd(""), TestFds.memfd(""), TestFds.memfd("")));
            try (FdpassFrame frame = TestSockets.receive(pair.second())) {
                assertEquals(List.of("", "", ""), TestFds.contents(frame.fds()));
                for (OwnedFd fd : frame.fds()) {
                    assertEquals(0, layerfd.linux.FileIo.stat(fd.get()).size());
                }
            }
        }
    }

    @Test
    void burstOfTwentyMessagesEveryThirdWithAnFd() throws Exception { // [Rust 11]
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            for (int i = 0; i < 20; i++) {
                List<OwnedFd> fds = i % 3 == 0 ? List.of(TestFds.memfd("burst-" + i)) : List.of();
                pair.first().sender().send(Json.object("{\"i\":" + i + "}"), fds);
            }
            for (int i = 0; i < 20; i++) {
                try (FdpassFrame frame = TestSockets.receive(pair.second())) {
                    assertEquals(i, frame.json().get("i").intValue());
                    List<String> expected = i % 3 == 0 ? List.of("burst-" + i) : List.of();
                    assertEquals(expected, TestFds.contents(frame.fds()));
                }
            }
        }
    }

    @Test
    void oneMebibyteMessageWithAnFdArrivesWhole() throws Exception { // [Rust 19, 25, 26]
        String big = "x".repeat(1024 * 1024);
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> TestSockets.sendUnchecked(pair.first(),
                    Json.object("{\"data\":\"" + big + "\"}"), List.of(TestFds.memfdUnchecked("after-1MiB"))));
            try (FdpassFrame frame = TestSockets.receive(pair.second())) {
                assertEquals(big, frame.json().get("data").textValue());
                assertEquals(List.of("after-1MiB"), TestFds.contents(frame.fds()));
            }
            sending.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void receivedFdsAreCloseOnExec() throws Exception {
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            OwnedFd plain = TestFds.memfd("inheritable");
            int flags = Fcntl.isCloseOnExec(plain.get()) ? 1 : 0;
            assertEquals(1, flags, "memfds are created close-on-exec; the receiver must not rely on that");
            pair.first().sender().send(Json.object("{}"), List.of(plain));
            try (FdpassFrame frame = TestSockets.receive(pair.second())) {
                assertTrue(Fcntl.isCloseOnExec(frame.fds().get(0).get()));
            }
        }
    }

    @Test
    void fdsThatArriveBeforeTheirMessageAreMatchedByOrder() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair()) {
            pair.raw().sendAndClose(" ", List.of(TestFds.memfd("early-0"), TestFds.memfd("early-1")));
            pair.raw().send("{\"fds\":2}");
            try (FdpassFrame frame = TestSockets.receive(pair.socket())) {
                assertEquals(List.of("early-0", "early-1"), TestFds.contents(frame.fds()));
            }
        }
    }

    @Test
    void extraFdsStayQueuedForTheNextMessage() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair()) {
            pair.raw().sendAndClose("{\"fds\":1}", TestFds.numbered("extra", 3));
            pair.raw().send("{\"fds\":2}");
            try (FdpassFrame first = TestSockets.receive(pair.socket())) {
                assertEquals(List.of("extra-0"), TestFds.contents(first.fds()));
                assertEquals(2, pair.socket().receiver().queuedFds());
            }
            try (FdpassFrame second = TestSockets.receive(pair.socket())) {
                assertEquals(List.of("extra-1", "extra-2"), TestFds.contents(second.fds()));
            }
        }
    }

    @Test
    void peerCredentialsNameThisProcess() throws Exception {
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            PeerCredentials credentials = pair.first().peerCredentials();
            assertEquals(ProcessHandle.current().pid(), credentials.pid());
            assertEquals(Long.parseLong(unixId("-u")), credentials.uid());
            assertEquals(Long.parseLong(unixId("-g")), credentials.gid());
        }
    }

    @Test
    void clientConnectsToAServerSocketFile(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("fdpass.sock");
        try (FdpassServerSocket server = FdpassServerSocket.bind(path, FdpassOptions.defaults())) {
            CompletableFuture<FdpassSocket> accepted = TestSockets.acceptAsync(server);
            try (FdpassSocket client = FdpassSocket.connect(path);
                    FdpassSocket serverSide = accepted.get(10, TimeUnit.SECONDS)) {
                client.sender().send(Json.object("{\"hello\":\"server\"}"), List.of(TestFds.memfd("via-file")));
                try (FdpassFrame frame = TestSockets.receive(serverSide)) {
                    assertEquals("server", frame.json().get("hello").textValue());
                    assertEquals(List.of("via-file"), TestFds.contents(frame.fds()));
                }
                assertEquals(ProcessHandle.current().pid(), serverSide.peerCredentials().pid());
            }
        }
    }

    @Test
    void adoptedSocketpairEndsTalkAndCloseTheirDescriptors() throws Exception {
        List<OwnedFd> ends = layerfd.linux.SocketPair.openStream();
        try (FdpassSocket a = FdpassSocket.adopt(ends.get(0), FdpassOptions.defaults());
                FdpassSocket b = FdpassSocket.adopt(ends.get(1), FdpassOptions.defaults())) {
            a.sender().send(Json.object("{\"adopted\":true}"), List.of(TestFds.memfd("through-adopted")));
            try (FdpassFrame frame = TestSockets.receive(b)) {
                assertEquals(List.of("through-adopted"), TestFds.contents(frame.fds()));
            }
        }
        // NoFdLeaks proves both socketpair descriptors were closed with the sockets.
    }

    @Test
    void inheritedListeningSocketAcceptsConnections(@TempDir Path dir) throws Throwable {
        Path path = dir.resolve("activated.sock");
        try (FdpassServerSocket server = FdpassServerSocket.inherit(ListeningSocket.bound(path), path,
                FdpassOptions.defaults())) {
            CompletableFuture<FdpassSocket> accepted = TestSockets.acceptAsync(server);
            try (FdpassSocket client = FdpassSocket.connect(path);
                    FdpassSocket serverSide = accepted.get(10, TimeUnit.SECONDS)) {
                client.sender().send(Json.object("{\"activated\":true}"), List.of(TestFds.memfd("inherited")));
                try (FdpassFrame frame = TestSockets.receive(serverSide)) {
                    assertEquals(List.of("inherited"), TestFds.contents(frame.fds()));
                }
            }
        }
        assertTrue(java.nio.file.Files.exists(path), "an inherited socket's file belongs to whoever made it");
        // NoFdLeaks proves the inherited descriptor was closed with the server socket.
    }

    @Test
    void closingAnInheritedServerSocketWakesABlockedAccept(@TempDir Path dir) throws Throwable {
        Path path = dir.resolve("woken.sock");
        FdpassServerSocket server = FdpassServerSocket.inherit(ListeningSocket.bound(path), path,
                FdpassOptions.defaults());
        CompletableFuture<FdpassSocket> accepted = TestSockets.acceptAsync(server);
        Thread.sleep(200); // accept is blocked
        server.close();
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> accepted.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof java.io.UncheckedIOException, String.valueOf(e.getCause()));
    }

    @Test
    void closingTheServerSocketRemovesItsFile(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("gone.sock");
        FdpassServerSocket server = FdpassServerSocket.bind(path, FdpassOptions.defaults());
        assertTrue(java.nio.file.Files.exists(path));
        assertEquals(path, server.path());
        server.close();
        assertFalse(java.nio.file.Files.exists(path));
    }

    @Test
    void takenFdsOutliveTheFrameAndTheSocket() throws Exception {
        OwnedFd taken;
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            pair.first().sender().send(Json.object("{}"), List.of(TestFds.memfd("kept"), TestFds.memfd("dropped")));
            try (FdpassFrame frame = TestSockets.receive(pair.second())) {
                taken = frame.takeFd(0);
            }
        }
        try (OwnedFd fd = taken) {
            assertEquals("kept", TestFds.content(fd));
        }
    }

    @Test
    void messageBytesAreTheExactWireBytes() throws Exception {
        String wire = "{\"b\" : [1, 2.50, 9007199254740993], \"s\":\"\\u003c&\"}";
        try (RawPeer.Pair pair = RawPeer.pair()) {
            pair.raw().send("\n\t" + wire + "\r\n");
            try (FdpassFrame frame = TestSockets.receive(pair.socket())) {
                assertArrayEquals(wire.getBytes(StandardCharsets.UTF_8), frame.bytes());
                ObjectNode json = frame.json();
                assertEquals("9007199254740993", json.get("b").get(2).toString());
                assertEquals("2.50", json.get("b").get(1).toString());
                assertEquals("<&", json.get("s").textValue());
            }
        }
    }

    private static String unixId(String flag) throws Exception {
        Process p = new ProcessBuilder("id", flag).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.getErrorStream().close();
        p.getOutputStream().close();
        p.getInputStream().close();
        assertEquals(0, p.waitFor());
        return out;
    }
}
