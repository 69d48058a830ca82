package layerfd.server.tarsplit;

/**
 * What {@link LayerAssembler} emitted: {@code sha256Digest} ({@code "sha256:<hex>"}) and {@code size} of the whole
 * tar, {@code files} the number of files whose content was copied (entries with {@code size > 0}) and
 * {@code fileBytes} the content bytes among {@code size}.
 */
public record AssemblyResult(String sha256Digest, long size, long files, long fileBytes) {
    public AssemblyResult {
        if (!sha256Digest.startsWith("sha256:")) {
            throw new IllegalArgumentException("not a sha256 digest: " + sha256Digest);
        }
        if (size < 0 || files < 0 || fileBytes < 0 || fileBytes > size) {
            throw new IllegalArgumentException("inconsistent counts: size " + size + ", files " + files
                    + ", fileBytes " + fileBytes);
        }
    }
}
