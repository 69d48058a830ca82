package layerfd.client.apply;

import java.util.Objects;
import layerfd.client.ReflinkPolicy;
import layerfd.linux.Credentials;

/**
 * How a layer is applied.
 *
 * @param reflinkPolicy how external file content reaches the destination (api-contract §5)
 * @param preserveOwners chown every entry to its numeric uid/gid; needs root (the default when running as root)
 * @param strictSpecialFiles a device node that cannot be created (no CAP_MKNOD) fails the layer instead of being
 *                           skipped and counted
 * @param strictXattrs an extended attribute that cannot be set (trusted.* without root, an unsupporting filesystem)
 *                     fails the layer instead of being counted
 */
public record ApplyOptions(ReflinkPolicy reflinkPolicy, boolean preserveOwners, boolean strictSpecialFiles,
                           boolean strictXattrs) {
    public ApplyOptions {
        Objects.requireNonNull(reflinkPolicy, "reflinkPolicy");
    }

    /** Copy (the contract's default policy), owners kept when root, lenient about devices and xattrs. */
    public static ApplyOptions defaults() {
        return new ApplyOptions(ReflinkPolicy.DISABLED, Credentials.effectiveUid() == 0, false, false);
    }

    public ApplyOptions withReflinkPolicy(ReflinkPolicy policy) {
        return new ApplyOptions(policy, preserveOwners, strictSpecialFiles, strictXattrs);
    }

    public ApplyOptions withPreserveOwners(boolean preserve) {
        return new ApplyOptions(reflinkPolicy, preserve, strictSpecialFiles, strictXattrs);
    }

    public ApplyOptions withStrictSpecialFiles(boolean strict) {
        return new ApplyOptions(reflinkPolicy, preserveOwners, strict, strictXattrs);
    }

    public ApplyOptions withStrictXattrs(boolean strict) {
        return new ApplyOptions(reflinkPolicy, preserveOwners, strictSpecialFiles, strict);
    }
}
