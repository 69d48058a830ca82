package layerfd.protocol.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.Json;
import layerfd.protocol.fdpass.NoFdLeaks;
import layerfd.protocol.fdpass.TestFds;
import layerfd.protocol.fdpass.internal.FdpassJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Classification (brief §7) and serialization of JSON-RPC messages; upstream checklist numbers in brackets. */
@ExtendWith(NoFdLeaks.class)
class JsonRpcCodecTest {

    private static String wire(JsonRpcMessage message) throws Exception {
        return FdpassJson.MAPPER.writeValueAsString(JsonRpcCodec.encode(message));
    }

    @Test
    void methodAndIdIsARequestWithItsParamsAndFds() throws Exception { // [Go 48, 53]
        OwnedFd fd = TestFds.memfd("req");
        JsonRpcMessage m = JsonRpcCodec.decode(Frames.of(
                "{\"jsonrpc\":\"2.0\",\"method\":\"read\",\"params\":{\"a\":[1]},\"id\":42,\"fds\":1}", List.of(fd)));
        try (Request r = assertInstanceOf(Request.class, m)) {
            assertEquals("read", r.method());
            assertEquals("42", r.id().toString());
            assertEquals(Json.object("{\"a\":[1]}"), r.params());
            assertEquals("req", TestFds.content(r.fds().get(0)));
        }
    }

    @Test
    void nullIdWithMethodIsStillARequest() throws Exception {
        JsonRpcMessage m = JsonRpcCodec.decode(Frames.of("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":null}"));
        Request r = assertInstanceOf(Request.class, m);
        assertTrue(r.id().isNull());
        assertFalse(r.hasParams());
    }

    @Test
    void resultOrErrorWithoutMethodIsAResponse() throws Exception { // [Go 48]
        Response ok = assertInstanceOf(Response.class,
                JsonRpcCodec.decode(Frames.of("{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":\"a\"}")));
        assertTrue(ok.result().isNull());
        assertFalse(ok.isError());
        Response err = assertInstanceOf(Response.class, JsonRpcCodec.decode(Frames.of(
                "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"nope\",\"data\":[1]},\"id\":7}")));
        assertEquals(new RpcError(-32601, "nope", Json.object("{\"d\":[1]}").get("d")), err.error());
    }

    @Test
    void methodWithoutIdIsANotification() throws Exception { // [Go 48, Rust 39]
        Notification n = assertInstanceOf(Notification.class, JsonRpcCodec.decode(Frames.of(
                "{\"jsonrpc\":\"2.0\",\"method\":\"progress\",\"params\":[1,2,3,4,5]}")));
        assertEquals("progress", n.method());
        assertTrue(n.params().isArray());
        assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"progress\",\"params\":[1,2,3,4,5]}", wire(n));
    }

    @Test
    void objectWithNoneOfMethodResultErrorIsAnAnswerableInvalidRequestWithNullId() throws Exception {
        OwnedFd fd = TestFds.memfd("closed-with-the-invalid-message");
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> JsonRpcCodec.decode(Frames.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"fds\":1}", List.of(fd))));
        assertTrue(e.answerable());
        assertEquals(NullNode.getInstance(), e.id());
        assertFalse(fd.isOpen());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"method\":\"m\",\"id\":1}",
        "{\"jsonrpc\":\"1.0\",\"method\":\"m\",\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":7,\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":\"scalar\",\"id\":1}"})
    void malformedRequestWithReadableIdIsAnsweredWithThatId(String json) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> JsonRpcCodec.decode(Frames.of(json)));
        assertTrue(e.answerable());
        assertEquals("1", e.id().toString());
        assertTrue(e.getMessage().startsWith("Invalid request: "), e.getMessage());
    }

    @Test
    void nullParamsAreReadAsAbsentParams() throws Exception {
        Request r = assertInstanceOf(Request.class, JsonRpcCodec.decode(
                Frames.of("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":null,\"id\":1}")));
        assertFalse(r.hasParams());
        assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}", wire(r));
    }

    @Test
    void requestWithAnObjectIdIsAnsweredWithNullId() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> JsonRpcCodec.decode(Frames.of("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":{\"x\":1}}")));
        assertTrue(e.answerable());
        assertTrue(e.id().isNull());
    }

    @Test
    void responseWithBothResultAndErrorIsInvalidAndNotAnswered() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> JsonRpcCodec.decode(
                Frames.of("{\"jsonrpc\":\"2.0\",\"result\":1,\"error\":{\"code\":1,\"message\":\"m\"},\"id\":3}")));
        assertFalse(e.answerable());
        assertEquals("3", e.id().toString());
    }

    @Test
    void goStyleResponseWithoutResultIsInvalid() {
        // Go's omitempty drops a nil result: {"jsonrpc":"2.0","id":1} (brief §7). Neither a response nor a request.
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> JsonRpcCodec.decode(Frames.of("{\"jsonrpc\":\"2.0\",\"id\":1}")));
        assertTrue(e.getMessage().contains("none of method, result and error"), e.getMessage());
    }

    @Test
    void requestSerializesWithMethodParamsAndIdAndOmitsAbsentParams() throws Exception { // [Rust 1, 39, 41]
        Request withParams = new Request(Json.object("{\"i\":1}").get("i"), "echo",
                Json.object("{\"msg\":\"hi\"}"), List.of());
        assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":{\"msg\":\"hi\"},\"id\":1}", wire(withParams));
        Request without = new Request(NullNode.getInstance(), "ping", null, List.of());
        assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":null}", wire(without));
    }

    @Test
    void nullResultIsWrittenAsResultNullNeverOmitted() throws Exception {
        Response r = Response.success(Json.object("{\"i\":5}").get("i"), null, List.of());
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":5}", wire(r));
    }

    @Test
    void errorResponseSerializesCodeMessageAndOptionalData() throws Exception { // [Rust 36]
        Response r = Response.failure(NullNode.getInstance(), new RpcError(ErrorCodes.LAYER_NOT_FOUND, "no layer x"));
        assertEquals("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"no layer x\"},\"id\":null}",
                wire(r));
    }

    @Test
    void idsRoundTripExactlyAsReceived() throws Exception { // [Rust 40]
        for (String id : List.of("9007199254740993", "\"request-uuid-123\"", "1.10", "-0", "1e3",
                "123456789012345678901234567890")) {
            Request r = assertInstanceOf(Request.class, JsonRpcCodec.decode(
                    Frames.of("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":" + id + "}")));
            String answer = wire(Response.success(r.id(), null, List.of()));
            assertEquals("{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":"
                    + Json.object("{\"v\":" + id + "}").get("v") + "}", answer);
        }
        Request big = assertInstanceOf(Request.class, JsonRpcCodec.decode(
                Frames.of("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":9007199254740993}")));
        assertTrue(wire(Response.success(big.id(), null, List.of())).endsWith("\"id\":9007199254740993}"));
    }

    @Test
    void takenFdsSurviveClosingTheMessage() throws Exception {
        OwnedFd taken;
        try (Request r = new Request(NullNode.getInstance(), "m", null,
                List.of(TestFds.memfd("keep"), TestFds.memfd("drop")))) {
            taken = r.takeFd(0);
        }
        try (taken) {
            assertEquals("keep", TestFds.content(taken));
        }
    }
}
