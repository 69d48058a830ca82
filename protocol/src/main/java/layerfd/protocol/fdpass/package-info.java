/**
 * The jsonrpc-fdpass transport: JSON objects framed by their own syntax over an AF_UNIX stream socket, with file
 * descriptors passed by SCM_RIGHTS and matched to messages by the top-level {@code "fds"} count; knows no method.
 */
package layerfd.protocol.fdpass;
