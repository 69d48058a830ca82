/**
 * The rootless userns helper: a process under {@code podman unshare} that opens layer files for the server and
 * passes their descriptors back over jsonrpc-fdpass, and the client that starts, supervises and calls it.
 */
package layerfd.helper;
