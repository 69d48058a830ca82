package layerfd.protocol.fdpass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.internal.UnixConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Many fds: batching, EINVAL halving, 253 and 1000 fds, large and concurrent messages; real socketpairs. */
@ExtendWith(NoFdLeaks.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FdpassBatchingTest {

    @ParameterizedTest(name = "{0} fds in batches of {1}")
    @CsvSource({"1,1", "5,1", "7,2", "10,1", "10,2", "10,3", "20,3", "50,7", "100,10", "5,500", "5,5", "6,5",
            "5,2"})
    void batchedFdsArriveInOrderAndFollowingMessageIsUnaffected(int fds, int batch) throws Exception {
        // [Rust 27, 28, 30; Go 54, 55, 56, 57, 58, 59]
        FdpassOptions options = FdpassOptions.defaults().withMaxFdsPerSendmsg(batch);
        try (FdpassSocket.Pair pair = FdpassSocket.pair(options)) {
            pair.first().sender().send(Json.object("{\"batched\":true}"), TestFds.numbered("fd-data", fds));
            pair.first().sender().send(Json.object("{\"after\":true}"), List.of());
            try (FdpassFrame frame = TestSockets.receive(pair.second());
                    FdpassFrame after = TestSockets.receive(pair.second())) {
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
                try (FdpassFrame frame = TestSockets.receive(pair.second())) {
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
            try (FdpassFrame request = TestSockets.receive(pair.second())) {
                assertEquals("five", request.json().get("method").textValue());
                pair.second().sender().send(Json.object("{\"id\":1,\"result\":\"ok\"}"),
                        TestFds.numbered("resp", 5));
            }
            try (FdpassFrame response = TestSockets.receive(pair.first())) {
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
            pair.raw().sendAndClose("{\"fds\":253}", TestFds.numbered("one-read", 253));
            try (FdpassFrame frame = TestSockets.receive(pair.socket())) {
                assertEquals(TestFds.expectedNumbered("one-read", 253), TestFds.contents(frame.fds()));
            }
        }
    }

    @Test
    void thousandFdsInOneMessageAreBatchedAndArriveInOrder() throws Exception {
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> TestSockets.sendUnchecked(pair.first(),
                    Json.object("{\"k\":1000}"), TestFds.numberedUnchecked("k", 1000)));
            try (FdpassFrame frame = TestSockets.receive(pair.second())) {
                assertEquals(TestFds.expectedNumbered("k", 1000), TestFds.contents(frame.fds()));
            }
            sending.get(30, TimeUnit.SECONDS);
            assertEquals(FdpassOptions.DEFAULT_MAX_FDS_PER_SENDMSG, pair.first().sender().fdsPerSendmsg());
        }
    }

    @Test
    void einvalHalvesTheBatchFromFiveHundredToTwoHundredFiftyAndTheSenderRemembersIt() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair(FdpassOptions.defaults().withMaxFdsPerSendmsg(500))) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> TestSockets.sendUnchecked(pair.socket(),
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
    void fourMebibyteMessagesFromConcurrentSendersArriveIntactWhileThePeerReadsSlowly() throws Exception {
        int senders = 4;
        try (FdpassSocket.Pair pair = FdpassSocket.pair()) {
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                String payload = String.valueOf((char) ('a' + s)).repeat(4 * 1024 * 1024);
                int sender = s;
                sending.add(CompletableFuture.runAsync(() -> TestSockets.sendUnchecked(pair.first(),
                        Json.object("{\"s\":" + sender + ",\"p\":\"" + payload + "\"}"),
                        TestFds.numberedUnchecked("s" + sender, 3)), Thread::startVirtualThread));
            }
            Thread.sleep(300); // every sender is now blocked in a partial write
            boolean[] seen = new boolean[senders];
            for (int i = 0; i < senders; i++) {
                try (FdpassFrame frame = TestSockets.receive(pair.second())) {
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
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    @SuppressWarnings("try") // receiving is closed early on purpose, to stop the filler
    void fdsSentFromAVirtualThreadWhileTheSocketBufferIsFullAreNotLost() throws Exception {
        // Regression: junixsocket on a virtual thread drops the fds of a sendmsg that fails with EAGAIN and sends
        // the bytes without them after parking. A second writer on a dup of the socket (its own junixsocket object)
        // keeps the buffer full with whitespace, which is legal between messages.
        List<OwnedFd> ends = layerfd.linux.SocketPair.openStream();
        OwnedFd filler = ends.get(0).dup();
        FdpassOptions options = FdpassOptions.defaults();
        try (FdpassSocket sending = new FdpassSocket(UnixConnection.adopt(ends.get(0), 8192), options);
                UnixConnection whitespace = UnixConnection.adopt(filler, 8192);
                FdpassSocket receiving = new FdpassSocket(UnixConnection.adopt(ends.get(1), 8192), options)) {
            byte[] spaces = " ".repeat(4 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII);
            Thread fill = Thread.ofPlatform().start(() -> {
                try {
                    whitespace.write(spaces, 0, spaces.length, new int[0]);
                } catch (IOException expected) {
                    // the receiving end closes before reading all the whitespace
                }
            });
            Thread.sleep(200); // the buffer is full and the filler blocks
            Thread send = Thread.ofVirtual().start(() -> TestSockets.sendUnchecked(sending, Json.object("{}"),
                    TestFds.numberedUnchecked("virtual", 2)));
            Thread.sleep(200); // the virtual sender met a full buffer
            try (FdpassFrame frame = TestSockets.receive(receiving)) {
                assertEquals(TestFds.expectedNumbered("virtual", 2), TestFds.contents(frame.fds()));
            }
            send.join();
            receiving.close();
            fill.join();
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
                        TestSockets.sendUnchecked(pair.first(), Json.object("{\"tag\":\"" + tag + "\"}"),
                                TestFds.numberedUnchecked(tag, i % 5));
                    }
                }, Thread::startVirtualThread));
            }
            for (int n = 0; n < threads * perThread; n++) {
                try (FdpassFrame frame = TestSockets.receive(pair.second())) {
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
}
