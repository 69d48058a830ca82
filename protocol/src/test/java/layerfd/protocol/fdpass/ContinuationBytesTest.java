package layerfd.protocol.fdpass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the sender puts on the wire, seen by a raw peer one recvmsg at a time: the first fd batch rides on the
 * message's first byte, and every further batch is its own sendmsg of exactly one 0x20 byte (README §4.1).
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContinuationBytesTest {

    private static List<RawPeer.Read> readUntilEnd(RawPeer raw) throws Exception {
        List<RawPeer.Read> reads = new ArrayList<>();
        for (RawPeer.Read read = raw.read(); read != null; read = raw.read()) {
            reads.add(read);
        }
        return reads;
    }

    @Test
    void fiveFdsInBatchesOfTwoAreJsonWithTwoThenSpaceWithTwoThenSpaceWithOne() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair(FdpassOptions.defaults().withMaxFdsPerSendmsg(2))) {
            pair.socket().sender().send(Json.object("{\"m\":1}"), TestFds.numbered("c", 5));
            pair.socket().sender().send(Json.object("{\"m\":2}"), List.of());
            pair.socket().shutdownOutput();
            List<RawPeer.Read> reads = readUntilEnd(pair.raw());
            assertEquals(List.of("{\"m\":1,\"fds\":5}", " ", " ", "{\"m\":2}"),
                    reads.stream().map(RawPeer.Read::text).toList());
            assertEquals(List.of(2, 2, 1, 0), reads.stream().map(RawPeer.Read::fdCount).toList());
        }
    }

    @Test
    void exactBoundaryNeedsNoContinuationAndOneMoreFdNeedsExactlyOne() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair(FdpassOptions.defaults().withMaxFdsPerSendmsg(5))) {
            pair.socket().sender().send(Json.object("{\"n\":5}"), TestFds.numbered("e", 5));
            pair.socket().sender().send(Json.object("{\"n\":6}"), TestFds.numbered("f", 6));
            pair.socket().shutdownOutput();
            List<RawPeer.Read> reads = readUntilEnd(pair.raw());
            assertEquals(List.of("{\"n\":5,\"fds\":5}", "{\"n\":6,\"fds\":6}", " "),
                    reads.stream().map(RawPeer.Read::text).toList());
            assertEquals(List.of(5, 5, 1), reads.stream().map(RawPeer.Read::fdCount).toList());
        }
    }

    @Test
    void thousandFdsAtTheDefaultBatchAreFourSendmsgsOfAtMost253() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair()) {
            pair.socket().sender().send(Json.object("{}"), TestFds.numbered("t", 1000));
            pair.socket().shutdownOutput();
            List<RawPeer.Read> reads = readUntilEnd(pair.raw());
            assertEquals(List.of("{\"fds\":1000}", " ", " ", " "), reads.stream().map(RawPeer.Read::text).toList());
            assertEquals(List.of(253, 253, 253, 241), reads.stream().map(RawPeer.Read::fdCount).toList());
        }
    }

    @Test
    void noBytesFollowTheLastBatch() throws Exception {
        try (RawPeer.Pair pair = RawPeer.pair(FdpassOptions.defaults().withMaxFdsPerSendmsg(1))) {
            pair.socket().sender().send(Json.object("{}"), TestFds.numbered("one", 2));
            pair.socket().shutdownOutput();
            assertEquals("{\"fds\":2}", pair.raw().read().text());
            RawPeer.Read continuation = pair.raw().read();
            assertEquals(" ", continuation.text());
            assertEquals(1, continuation.fdCount());
            assertNull(pair.raw().read(), "end of stream right after the single continuation byte");
        }
    }

    @Test
    void batchesOfEightFitAReceiverWithRoomForEightFdsLikeTheOldGoPeer() throws Exception {
        // The Go copy vendored in container-libs receives into a control buffer for 8 fds (brief §6):
        // CMSG_SPACE(8 * 4) = 48 bytes. With maxFdsPerSendmsg 8 no recvmsg is truncated.
        FdpassOptions oldGo = FdpassOptions.defaults().withMaxFdsPerSendmsg(8).withAncillaryReceiveBytes(48);
        try (RawPeer.Pair pair = RawPeer.pair(oldGo)) {
            pair.socket().sender().send(Json.object("{}"), TestFds.numbered("eight", 20));
            pair.socket().shutdownOutput();
            List<RawPeer.Read> reads = readUntilEnd(pair.raw());
            assertEquals(List.of(8, 8, 4), reads.stream().map(RawPeer.Read::fdCount).toList());
        }
    }
}
