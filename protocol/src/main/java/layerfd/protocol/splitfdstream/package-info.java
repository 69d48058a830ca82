/**
 * The splitfdstream codec: a stream of 8-byte little-endian prefixed chunks, inline bytes or references to
 * content file descriptors, with its reader, writer, reassembler and the entry-framed dialect decoder.
 */
package layerfd.protocol.splitfdstream;
