package layerfd.protocol.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import layerfd.linux.OwnedFd;
import layerfd.protocol.fdpass.Json;
import layerfd.protocol.fdpass.NoFdLeaks;
import layerfd.protocol.fdpass.TestFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Dispatch of single messages without a socket (the process_message of the Rust server). */
@ExtendWith(NoFdLeaks.class)
class MethodTableTest {

    @Test
    void unknownMethodIsMinus32601NamingTheMethod() { // [Rust 36]
        Response r = MethodTable.empty().process(new Request(IntNode.valueOf(1), "NoSuchMethod", null, List.of()));
        assertEquals(ErrorCodes.METHOD_NOT_FOUND, r.error().code());
        assertEquals("Method not found: NoSuchMethod", r.error().message());
        assertEquals("1", r.id().toString());
    }

    @Test
    void rpcExceptionBecomesItsCodeMessageAndData() {
        MethodTable table = MethodTable.builder().add("GetImage", req -> {
            throw new RpcException(ErrorCodes.IMAGE_NOT_FOUND, "image not found: " + req.params().get("imageId"),
                    Json.object("{\"d\":1}"));
        }).build();
        Response r = table.process(new Request(TextNode.valueOf("x"), "GetImage",
                Json.object("{\"imageId\":\"abc\"}"), List.of()));
        assertEquals(new RpcError(ErrorCodes.IMAGE_NOT_FOUND, "image not found: \"abc\"", Json.object("{\"d\":1}")),
                r.error());
    }

    @Test
    void unexpectedExceptionBecomesInternalErrorWithoutAStackTrace() {
        MethodTable table = MethodTable.builder().add("boom", req -> {
            throw new IllegalStateException("disk on fire");
        }).build();
        Response r = table.process(new Request(IntNode.valueOf(2), "boom", null, List.of()));
        assertEquals(ErrorCodes.INTERNAL_ERROR, r.error().code());
        assertEquals("Internal error in boom: java.lang.IllegalStateException: disk on fire", r.error().message());
        assertFalse(r.error().message().contains("\tat "));
    }

    @Test
    void requestFdsAreClosedAfterTheHandlerUnlessTaken() throws Exception {
        AtomicReference<OwnedFd> taken = new AtomicReference<>();
        MethodTable table = MethodTable.builder().add("take-first", req -> {
            taken.set(req.takeFd(0));
            return Reply.of(null);
        }).build();
        OwnedFd first = TestFds.memfd("taken");
        OwnedFd second = TestFds.memfd("left");
        Response r = table.process(new Request(IntNode.valueOf(3), "take-first", null, List.of(first, second)));
        assertTrue(r.result().isNull());
        assertFalse(second.isOpen(), "the fd the handler left was closed with the request");
        try (OwnedFd fd = taken.get()) {
            assertEquals("taken", TestFds.content(fd));
        }
    }

    @Test
    void replyFdsAreHandedToTheResponse() throws Exception {
        MethodTable table = MethodTable.builder()
                .add("open", req -> {
                    try {
                        return new Reply(IntNode.valueOf(2), TestFds.numbered("r", 2));
                    } catch (layerfd.linux.LinuxException e) {
                        throw new RpcException(ErrorCodes.IO_ERROR, e.getMessage());
                    }
                }).build();
        try (Response r = table.process(new Request(IntNode.valueOf(4), "open", null, List.of()))) {
            assertEquals(List.of("r-0", "r-1"), TestFds.contents(r.fds()));
        }
    }

    @Test
    void notificationRunsTheHandlerAndDropsTheReplyAndItsFds() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        OwnedFd[] replyFd = new OwnedFd[1];
        MethodTable table = MethodTable.builder().add("note", req -> {
            seen.set(req.params().get("text").textValue());
            replyFd[0] = TestFds.memfdUnchecked("reply");
            return new Reply(null, List.of(replyFd[0]));
        }).build();
        table.process(new Notification("note", Json.object("{\"text\":\"hello\"}"), List.of(TestFds.memfd("n"))));
        assertEquals("hello", seen.get());
        assertFalse(replyFd[0].isOpen());
        table.process(new Notification("unknown", null, List.of(TestFds.memfd("dropped"))));
    }

    @Test
    void registeringAMethodTwiceIsRefused() {
        MethodTable.Builder builder = MethodTable.builder().add("m", req -> Reply.of(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.add("m", req -> Reply.of(null)));
        assertEquals("method registered twice: m", e.getMessage());
    }
}
