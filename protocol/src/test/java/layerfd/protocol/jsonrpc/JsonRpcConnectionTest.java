package layerfd.protocol.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.FdpassFrame;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.fdpass.FramingException;
import layerfd.protocol.fdpass.Json;
import layerfd.protocol.fdpass.NoFdLeaks;
import layerfd.protocol.fdpass.RawPeer;
import layerfd.protocol.fdpass.TestFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two JsonRpcConnections (or one and a raw fdpass peer) over a real socketpair. */
@ExtendWith(NoFdLeaks.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JsonRpcConnectionTest {
    private static final long WAIT_SECONDS = 30;

    /** A client connection and a server connection serving {@link TestMethods}. */
    private record Endpoints(JsonRpcConnection client, JsonRpcConnection server) implements AutoCloseable {
        static Endpoints open(FdpassOptions options) throws IOException {
            FdpassSocket.Pair pair = FdpassSocket.pair(options);
            return new Endpoints(JsonRpcConnection.start(pair.first(), MethodTable.empty()),
                    JsonRpcConnection.start(pair.second(), TestMethods.table()));
        }

        static Endpoints open() throws IOException {
            return open(FdpassOptions.defaults());
        }

        Response call(String method, String params, List<OwnedFd> fds) throws Exception {
            JsonNode p = params == null ? null : Json.object("{\"p\":" + params + "}").get("p");
            return client.call(method, p, fds).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            client.close();
            server.close();
            awaitEnd(client);
            awaitEnd(server);
        }
    }

    /** A server connection and a raw fdpass socket as its client, to see exact wire messages. */
    private record RawClient(FdpassSocket raw, JsonRpcConnection server) implements AutoCloseable {
        static RawClient open() throws IOException {
            FdpassSocket.Pair pair = FdpassSocket.pair();
            return new RawClient(pair.first(), JsonRpcConnection.start(pair.second(), TestMethods.table()));
        }

        void send(String json) throws IOException {
            raw.sender().send(Json.object(json), List.of());
        }

        String receiveText() throws IOException {
            try (FdpassFrame frame = raw.receiver().receive().orElseThrow()) {
                return new String(frame.bytes(), StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            raw.close();
            awaitEnd(server);
        }
    }

    /** Waits for the connection to end, however it ended. */
    private static void awaitEnd(JsonRpcConnection connection) {
        connection.closed().handle((v, e) -> null).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
    }

    @Test
    void echoReturnsNestedParamsUnchanged() throws Exception { // [Rust 3, 34]
        String params = "{\"nested\":{\"list\":[1,\"two\",null,true,{\"x\":1.50}],\"s\":\"<&>\"}}";
        try (Endpoints e = Endpoints.open(); Response r = e.call("echo", params, List.of())) {
            assertFalse(r.isError());
            assertEquals(Json.object("{\"p\":" + params + "}").get("p"), r.result());
        }
    }

    @Test
    void sequentialAddCallsGetTheirSumsAndIds() throws Exception { // [Rust 37]
        try (Endpoints e = Endpoints.open()) {
            for (int i = 1; i <= 3; i++) {
                try (Response r = e.call("add", "[1,2]", List.of())) {
                    assertEquals(IntNode.valueOf(3), r.result());
                    assertEquals(String.valueOf(i), r.id().toString());
                }
            }
        }
    }

    @Test
    void arrayParamsAndAbsentParamsReachTheHandler() throws Exception { // [Rust 41, 42]
        try (Endpoints e = Endpoints.open();
                Response sum = e.call("sum", "[1,2,3,4,5]", List.of());
                Response none = e.call("has_params", null, List.of())) {
            assertEquals(15, sum.result().intValue());
            assertFalse(none.result().booleanValue());
        }
    }

    @Test
    void unknownMethodIsAnErrorWithoutResult() throws Exception { // [Rust 36]
        try (RawClient c = RawClient.open()) {
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"id\":1}");
            assertEquals("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found: nope\"},"
                    + "\"id\":1}", c.receiveText());
        }
    }

    @Test
    void rawCompactRequestGetsACompactResponseWithResultAndId() throws Exception { // [Rust 38, 40]
        try (RawClient c = RawClient.open()) {
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[2,3],\"id\":\"request-uuid-123\"}");
            assertEquals("{\"jsonrpc\":\"2.0\",\"result\":5,\"id\":\"request-uuid-123\"}", c.receiveText());
        }
    }

    @Test
    void nullResultIsSentAsResultNull() throws Exception {
        try (RawClient c = RawClient.open()) {
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"null\",\"id\":9007199254740993}");
            assertEquals("{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":9007199254740993}", c.receiveText());
        }
    }

    @Test
    void notificationGetsNoResponse() throws Exception { // [Rust 7, 35]
        try (RawClient c = RawClient.open()) {
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"ignored\"]}");
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}");
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,1],\"id\":2}");
            assertEquals("{\"jsonrpc\":\"2.0\",\"result\":2,\"id\":2}", c.receiveText(),
                    "the first message back answers the request: the notifications got nothing");
        }
    }

    @Test
    void invalidRequestGetsMinus32600AndTheConnectionStaysOpen() throws Exception {
        try (RawClient c = RawClient.open()) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":5}");
            assertEquals("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid request: an object "
                    + "with none of method, result and error\"},\"id\":null}", c.receiveText());
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":\"scalar\",\"id\":6}");
            String answer = c.receiveText();
            assertTrue(answer.contains("\"code\":-32600") && answer.endsWith("\"id\":6}"), answer);
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[4,4],\"id\":7}");
            assertEquals("{\"jsonrpc\":\"2.0\",\"result\":8,\"id\":7}", c.receiveText());
        }
    }

    @Test
    void framingErrorSendsOneMinus32050WithNullIdAndClosesTheConnection() throws Exception {
        RawPeer.Pair pair = RawPeer.pair();
        JsonRpcConnection server = JsonRpcConnection.start(pair.socket(), TestMethods.table());
        try (RawPeer raw = pair.raw()) {
            raw.send("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1,\"fds\":true}");
            assertEquals("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32050,\"message\":\"\\\"fds\\\" must be a "
                    + "non-negative integer, got true\"},\"id\":null}", raw.read().text());
            assertNull(raw.read(), "then the server closed the connection");
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> server.closed().get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(FramingException.class, e.getCause());
        }
    }

    @Test
    void fdsOfARequestReachTheHandlerInOrder() throws Exception { // [Rust 4, 5, 17; Go 60 read_fd]
        try (Endpoints e = Endpoints.open();
                Response r = e.call("read_fds", null, List.of(TestFds.memfd("test data from go"),
                        TestFds.memfd("second")))) {
            assertEquals(Json.object("{\"p\":[\"test data from go\",\"second\"]}").get("p"), r.result());
        }
    }

    @Test
    void fdsOfAResponseAreOwnedByTheResponse() throws Exception { // [Rust 31; Go 60 create_pipe]
        try (Endpoints e = Endpoints.open(FdpassOptions.defaults().withMaxFdsPerSendmsg(1));
                Response r = e.call("create_fds", "{\"count\":5,\"prefix\":\"hello from rust\"}", List.of())) {
            assertEquals(5, r.result().intValue());
            assertEquals(TestFds.expectedNumbered("hello from rust", 5), TestFds.contents(r.fds()));
        }
    }

    @Test
    void thousandPipelinedRequestsAreAllAnsweredAndSlowOnesFinishLast() throws Exception {
        int calls = 1000;
        try (Endpoints e = Endpoints.open()) {
            ConcurrentLinkedQueue<Integer> completionOrder = new ConcurrentLinkedQueue<>();
            List<CompletableFuture<Response>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int tag = i;
                String params = "{\"ms\":" + (i % 100 == 5 ? 300 : 0) + ",\"tag\":" + i + "}";
                List<OwnedFd> fds = i % 10 == 0 ? List.of(TestFds.memfd("pipelined-" + i)) : List.of();
                CompletableFuture<Response> f = e.client.call(i % 10 == 0 ? "read_fds" : "sleep",
                        Json.object("{\"p\":" + params + "}").get("p"), fds);
                futures.add(f);
                f.thenRun(() -> completionOrder.add(tag));
            }
            for (int i = 0; i < calls; i++) {
                try (Response r = futures.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    assertEquals(String.valueOf(i + 1), r.id().toString());
                    if (i % 10 == 0) {
                        assertEquals("pipelined-" + i, r.result().get(0).textValue());
                    } else {
                        assertEquals(i, r.result().intValue());
                    }
                }
            }
            List<Integer> order = List.copyOf(completionOrder);
            assertEquals(calls, order.size());
            // Call 105 sleeps 300 ms, call 106 not: 106 is answered first although it was sent later.
            assertTrue(order.indexOf(105) > order.indexOf(106), "out of order: " + order.subList(0, 20));
            assertEquals(0, e.client.pendingCalls());
        }
    }

    @Test
    void responseLargerThanTheLimitBecomesAResourceLimitError() throws Exception {
        try (Endpoints e = Endpoints.open(FdpassOptions.defaults().withMaxMessageBytes(4096));
                Response r = e.call("big", "{\"bytes\":10000}", List.of())) {
            assertEquals(ErrorCodes.RESOURCE_LIMIT_REACHED, r.error().code());
            assertTrue(r.error().message().contains("exceeds the limit of 4096 bytes"), r.error().message());
        }
    }

    @Test
    void peerThatHalfClosesAfterItsRequestsStillGetsEveryAnswer() throws Exception {
        try (RawClient c = RawClient.open()) {
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"sleep\",\"params\":{\"ms\":200,\"tag\":\"slow\"},\"id\":1}");
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"sleep\",\"params\":{\"ms\":0,\"tag\":\"fast\"},\"id\":2}");
            c.raw().shutdownOutput();
            assertEquals("{\"jsonrpc\":\"2.0\",\"result\":\"fast\",\"id\":2}", c.receiveText());
            assertEquals("{\"jsonrpc\":\"2.0\",\"result\":\"slow\",\"id\":1}", c.receiveText());
            assertTrue(c.raw().receiver().receive().isEmpty());
            assertNull(c.server().closed().get(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    @SuppressWarnings("try") // the peer is closed early on purpose
    void callsStillWaitingFailWhenThePeerGoesAway() throws Exception {
        FdpassSocket.Pair pair = FdpassSocket.pair();
        JsonRpcConnection client = JsonRpcConnection.start(pair.first(), MethodTable.empty());
        try (FdpassSocket silent = pair.second()) {
            CompletableFuture<Response> call = client.call("never-answered", null,
                    List.of(TestFds.memfd("closed by the peer")));
            try (FdpassFrame request = silent.receiver().receive().orElseThrow()) {
                assertEquals(1, request.fdCount());
            }
            silent.close();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> call.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals("peer closed the connection", e.getCause().getMessage());
            client.closed().get(WAIT_SECONDS, TimeUnit.SECONDS);
            ExecutionException late = assertThrows(ExecutionException.class,
                    () -> client.call("late", null, List.of()).get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, late.getCause());
        }
    }

    @Test
    void closingTheConnectionFailsWaitingCallsAndClosesTheSocket() throws Exception {
        FdpassSocket.Pair pair = FdpassSocket.pair();
        JsonRpcConnection client = JsonRpcConnection.start(pair.first(), MethodTable.empty());
        try (FdpassSocket silent = pair.second()) {
            CompletableFuture<Response> call = client.call("never-answered", null, List.of());
            silent.receiver().receive().orElseThrow().close();
            client.close();
            assertThrows(ExecutionException.class, () -> call.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertNull(client.closed().get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(silent.receiver().receive().isEmpty(), "the peer sees end of stream");
        }
    }

    @Test
    void bothSidesCanCallEachOther() throws Exception {
        FdpassSocket.Pair pair = FdpassSocket.pair();
        JsonRpcConnection a = JsonRpcConnection.start(pair.first(), TestMethods.table());
        JsonRpcConnection b = JsonRpcConnection.start(pair.second(), TestMethods.table());
        try (Response fromA = a.call("add", Json.object("{\"p\":[1,2]}").get("p"), List.of())
                        .get(WAIT_SECONDS, TimeUnit.SECONDS);
                Response fromB = b.call("add", Json.object("{\"p\":[3,4]}").get("p"), List.of())
                        .get(WAIT_SECONDS, TimeUnit.SECONDS)) {
            assertEquals(3, fromA.result().intValue());
            assertEquals(7, fromB.result().intValue());
        } finally {
            a.close();
            b.close();
            awaitEnd(a);
            awaitEnd(b);
        }
    }
}
