package layerfd.protocol.fdpass.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.FdpassException;
import layerfd.protocol.fdpass.FdpassFrame;
import layerfd.protocol.fdpass.FramingException;
import layerfd.protocol.fdpass.Json;
import layerfd.protocol.fdpass.MessageTooLargeException;
import layerfd.protocol.fdpass.MismatchedFdCountException;
import layerfd.protocol.fdpass.NoFdLeaks;
import layerfd.protocol.fdpass.PeerClosedMidMessageException;
import layerfd.protocol.fdpass.TestFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The receiver algorithm (README §5) without a socket, fed in awkward splits. */
@ExtendWith(NoFdLeaks.class)
class FrameDecoderTest {
    private static final int LIMIT = 1 << 20;

    /** How the bytes of a stream are cut into reads. */
    enum Split {
        WHOLE, ONE_BYTE_AT_A_TIME, THREE_BYTES_AT_A_TIME
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Feeds {@code stream} cut by {@code split}, with {@code fds} attached to the first read; collects frames. */
    private static List<FdpassFrame> decodeAll(FrameDecoder decoder, String stream, Split split, List<OwnedFd> fds)
            throws FdpassException {
        byte[] bytes = utf8(stream);
        int step = switch (split) {
            case WHOLE -> Math.max(1, bytes.length);
            case ONE_BYTE_AT_A_TIME -> 1;
            case THREE_BYTES_AT_A_TIME -> 3;
        };
        List<FdpassFrame> frames = new ArrayList<>();
        List<OwnedFd> pending = fds;
        for (int at = 0; at < bytes.length; at += step) {
            decoder.feed(bytes, at, Math.min(step, bytes.length - at), pending);
            pending = List.of();
            for (Optional<FdpassFrame> f = decoder.next(); f.isPresent(); f = decoder.next()) {
                frames.add(f.get());
            }
        }
        return frames;
    }

    private static List<String> texts(List<FdpassFrame> frames) {
        return frames.stream().map(f -> new String(f.bytes(), StandardCharsets.UTF_8)).toList();
    }

    private static void closeAll(List<FdpassFrame> frames) {
        frames.forEach(FdpassFrame::close);
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void prettyPrintedMessagesWithEmbeddedNewlinesAreFramedByJsonNotByLines(Split split) throws Exception {
        // [Rust 21, 24]
        String a = "{\n  \"jsonrpc\": \"2.0\",\n  \"method\": \"a\",\n  \"params\": {\n    \"x\": [1,\n 2]\n  }\n}";
        String b = "{\n  \"method\": \"b\"\n}";
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            List<FdpassFrame> frames = decodeAll(decoder, a + b + "\n", split, List.of());
            assertEquals(List.of(a, b), texts(frames));
            decoder.endOfStream();
            closeAll(frames);
        }
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void concatenatedCompactMessagesWithoutSeparators(Split split) throws Exception { // [Rust 22]
        String stream = "{\"id\":1}{\"id\":2}{\"id\":3}";
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            List<FdpassFrame> frames = decodeAll(decoder, stream, split, List.of());
            assertEquals(List.of("{\"id\":1}", "{\"id\":2}", "{\"id\":3}"), texts(frames));
            assertEquals(0, decoder.bufferedBytes());
            closeAll(frames);
        }
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void mixedPrettyAndCompactWithAllFourWhitespaceBytesBetween(Split split) throws Exception { // [Rust 23]
        String stream = " \t\r\n{\"a\":1}\n{\n \"b\" : 2\n}\t\t{\"c\":\"}{\"} \r\n";
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            List<FdpassFrame> frames = decodeAll(decoder, stream, split, List.of());
            assertEquals(List.of("{\"a\":1}", "{\n \"b\" : 2\n}", "{\"c\":\"}{\"}"), texts(frames));
            decoder.endOfStream();
            closeAll(frames);
        }
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void fdsFedBeforeTheMessageBytesGoToTheMessagesInOrder(Split split) throws Exception {
        List<OwnedFd> fds = TestFds.numbered("early", 3);
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            List<FdpassFrame> frames = decodeAll(decoder, "{\"fds\":2}{}{\"fds\":1}", split, fds);
            assertEquals(3, frames.size());
            assertEquals(List.of("early-0", "early-1"), TestFds.contents(frames.get(0).fds()));
            assertEquals(List.of(), frames.get(1).fds());
            assertEquals(List.of("early-2"), TestFds.contents(frames.get(2).fds()));
            closeAll(frames);
        }
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void batchedFdsOnTheFirstByteAndOnContinuationBytesInEverySplit(Split split) throws Exception {
        // What a sender with batch size 1 produces: fd 0 with byte 0 of the message, then " " + fd per batch.
        List<OwnedFd> fds = TestFds.numbered("batch", 3);
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            List<FdpassFrame> frames = new ArrayList<>(decodeAll(decoder, "{\"m\":\"x\",\"fds\":3}", split,
                    List.of(fds.get(0))));
            assertEquals(List.of(), frames, "parked until the other two fds arrive");
            frames.addAll(decodeAll(decoder, " ", split, List.of(fds.get(1))));
            frames.addAll(decodeAll(decoder, " ", split, List.of(fds.get(2))));
            frames.addAll(decodeAll(decoder, "{\"after\":1}", split, List.of()));
            assertEquals(List.of("{\"m\":\"x\",\"fds\":3}", "{\"after\":1}"), texts(frames));
            assertEquals(List.of("batch-0", "batch-1", "batch-2"), TestFds.contents(frames.get(0).fds()));
            decoder.endOfStream();
            closeAll(frames);
        }
    }

    @Test
    void messageWaitsForLateFdsWhileOnlyContinuationBytesArrive() throws Exception { // [Rust 31]
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            List<OwnedFd> fds = TestFds.numbered("late", 3);
            decoder.feed(utf8("{\"fds\":3}"), 0, 9, List.of(fds.get(0)));
            assertTrue(decoder.next().isEmpty());
            decoder.feed(utf8(" "), 0, 1, List.of(fds.get(1)));
            assertTrue(decoder.next().isEmpty());
            decoder.feed(utf8(" "), 0, 1, List.of(fds.get(2)));
            try (FdpassFrame frame = decoder.next().orElseThrow()) {
                assertEquals(List.of("late-0", "late-1", "late-2"), TestFds.contents(frame.fds()));
            }
            decoder.endOfStream();
        }
    }

    @Test
    void nextMessageWhileFdsAreMissingIsMismatchAndClosesTheFdsThatCame() throws Exception { // [Rust 14, 32]
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            OwnedFd fd = TestFds.memfd("only-one");
            decoder.feed(utf8("{\"fds\":2}"), 0, 9, List.of(fd));
            assertTrue(decoder.next().isEmpty());
            MismatchedFdCountException e = assertThrows(MismatchedFdCountException.class,
                    () -> decoder.feed(utf8(" {"), 0, 2, List.of()));
            assertEquals(2, e.expected());
            assertEquals(1, e.found());
            assertFalse(fd.isOpen(), "a fatal error closes every queued fd (README §8)");
            assertSame(e, assertThrows(MismatchedFdCountException.class, decoder::next), "failure is sticky");
        }
    }

    @Test
    void fdsArrivingWithTheNextMessagesBytesAreNotGivenToTheParkedMessage() throws Exception {
        // A sender that lost fds (or never sent them): the next message's fds ride on its first byte, so they come
        // in the same read as non-whitespace bytes. Taking them would hand them to the wrong message.
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            decoder.feed(utf8("{\"fds\":1}"), 0, 9, List.of());
            assertTrue(decoder.next().isEmpty());
            OwnedFd nextMessagesFd = TestFds.memfd("belongs-to-the-next-message");
            MismatchedFdCountException e = assertThrows(MismatchedFdCountException.class,
                    () -> decoder.feed(utf8("{\"fds\":1}"), 0, 9, List.of(nextMessagesFd)));
            assertEquals(1, e.expected());
            assertEquals(0, e.found());
            assertFalse(nextMessagesFd.isOpen());
        }
    }

    @Test
    void formFeedWhileFdsAreMissingIsMismatchBecauseItIsNotJsonWhitespace() throws Exception {
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            decoder.feed(utf8("{\"fds\":1}\f"), 0, 10, List.of());
            MismatchedFdCountException e = assertThrows(MismatchedFdCountException.class, decoder::next);
            assertTrue(e.getMessage().contains("0xc"), e.getMessage());
        }
    }

    @Test
    void endOfStreamWhileFdsAreMissingIsMismatch() throws Exception { // [Rust 33]
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            decoder.feed(utf8("{\"fds\":3}  "), 0, 11, List.of());
            assertTrue(decoder.next().isEmpty());
            MismatchedFdCountException e = assertThrows(MismatchedFdCountException.class, decoder::endOfStream);
            assertEquals(3, e.expected());
            assertEquals(0, e.found());
        }
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void endOfStreamInsideAJsonValueIsPeerClosedMidMessage(Split split) throws Exception {
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            List<FdpassFrame> frames = decodeAll(decoder, "{\"ok\":1} {\"cut\":[1,2", split, List.of());
            assertEquals(List.of("{\"ok\":1}"), texts(frames));
            PeerClosedMidMessageException e = assertThrows(PeerClosedMidMessageException.class,
                    decoder::endOfStream);
            assertTrue(e.getMessage().contains("11 bytes"), e.getMessage());
            closeAll(frames);
        }
    }

    @Test
    void syntaxErrorIsReportedAsSoonAsTheBadByteArrivesNotAtTheEndOfTheValue() throws Exception { // [Rust 13]
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            decoder.feed(utf8("{ "), 0, 2, List.of());
            assertTrue(decoder.next().isEmpty());
            decoder.feed(utf8("invalid json content \n"), 0, 1, List.of());
            FramingException e = assertThrows(FramingException.class, decoder::next);
            assertTrue(e.getMessage().startsWith("invalid JSON at byte"), e.getMessage());
        }
    }

    @Test
    void topLevelArrayIsRejectedAsUnsupportedBatch() throws Exception {
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            decoder.feed(utf8("  ["), 0, 3, List.of());
            FramingException e = assertThrows(FramingException.class, decoder::next);
            assertTrue(e.getMessage().contains("JSON-RPC batch arrays are not supported"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"text\"", "true", "null", "x", "\u0000"})
    void topLevelScalarsAndGarbageAreRejectedAsNotAnObject(String value) throws Exception {
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            byte[] bytes = utf8(value);
            decoder.feed(bytes, 0, bytes.length, List.of());
            FramingException e = assertThrows(FramingException.class, decoder::next);
            assertTrue(e.getMessage().startsWith("top-level value must be an object"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "2.0", "1e2", "\"2\"", "\"not_a_number\"", "true", "null", "[1]", "{}",
            "2147483648", "99999999999999999999999"})
    void invalidFdsValuesAreFatalAndNameTheValue(String value) throws Exception { // [Rust 20]
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            OwnedFd queued = TestFds.memfd("queued");
            byte[] bytes = utf8("{\"method\":\"m\",\"fds\":" + value + "}");
            decoder.feed(bytes, 0, bytes.length, List.of(queued));
            FramingException e = assertThrows(FramingException.class, decoder::next);
            String shown = Json.object("{\"v\":" + value + "}").get("v").toString();
            assertTrue(e.getMessage().contains("\"fds\"") && e.getMessage().contains(shown), e.getMessage());
            assertFalse(queued.isOpen());
        }
    }

    @Test
    void explicitZeroFdsAndAbsentFdsBothMeanNoFds() throws Exception { // [Go 46, Kani check_get_fds_none]
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            OwnedFd extra = TestFds.memfd("for-later");
            List<FdpassFrame> frames = decodeAll(decoder, "{\"fds\":0}{}{\"fds\":1}", Split.WHOLE, List.of(extra));
            assertEquals(List.of(0, 0, 1), frames.stream().map(FdpassFrame::fdCount).toList());
            assertEquals("for-later", TestFds.content(frames.get(2).fds().get(0)));
            closeAll(frames);
        }
    }

    @Test
    void duplicateKeysAreAFramingError() throws Exception {
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            byte[] bytes = utf8("{\"fds\":1,\"fds\":0}");
            decoder.feed(bytes, 0, bytes.length, List.of());
            FramingException e = assertThrows(FramingException.class, decoder::next);
            assertTrue(e.getMessage().contains("Duplicate field 'fds'"), e.getMessage());
        }
    }

    @Test
    void invalidUtf8IsAFramingError() throws Exception {
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            byte[] bytes = {'{', '"', 'k', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
            decoder.feed(bytes, 0, bytes.length, List.of());
            assertThrows(FramingException.class, decoder::next);
        }
    }

    @Test
    void largeIntegersAndDecimalsKeepTheirExactValue() throws Exception {
        try (FrameDecoder decoder = new FrameDecoder(LIMIT)) {
            byte[] bytes = utf8("{\"id\":9007199254740993,\"big\":123456789012345678901234567890,\"d\":1.10}");
            decoder.feed(bytes, 0, bytes.length, List.of());
            try (FdpassFrame frame = decoder.next().orElseThrow()) {
                assertEquals(9007199254740993L, frame.json().get("id").longValue());
                assertEquals("123456789012345678901234567890", frame.json().get("big").toString());
                assertEquals("1.10", frame.json().get("d").toString());
            }
        }
    }

    @Test
    void incompleteMessageLongerThanTheLimitFailsWithoutWaitingForItsEnd() throws Exception {
        try (FrameDecoder decoder = new FrameDecoder(64)) {
            byte[] bytes = utf8("{\"p\":\"" + "a".repeat(100));
            decoder.feed(bytes, 0, bytes.length, List.of());
            MessageTooLargeException e = assertThrows(MessageTooLargeException.class, decoder::next);
            assertEquals(64, e.limit());
        }
    }

    @Test
    void completeMessageLongerThanTheLimitFailsAndOneAtTheLimitPasses() throws Exception {
        String atLimit = "{\"p\":\"" + "b".repeat(64 - 8) + "\"}";
        assertEquals(64, atLimit.length());
        try (FrameDecoder decoder = new FrameDecoder(64)) {
            byte[] bytes = utf8(atLimit + atLimit.replace("{", "{ "));
            decoder.feed(bytes, 0, bytes.length, List.of());
            decoder.next().orElseThrow().close();
            assertThrows(MessageTooLargeException.class, decoder::next);
        }
    }

    @Test
    void closingTheDecoderClosesQueuedFds() throws Exception {
        List<OwnedFd> fds = TestFds.numbered("q", 4);
        FrameDecoder decoder = new FrameDecoder(LIMIT);
        decoder.feed(utf8("{\"fds\":9}"), 0, 9, fds);
        assertTrue(decoder.next().isEmpty());
        assertEquals(4, decoder.queuedFds());
        decoder.close();
        assertTrue(fds.stream().noneMatch(OwnedFd::isOpen));
        OwnedFd late = TestFds.memfd("after-close");
        assertThrows(IllegalStateException.class, () -> decoder.feed(utf8(" "), 0, 1, List.of(late)));
        assertFalse(late.isOpen(), "fds fed to a closed decoder are closed, not leaked");
    }
}
