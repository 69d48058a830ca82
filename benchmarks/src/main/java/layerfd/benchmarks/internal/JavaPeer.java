package layerfd.benchmarks.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import layerfd.linux.LinuxException;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.protocol.fdpass.FdpassServerSocket;
import layerfd.protocol.fdpass.FdpassSocket;
import layerfd.protocol.fdpass.TestFds;
import layerfd.protocol.jsonrpc.ErrorCodes;
import layerfd.protocol.jsonrpc.JsonRpcConnection;
import layerfd.protocol.jsonrpc.MethodTable;
import layerfd.protocol.jsonrpc.Reply;
import layerfd.protocol.jsonrpc.RpcException;

/** layerfd's own transport serving the benchmark methods in this process, one socket for every connection. */
public final class JavaPeer implements Peer {
    static final String NAME = "java";

    private static final MethodTable METHODS = MethodTable.builder()
            .add("null", request -> Reply.of(null))
            .add("read_fds", request -> {
                var contents = JsonNodeFactory.instance.arrayNode();
                try {
                    TestFds.contents(request.fds()).forEach(contents::add);
                } catch (LinuxException e) {
                    throw new RpcException(ErrorCodes.IO_ERROR, "cannot read an fd: " + e.getMessage());
                }
                return Reply.of(contents);
            })
            .build();

    private final FdpassServerSocket listener;
    private final List<JsonRpcConnection> served = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closing;

    private JavaPeer(FdpassServerSocket listener) {
        this.listener = listener;
        this.acceptor = Thread.ofPlatform().daemon().name("java-peer-accept").start(this::acceptAll);
    }

    static JavaPeer start(Path directory) throws IOException {
        return new JavaPeer(FdpassServerSocket.bind(directory.resolve("java-peer.sock"), FdpassOptions.defaults()));
    }

    private void acceptAll() {
        while (true) {
            try {
                served.add(JsonRpcConnection.start(listener.accept(), METHODS));
            } catch (IOException e) {
                if (closing) {
                    return; // close() ended the blocked accept
                }
                throw new UncheckedIOException("the Java peer stopped accepting connections", e);
            }
        }
    }

    @Override
    public PeerConnection connect() throws IOException {
        return new PeerConnection(JsonRpcConnection.start(FdpassSocket.connect(listener.path()), MethodTable.empty()),
                () -> {});
    }

    @Override
    public void close() throws IOException {
        closing = true;
        listener.close(); // ends the blocked accept without leaving a descriptor behind (ServerSocketCloseTest)
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        served.forEach(JsonRpcConnection::close);
    }
}
