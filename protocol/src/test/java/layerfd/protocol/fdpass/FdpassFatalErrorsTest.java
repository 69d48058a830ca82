package layerfd.protocol.fdpass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import layerfd.linux.OwnedFd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What ends a connection (and what does not): truncation, size limits, end of stream, missing fds. */
@ExtendWith(NoFdLeaks.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FdpassFatalErrorsTest {

    @Test
    void truncatedFdsAreFatalAndLeakNothing() throws Exception {
        // A receive buffer with room for the cmsg header only: the kernel installs no fd, sets MSG_CTRUNC and
        // closes the fds itself, so the test process cannot leak any.
        FdpassOptions tiny = FdpassOptions.defaults()
                .withAncillaryReceiveBytes(FdpassOptions.MIN_ANCILLARY_RECEIVE_BYTES);
        try (RawPeer.Pair pair = RawPeer.pair(tiny)) {
            pair.raw().sendAndClose("{\"fds\":3}", TestFds.numbered("lost", 3));
            FdsTruncatedException e = assertThrows(FdsTruncatedException.class,
                    () -> pair.socket().receiver().receive());
            assertTrue(e.getMessage().contains("MSG_CTRUNC"), e.getMessage());
            assertThrows(FdsTruncatedException.class, () -> pair.socket().receiver().receive());
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
            try (FdpassFrame frame = TestSockets.receive(pair.second())) {
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
    void closingTheSocketClosesFdsStillQueued() throws Exception {
        int before = layerfd.testing.OpenFds.count();
        RawPeer.Pair pair = RawPeer.pair();
        pair.raw().sendAndClose("{}", TestFds.numbered("queued", 5));
        try (FdpassFrame frame = TestSockets.receive(pair.socket())) {
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
            try (FdpassFrame frame = TestSockets.receive(pair.socket())) {
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
            pair.raw().sendAndClose("{\"fds\":3}", TestFds.numbered("partial", 1));
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
}
