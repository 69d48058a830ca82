package layerfd.conformance.transport.internal;

import static layerfd.conformance.transport.TransportMethods.ECHO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import layerfd.conformance.internal.PeerConnection;
import layerfd.conformance.report.CheckFailed;
import layerfd.conformance.report.CheckSkipped;
import layerfd.conformance.transport.PeerQuirks;
import layerfd.protocol.fdpass.FdpassFrame;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.Response;

/** JSON-RPC 2.0 through {@code echo}: params and ids come back exactly; absent params; unknown methods. */
public final class EchoChecks {
    /** 2^53 + 1: the smallest integer a float64 cannot hold, so a peer that keeps ids as doubles changes it. */
    static final long LARGE_INT_ID = 9007199254740993L;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String UNKNOWN_METHOD = "layerfd.conformance.noSuchMethod";

    private final TransportSession session;

    public EchoChecks(TransportSession session) {
        this.session = session;
    }

    /** Nested objects, arrays, null, a fraction, non-ASCII and the {@code <>&} that Go escapes (brief §1). */
    public void nestedParams() throws Exception {
        ObjectNode params = JSON.objectNode().put("name", "layerfd").put("unicode", "é ✓ \u2028");
        ObjectNode nested = params.putObject("nested");
        nested.putArray("list").add(1).add(2.5).addNull().add(true).add("<a & b>");
        nested.putObject("empty");
        nested.putObject("deeper").putObject("deepest").put("n", -7);
        echoesExactly(params);
    }

    /** Array params (upstream test_array_params). */
    public void arrayParams() throws Exception {
        echoesExactly(JSON.arrayNode().add(1).add(2).add(3).add("four").add(JSON.objectNode().put("five", 5)));
    }

    /** A string id comes back as the same string (upstream test_string_id_handling). */
    public void stringId() throws Exception {
        idComesBack(JSON.textNode("layerfd-conformance-request-7"));
    }

    /** 2^53 + 1 comes back exactly; a peer that decodes ids as float64 cannot (Go, brief §11). */
    public void largeIntegerId() throws Exception {
        JsonNode id = JSON.numberNode(LARGE_INT_ID);
        JsonNode params = JSON.objectNode().put("id", "large");
        try (PeerConnection peer = session.connect()) {
            peer.send(PeerConnection.request(id, ECHO, params), List.of());
            try (Response response = PeerConnection.decodeResponse(peer.receive())) {
                if (!PeerConnection.sameId(id, response.id())) {
                    if (session.quirk(PeerQuirks.GO)) {
                        throw new CheckSkipped("Go keeps ids as float64 (--peer-quirks go): " + LARGE_INT_ID
                                + " came back as " + response.id());
                    }
                    throw new CheckFailed("id " + LARGE_INT_ID + " came back as " + response.id());
                }
                PeerConnection.requireResult(response, ECHO);
                PeerConnection.requireSameJson(params, response.result(), "echoed params");
            }
        }
    }

    /** No {@code params} key: the answer carries {@code "result": null}, not an omitted result. */
    public void absentParams() throws Exception {
        resultIsNull(null);
    }

    /** {@code "params": null}: read as no params, answered with {@code "result": null}. */
    public void nullParams() throws Exception {
        resultIsNull(NullNode.getInstance());
    }

    /** An unknown method is error -32601 (JSON-RPC 2.0 §5.1), and no result. */
    public void methodNotFound() throws Exception {
        try (PeerConnection peer = session.connect();
                Response response = peer.call(UNKNOWN_METHOD, JSON.objectNode(), List.of())) {
            CheckFailed.unless(response.isError(), UNKNOWN_METHOD + " answered a result: " + response.result());
            CheckFailed.unlessEqual(ErrorCodes.METHOD_NOT_FOUND, response.error().code(), "error code");
        }
    }

    /** A notification is never answered: the next message is the answer to the request sent after it. */
    public void notificationGetsNoResponse() throws Exception {
        try (PeerConnection peer = session.connect()) {
            ObjectNode notification = JSON.objectNode().put("jsonrpc", "2.0").put("method", ECHO);
            notification.putObject("params").put("notification", true);
            peer.send(notification, List.of());
            JsonNode id = JSON.textNode("after-notification");
            peer.send(PeerConnection.request(id, ECHO, JSON.objectNode().put("after", true)), List.of());
            peer.receiveResponse(id).close();
        }
    }

    private void echoesExactly(JsonNode params) throws Exception {
        try (PeerConnection peer = session.connect();
                Response response = peer.callForResult(ECHO, params, List.of())) {
            PeerConnection.requireSameJson(params, response.result(), "echoed params");
        }
    }

    private void idComesBack(JsonNode id) throws Exception {
        try (PeerConnection peer = session.connect()) {
            JsonNode params = JSON.objectNode().put("id", id.toString());
            peer.send(PeerConnection.request(id, ECHO, params), List.of());
            try (Response response = peer.receiveResponse(id)) {
                PeerConnection.requireResult(response, ECHO);
                PeerConnection.requireSameJson(id, response.id(), "response id");
                PeerConnection.requireSameJson(params, response.result(), "echoed params");
            }
        }
    }

    private void resultIsNull(JsonNode params) throws Exception {
        try (PeerConnection peer = session.connect()) {
            JsonNode id = peer.nextId();
            peer.send(PeerConnection.request(id, ECHO, params), List.of());
            FdpassFrame frame = peer.receive();
            if (!frame.json().has("result") && !frame.json().has("error")) {
                String raw = frame.json().toString();
                frame.close();
                if (session.quirk(PeerQuirks.GO)) {
                    throw new CheckSkipped("Go omits a nil result (--peer-quirks go): the answer was " + raw);
                }
                throw new CheckFailed("the answer has neither result nor error (a null result must be written as"
                        + " \"result\":null): " + raw);
            }
            try (Response response = PeerConnection.decodeResponse(frame)) {
                CheckFailed.unless(PeerConnection.sameId(id, response.id()), "response id " + response.id());
                PeerConnection.requireResult(response, ECHO);
                CheckFailed.unless(response.result().isNull(), "expected result null, got " + response.result());
            }
        }
    }
}
