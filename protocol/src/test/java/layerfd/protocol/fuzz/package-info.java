/** Jazzer fuzz tests of the protocol decoders: jsonrpc-fdpass framing, JSON-RPC classification, splitfdstream. */
package layerfd.protocol.fuzz;
