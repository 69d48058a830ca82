package layerfd.conformance.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import layerfd.conformance.internal.FdInspection;
import layerfd.conformance.internal.PeerConnection;
import layerfd.conformance.report.CheckFailed;
import layerfd.linux.Fcntl;
import layerfd.linux.FdInputStream;
import layerfd.linux.FileIo;
import layerfd.linux.Open;
import layerfd.linux.OwnedFd;
import layerfd.protocol.splitfdstream.ChunkHeader;
import layerfd.protocol.splitfdstream.SplitFdStreamException;
import layerfd.protocol.splitfdstream.SplitFdStreamReader;
import layerfd.protocol.jsonrpc.Response;

/**
 * Calls one stream method and inspects the answer: the stream fd (fds[0]) and content fds (fds[1..K], external
 * index i = fds[i+1], api-contract §3.1), and the payload reassembled as splitfdstream brief §1.1 says: inline
 * bytes as they are, every external chunk the WHOLE content of its fd read with pread from offset 0 (received fds
 * share their offset with the sender, so the current offset is never used).
 */
public final class LayerProbe {
    private LayerProbe() {}

    public static StreamFacts probe(PeerConnection peer, String method, JsonNode params)
            throws CheckFailed, IOException, InterruptedException {
        try (Response response = peer.callForResult(method, params, List.of())) {
            List<OwnedFd> fds = response.fds();
            CheckFailed.unless(!fds.isEmpty(), method + " answered without fds (expected 1 + K: stream, content)");
            OwnedFd stream = fds.getFirst();
            List<OwnedFd> content = fds.subList(1, fds.size());
            String target = FdInspection.target(stream);
            String memfdName = FdInspection.memfdName(stream);
            int seals = memfdName == null ? 0 : Fcntl.seals(stream.get());
            long offset = FdInspection.position(stream);
            long fileSize = FileIo.stat(stream.get()).size();
            List<Integer> writable = new ArrayList<>();
            for (int i = 0; i < content.size(); i++) {
                if (Fcntl.accessMode(content.get(i).get()) != Open.O_RDONLY) {
                    writable.add(i + 1);
                }
            }
            MessageDigest sha256 = sha256();
            CountingOutputStream counted = new CountingOutputStream();
            BitSet used = reassemble(stream, content, new DigestOutputStream(counted, sha256));
            List<Integer> unused = new ArrayList<>();
            for (int i = used.nextClearBit(0); i < content.size(); i = used.nextClearBit(i + 1)) {
                unused.add(i + 1);
            }
            return new StreamFacts(response.result(), fds.size(), target, memfdName, seals, offset, fileSize,
                    writable, "sha256:" + HexFormat.of().formatHex(sha256.digest()), counted.count, unused);
        }
    }

    /** Streams the payload into {@code out}; returns which content indices external chunks named. */
    private static BitSet reassemble(OwnedFd stream, List<OwnedFd> content, OutputStream out)
            throws IOException, CheckFailed {
        BitSet used = new BitSet();
        try (InputStream in = new FdInputStream(stream)) {
            SplitFdStreamReader reader = new SplitFdStreamReader(in);
            for (Optional<ChunkHeader> next; (next = reader.nextHeader()).isPresent(); ) {
                switch (next.get()) {
                    case ChunkHeader.InlineHeader _ -> reader.transferInline(out);
                    case ChunkHeader.ExternalHeader external -> {
                        if (external.index() >= content.size()) {
                            throw new CheckFailed("the stream names content fd #" + external.index() + " at offset "
                                    + external.offset() + " but only " + content.size() + " content fds came");
                        }
                        used.set(external.index());
                        try (InputStream file = new FdInputStream(content.get(external.index()))) {
                            file.transferTo(out);
                        }
                    }
                }
            }
        } catch (SplitFdStreamException e) {
            throw new CheckFailed("the stream is not a valid splitfdstream: " + e.getMessage());
        }
        return used;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Counts and discards: only the digest and the length of a layer are needed. */
    private static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
