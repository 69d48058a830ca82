/** Test infrastructure of the client SDK: loop-mounted filesystems, server-like layer pieces, tree manifests. */
package layerfd.client.testing;
