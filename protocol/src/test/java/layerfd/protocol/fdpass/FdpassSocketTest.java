package layerfd.protocol.fdpass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import layerfd.linux.Fcntl;
import layerfd.linux.OwnedFd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FdpassSocket end to end over real socketpairs and socket files; upstream checklist numbers in brackets. */
@ExtendWith(NoFdLeaks.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FdpassSocketTest {

    private static FdpassFrame receive(FdpassSocket socket) throws IOException {
        return socket.receiver().receive().orElseThrow(() -> new AssertionError("connection ended early"));
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
            try (FdpassFrame frame = receive(pair.second())) {
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
                try (FdpassFrame frame = receive(pair.second())) {
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
            try (FdpassFrame three = receive(pair.second()); FdpassFrame ten = receive(pair.second())) {
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
                try (FdpassFrame frame = receive(pair.second())) {
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
            try (FdpassFrame frame = receive(pair.second())) {
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
                try (FdpassFrame frame = receive(pair.second())) {
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
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> sendUnchecked(pair.first(),
                    Json.object("{\"data\":\"" + big + "\"}"), List.of(TestFds.memfdUnchecked("after-1MiB"))));
            try (FdpassFrame frame = receive(pair.second())) {
                assertEquals(big, frame.json().get("data").textValue());
                assertEquals(List.of("after-1MiB"), TestFds.contents(frame.fds()));
            }
            sending.get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0} fds in batches of {1}")
    @CsvSource({"1,1", "5,1", "7,2", "10,1", "10,2", "10,3", "20,3", "50,7", "100,10", "5,500", "5,5", "6,5",
            "5,2"})
    void batchedFdsArriveInOrderAndFollowingMessageIsUnaffected(int fds, int batch) throws Exception {
        // [Rust 27, 28, 30; Go 54, 55, 56, 57, 58, 59]
        FdpassOptions options = FdpassOptions.defaults().withMaxFdsPerSendmsg(batch);
        try (FdpassSocket.Pair pair = FdpassSocket.pair(options)) {
            pair.first().sender().send(Json.object("{\"batched\":true}"), TestFds.numbered("fd-data", fds));
            pair.first().sender().send(Json.object("{\"after\":true}"), List.of());
            try (FdpassFrame frame = receive(pair.second()); FdpassFrame after = receive(pair.second())) {
                assertEquals(TestFds.expectedNumbered("fd-data", fds), TestFds.contents(frame.fds()));
                assertEquals(0, after.fdCount());
                assertTrue(after.json().get("after").booleanValue());
                assertEquals(0, pair.second().receiver().queuedFds());
            }
        }
    }

    @Test
    void batchSizeOneWithMessagesOfThreeZeroTwoZeroFourFds() throws Exception { // [Rust 29]
        FdpassOptions options = FdpassOptions.defaults().withMaxFdsPerSendmsg(1);
        int[] counts = {3, 0, 2, 0, 4};
        try (FdpassSocket.Pair pair = FdpassSocket.pair(options)) {
            for (int i = 0; i < counts.length; i++) {
                pair.first().sender().send(Json.object("{\"i\":" + i + "}"), TestFds.numbered("b" + i, counts[i]));
            }
            for (int i = 0; i < counts.length; i++) {
                try (FdpassFrame frame = receive(pair.second())) {
                    assertEquals(i, frame.json().get("i").intValue());
                    assertEquals(TestFds.expectedNumbered("b" + i, counts[i]), TestFds.contents(frame.fds()));
                }
            }
        }
    }

    @Test
    void serverAnswersWithFiveFdsInBatchesOfOneAndClientGetsAll() throws Exception { // [Rust 31]
        try (FdpassSocket.Pair pair = FdpassSocket.pair(FdpassOptions.defaults().withMaxFdsPerSendmsg(1))) {
            pair.first().sender().send(Json.object("{\"id\":1,\"method\":\"five\"}"), List.of());
            try (FdpassFrame request = receive(pair.second())) {
                pair.second().sender().send(Json.object("{\"id\":1,\"result\":\"ok\"}"),
                        TestFds.numbered("resp", 5));
            }
            try (FdpassFrame response = receive(pair.first())) {
                assertEquals(TestFds.expectedNumbered("resp", 5), TestFds.contents(response.fds()));
            }
        }
    }

    @Test
    void twoHundredFiftyThreeFdsTravelInOneRecvmsg() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair()) {
            pair.socket().sender().send(Json.object("{\"many\":1}"), TestFds.numbered("x", 253));
            RawPeer.Read read = pair.raw().read();
            assertEquals("{\"many\":1,\"fds\":253}", read.text());
            assertEquals(253, read.fdCount());
        }
    }

    @Test
    void twoHundredFiftyThreeFdsFromOneSendmsgAreReceivedInOneRead() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair()) {
            List<OwnedFd> fds = TestFds.numbered("one-read", 253);
            try {
                pair.raw().send("{\"fds\":253}", fds);
            } finally {
                fds.forEach(OwnedFd::close);
            }
            try (FdpassFrame frame = receive(pair.socket())) {
                assertEquals(TestFds.expectedNumbered("one-read", 253), TestFds.contents(frame.fds()));
            }
        }
    }

    @Test
    void thousandFdsInOneMessageAreBatchedAndArriveInOrder() throws Exception {
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> sendUnchecked(pair.first(),
                    Json.object("{\"k\":1000}"), TestFds.numberedUnchecked("k", 1000)));
            try (FdpassFrame frame = receive(pair.second())) {
                assertEquals(TestFds.expectedNumbered("k", 1000), TestFds.contents(frame.fds()));
            }
            sending.get(30, TimeUnit.SECONDS);
            assertEquals(FdpassOptions.DEFAULT_MAX_FDS_PER_SENDMSG, pair.first().sender().fdsPerSendmsg());
        }
    }

    @Test
    void einvalHalvesTheBatchFromFiveHundredToTwoHundredFiftyAndTheSenderRemembersIt() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair(FdpassOptions.defaults().withMaxFdsPerSendmsg(500))) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> sendUnchecked(pair.socket(),
                    Json.object("{}"), TestFds.numberedUnchecked("h", 1000)));
            List<Integer> schedule = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            while (schedule.stream().mapToInt(Integer::intValue).sum() < 1000) {
                RawPeer.Read read = pair.raw().read();
                schedule.add(read.fdCount());
                text.append(read.text());
            }
            sending.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(250, 250, 250, 250), schedule);
            assertEquals("{\"fds\":1000}   ", text.toString());
            assertEquals(250, pair.socket().sender().fdsPerSendmsg());
        }
    }

    @Test
    void einvalHalvingContinuesUntilTheKernelAcceptsTheBatch() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair(FdpassOptions.defaults().withMaxFdsPerSendmsg(2000))) {
            pair.socket().sender().send(Json.object("{}"), TestFds.numbered("q", 300));
            List<Integer> schedule = new ArrayList<>();
            while (schedule.stream().mapToInt(Integer::intValue).sum() < 300) {
                schedule.add(pair.raw().read().fdCount());
            }
            // 2000 -> 300 fds tried (EINVAL) -> 150 accepted.
            assertEquals(List.of(150, 150), schedule);
            assertEquals(150, pair.socket().sender().fdsPerSendmsg());
        }
    }

    @Test
    void truncatedFdsAreFatalAndLeakNothing() throws Exception {
        // A receive buffer with room for the cmsg header only: the kernel installs no fd, sets MSG_CTRUNC and
        // closes the fds itself, so the test process cannot leak any.
        FdpassOptions tiny = FdpassOptions.defaults()
                .withAncillaryReceiveBytes(FdpassOptions.MIN_ANCILLARY_RECEIVE_BYTES);
        try (RawPeer.Pair pair = RawPeer.pair(tiny)) {
            List<OwnedFd> fds = TestFds.numbered("lost", 3);
            try {
                pair.raw().send("{\"fds\":3}", fds);
            } finally {
                fds.forEach(OwnedFd::close);
            }
            FdsTruncatedException e = assertThrows(FdsTruncatedException.class, () -> pair.socket().receiver().receive());
            assertTrue(e.getMessage().contains("MSG_CTRUNC"), e.getMessage());
            assertThrows(FdsTruncatedException.class, () -> pair.socket().receiver().receive());
        }
    }

    @Test
    void receivedFdsAreCloseOnExec() throws Exception {
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            OwnedFd plain = TestFds.memfd("inheritable");
            int flags = Fcntl.isCloseOnExec(plain.get()) ? 1 : 0;
            assertEquals(1, flags, "memfds are created close-on-exec; the receiver must not rely on that");
            pair.first().sender().send(Json.object("{}"), List.of(plain));
            try (FdpassFrame frame = receive(pair.second())) {
                assertTrue(Fcntl.isCloseOnExec(frame.fds().get(0).get()));
            }
        }
    }

    @Test
    void fourMebibyteMessagesFromConcurrentSendersArriveIntactWhileThePeerReadsSlowly() throws Exception {
        int senders = 4;
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                String payload = String.valueOf((char) ('a' + s)).repeat(4 * 1024 * 1024);
                int sender = s;
                sending.add(CompletableFuture.runAsync(() -> sendUnchecked(pair.first(),
                        Json.object("{\"s\":" + sender + ",\"p\":\"" + payload + "\"}"),
                        TestFds.numberedUnchecked("s" + sender, 3)), Thread::startVirtualThread));
            }
            Thread.sleep(300); // every sender is now blocked in a partial write
            boolean[] seen = new boolean[senders];
            for (int i = 0; i < senders; i++) {
                try (FdpassFrame frame = receive(pair.second())) {
                    int s = frame.json().get("s").intValue();
                    String p = frame.json().get("p").textValue();
                    assertEquals(4 * 1024 * 1024, p.length());
                    assertTrue(p.chars().allMatch(c -> c == 'a' + s), "message of sender " + s + " was torn");
                    assertEquals(TestFds.expectedNumbered("s" + s, 3), TestFds.contents(frame.fds()));
                    seen[s] = true;
                }
                Thread.sleep(50);
            }
            for (CompletableFuture<Void> f : sending) {
                f.get(30, TimeUnit.SECONDS);
            }
            for (boolean b : seen) {
                assertTrue(b);
            }
        }
    }

    @Test
    void outgoingMessageOverTheCapIsRefusedBeforeAnyByteAndTheConnectionStaysUsable() throws Exception {
        FdpassOptions small = FdpassOptions.defaults().withMaxMessageBytes(100);
        try (FdpassSocket.Pair pair = FdpassSocket.pair(small)) {
            OwnedFd fd = TestFds.memfd("refused");
            MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                    () -> pair.first().sender().send(Json.object("{\"p\":\"" + "y".repeat(200) + "\"}"), List.of(fd)));
            assertTrue(e.getMessage().contains("exceeds the limit of 100 bytes"), e.getMessage());
            assertFalse(fd.isOpen(), "the sender owns the fds it was given, also on failure");
            pair.first().sender().send(Json.object("{\"small\":1}"), List.of());
            try (FdpassFrame frame = receive(pair.second())) {
                assertEquals("{\"small\":1}", new String(frame.bytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void incomingMessageOverTheCapIsFatal() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair(FdpassOptions.defaults().withMaxMessageBytes(1000))) {
            pair.raw().send("{\"p\":\"" + "z".repeat(2000));
            MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                    () -> pair.socket().receiver().receive());
            assertTrue(e.getMessage().contains("incoming message of more than 1000 bytes"), e.getMessage());
        }
    }

    @Test
    void fdsThatArriveBeforeTheirMessageAreMatchedByOrder() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair()) {
            List<OwnedFd> early = List.of(TestFds.memfd("early-0"), TestFds.memfd("early-1"));
            try {
                pair.raw().send(" ", early);
                pair.raw().send("{\"fds\":2}");
            } finally {
                early.forEach(OwnedFd::close);
            }
            try (FdpassFrame frame = receive(pair.socket())) {
                assertEquals(List.of("early-0", "early-1"), TestFds.contents(frame.fds()));
            }
        }
    }

    @Test
    void extraFdsStayQueuedForTheNextMessage() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair()) {
            List<OwnedFd> fds = TestFds.numbered("extra", 3);
            try {
                pair.raw().send("{\"fds\":1}", fds);
                pair.raw().send("{\"fds\":2}");
            } finally {
                fds.forEach(OwnedFd::close);
            }
            try (FdpassFrame first = receive(pair.socket())) {
                assertEquals(List.of("extra-0"), TestFds.contents(first.fds()));
                assertEquals(2, pair.socket().receiver().queuedFds());
            }
            try (FdpassFrame second = receive(pair.socket())) {
                assertEquals(List.of("extra-1", "extra-2"), TestFds.contents(second.fds()));
            }
        }
    }

    @Test
    void closingTheSocketClosesFdsStillQueued() throws Exception {
        int before = layerfd.testing.OpenFds.count();
        RawPeer.Pair pair = RawPeer.pair();
        List<OwnedFd> fds = TestFds.numbered("queued", 5);
        try {
            pair.raw().send("{}", fds);
        } finally {
            fds.forEach(OwnedFd::close);
        }
        try (FdpassFrame frame = receive(pair.socket())) {
            assertEquals(0, frame.fdCount());
        }
        assertEquals(5, pair.socket().receiver().queuedFds());
        assertEquals(before + 2 + 5, layerfd.testing.OpenFds.count(), "two socket ends and five queued fds");
        pair.close();
        assertEquals(before, layerfd.testing.OpenFds.settle(before));
    }

    @Test
    void endOfStreamBetweenMessagesIsACleanEnd() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair()) {
            pair.raw().send("{\"last\":true}\n \t\r\n");
            pair.raw().shutdownOutput();
            try (FdpassFrame frame = receive(pair.socket())) {
                assertTrue(frame.json().get("last").booleanValue());
            }
            assertTrue(pair.socket().receiver().receive().isEmpty());
            assertTrue(pair.socket().receiver().receive().isEmpty(), "end of stream is sticky");
        }
    }

    @Test
    void endOfStreamInsideAMessageIsFatal() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair()) {
            pair.raw().send("{\"half\":");
            pair.raw().shutdownOutput();
            PeerClosedMidMessageException e = assertThrows(PeerClosedMidMessageException.class,
                    () -> pair.socket().receiver().receive());
            assertTrue(e.getMessage().contains("8 bytes"), e.getMessage());
        }
    }

    @Test
    void endOfStreamWhileFdsAreMissingIsMismatchAndClosesTheFdsThatCame() throws Exception { // [Rust 18, 33]
        try (RawPeer.Pair pair = RawPeer.pair()) {
            List<OwnedFd> fds = TestFds.numbered("partial", 1);
            try {
                pair.raw().send("{\"fds\":3}", fds);
            } finally {
                fds.forEach(OwnedFd::close);
            }
            pair.raw().shutdownOutput();
            MismatchedFdCountException e = assertThrows(MismatchedFdCountException.class,
                    () -> pair.socket().receiver().receive());
            assertEquals(3, e.expected());
            assertEquals(1, e.found());
            assertEquals(0, pair.socket().receiver().queuedFds());
        }
    }

    @Test
    void nextMessageBeforeAllFdsIsMismatch() throws Exception { // [Rust 14, 15, 32]
        try (RawPeer.Pair pair = RawPeer.pair()) {
            pair.raw().send("{\"fds\":2}{\"next\":1}");
            MismatchedFdCountException e = assertThrows(MismatchedFdCountException.class,
                    () -> pair.socket().receiver().receive());
            assertEquals(2, e.expected());
            assertEquals(0, e.found());
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
            CompletableFuture<FdpassSocket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (FdpassSocket client = FdpassSocket.connect(path);
                    FdpassSocket serverSide = accepted.get(10, TimeUnit.SECONDS)) {
                client.sender().send(Json.object("{\"hello\":\"server\"}"), List.of(TestFds.memfd("via-file")));
                try (FdpassFrame frame = receive(serverSide)) {
                    assertEquals("server", frame.json().get("hello").textValue());
                    assertEquals(List.of("via-file"), TestFds.contents(frame.fds()));
                }
                assertEquals(ProcessHandle.current().pid(), serverSide.peerCredentials().pid());
            }
        }
    }

    @Test
    void concurrentSendersNeverInterleaveMessagesOrFds() throws Exception {
        int threads = 8;
        int perThread = 40;
        try (FdpassSocket.Pair pair = FdpassSocket.pair(FdpassOptions.defaults().withMaxFdsPerSendmsg(2))) {
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                sending.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String tag = "t" + thread + "m" + i;
                        sendUnchecked(pair.first(), Json.object("{\"tag\":\"" + tag + "\"}"),
                                TestFds.numberedUnchecked(tag, i % 5));
                    }
                }, Thread::startVirtualThread));
            }
            for (int n = 0; n < threads * perThread; n++) {
                try (FdpassFrame frame = receive(pair.second())) {
                    String tag = frame.json().get("tag").textValue();
                    int i = Integer.parseInt(tag.substring(tag.indexOf('m') + 1));
                    assertEquals(TestFds.expectedNumbered(tag, i % 5), TestFds.contents(frame.fds()));
                }
            }
            for (CompletableFuture<Void> f : sending) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void takenFdsOutliveTheFrameAndTheSocket() throws Exception {
        OwnedFd taken;
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            pair.first().sender().send(Json.object("{}"), List.of(TestFds.memfd("kept"), TestFds.memfd("dropped")));
            try (FdpassFrame frame = receive(pair.second())) {
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
            try (FdpassFrame frame = receive(pair.socket())) {
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

    static void sendUnchecked(FdpassSocket socket, ObjectNode message, List<OwnedFd> fds) {
        try {
            socket.sender().send(message, fds);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
