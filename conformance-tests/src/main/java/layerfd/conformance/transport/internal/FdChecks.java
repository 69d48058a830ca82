package layerfd.conformance.transport.internal;

import static layerfd.conformance.transport.TransportMethods.CREATE_PIPE;
import static layerfd.conformance.transport.TransportMethods.ECHO_FDS;
import static layerfd.conformance.transport.TransportMethods.FD_COUNT;
import static layerfd.conformance.transport.TransportMethods.READ_FILE;
import static layerfd.conformance.transport.TransportMethods.UPSTREAM_EXAMPLE_PIPE_TEXT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import layerfd.conformance.internal.FdContent;
import layerfd.conformance.internal.FdInspection;
import layerfd.conformance.internal.PeerConnection;
import layerfd.conformance.report.CheckFailed;
import layerfd.conformance.report.CheckSkipped;
import layerfd.linux.Fcntl;
import layerfd.linux.OwnedFd;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.Response;

/** fds both ways: one fd in, one fd out, and more fds than one sendmsg can carry (SCM_MAX_FD 253) each way. */
public final class FdChecks {
    /** More than Linux's SCM_MAX_FD (253), so both senders must batch (README §4.1). */
    public static final int BATCHED_FD_COUNT = 300;
    static final String READ_FILE_TEXT = "layerfd conformance: readFile through one fd <&>\n";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final TransportSession session;

    public FdChecks(TransportSession session) {
        this.session = session;
    }

    /** One memfd with known text in; its content comes back as the result string. */
    public void readFileOneFd() throws Exception {
        try (PeerConnection peer = session.connect();
                Response response = peer.callForResult(READ_FILE, JSON.objectNode(),
                        List.of(FdContent.memfdWith("read-file", READ_FILE_TEXT)))) {
            CheckFailed.unless(response.result().isTextual(), "result is not a string: " + response.result());
            CheckFailed.unlessEqual(READ_FILE_TEXT, response.result().asText(), "file content");
        }
    }

    /** One pipe read end back: readable to EOF with the announced text, not writable, close-on-exec. */
    public void createPipe() throws Exception {
        try (PeerConnection peer = session.connect();
                Response response = peer.callForResult(CREATE_PIPE, null, List.of())) {
            CheckFailed.unlessEqual(1, response.fds().size(), "fds in the answer");
            String expected = announcedPipeText(response.result());
            OwnedFd pipe = response.fds().getFirst();
            CheckFailed.unlessEqual("read-only", FdInspection.accessMode(pipe), "access mode of the pipe fd");
            CheckFailed.unless(Fcntl.isCloseOnExec(pipe.get()), "the received fd is not close-on-exec");
            CheckFailed.unless(FdInspection.target(pipe).startsWith("pipe:"),
                    "the fd is no pipe: " + FdInspection.target(pipe));
            CheckFailed.unlessEqual(expected, FdContent.readAll(pipe), "text read from the pipe to EOF");
        }
    }

    /** 300 memfds in one request; the peer reports each one's content in position order. */
    public void fdCountBatched() throws Exception {
        try (PeerConnection peer = session.connect();
                Response response = callOrSkip(peer, FD_COUNT, numberedMemfds(BATCHED_FD_COUNT))) {
            CheckFailed.unlessEqual(BATCHED_FD_COUNT, response.result().path("count").asInt(-1), "count");
            JsonNode contents = response.result().path("contents");
            CheckFailed.unlessEqual(BATCHED_FD_COUNT, contents.size(), "entries in contents");
            for (int i = 0; i < BATCHED_FD_COUNT; i++) {
                CheckFailed.unlessEqual(numbered(i), contents.get(i).asText(), "content of fd #" + i);
            }
        }
    }

    /** 300 fds back in one response: all arrive, in order, close-on-exec, and read from offset 0. */
    public void echoFdsBatched() throws Exception {
        try (PeerConnection peer = session.connect();
                Response response = callOrSkip(peer, ECHO_FDS, numberedMemfds(BATCHED_FD_COUNT))) {
            CheckFailed.unlessEqual(BATCHED_FD_COUNT, response.result().path("count").asInt(-1), "count");
            CheckFailed.unlessEqual(BATCHED_FD_COUNT, response.fds().size(), "fds in the answer");
            for (int i = 0; i < BATCHED_FD_COUNT; i++) {
                OwnedFd fd = response.fds().get(i);
                CheckFailed.unless(Fcntl.isCloseOnExec(fd.get()), "received fd #" + i + " is not close-on-exec");
                CheckFailed.unlessEqual(numbered(i), FdContent.readAll(fd), "content of returned fd #" + i);
            }
        }
    }

    /** The upstream example server has only echo, readFile and createPipe: -32601 there is a SKIP. */
    private static Response callOrSkip(PeerConnection peer, String method, List<OwnedFd> fds) throws Exception {
        Response response = peer.call(method, JSON.objectNode(), fds);
        if (response.isError()) {
            response.close();
            if (response.error().code() == ErrorCodes.METHOD_NOT_FOUND) {
                throw new CheckSkipped("the peer has no " + method + " method (-32601); the upstream example server"
                        + " implements only echo, readFile and createPipe");
            }
            PeerConnection.requireResult(response, method);
        }
        return response;
    }

    /**
     * The reference and test peers answer {@code {"text": T}}; the upstream example answers
     * {@code {"message": "pipe created"}} and always writes the same text.
     */
    private static String announcedPipeText(JsonNode result) throws CheckFailed {
        if (result.path("text").isTextual()) {
            return result.get("text").asText();
        }
        if ("pipe created".equals(result.path("message").asText())) {
            return UPSTREAM_EXAMPLE_PIPE_TEXT;
        }
        throw new CheckFailed("the result names no text to expect in the pipe: " + result);
    }

    static String numbered(int i) {
        return "fd-%04d".formatted(i);
    }

    private static List<OwnedFd> numberedMemfds(int count) throws Exception {
        List<OwnedFd> fds = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                fds.add(FdContent.memfdWith(numbered(i), numbered(i)));
            }
        } catch (Exception e) {
            fds.forEach(OwnedFd::close);
            throw e;
        }
        return fds;
    }
}
