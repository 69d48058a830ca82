package layerfd.conformance.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Everything one GetSplitFDStream or GetLayerSplitfdstream answer showed, gathered while its fds were open, so the
 * checks can judge it afterwards.
 *
 * @param result the JSON result
 * @param fdCount fds in the answer (1 + K)
 * @param streamTarget readlink of fds[0]
 * @param streamMemfdName the memfd name of fds[0], null when it is no memfd
 * @param streamSeals F_GET_SEALS of fds[0] (0 when it cannot be sealed)
 * @param streamOffset the file offset fds[0] arrived at
 * @param streamFileSize fstat size of fds[0]
 * @param writableContentFds positions (1..K) of content fds whose access mode allows writing
 * @param digest {@code sha256:<hex>} of the reassembled payload
 * @param length bytes of the reassembled payload
 * @param unusedContentFds positions (1..K) no external chunk names
 */
public record StreamFacts(JsonNode result, int fdCount, String streamTarget, String streamMemfdName, int streamSeals,
                          long streamOffset, long streamFileSize, List<Integer> writableContentFds, String digest,
                          long length, List<Integer> unusedContentFds) {
    public StreamFacts {
        writableContentFds = List.copyOf(writableContentFds);
        unusedContentFds = List.copyOf(unusedContentFds);
    }
}
