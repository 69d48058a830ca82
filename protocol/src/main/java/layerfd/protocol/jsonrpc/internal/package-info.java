/** Implementation of the JSON-RPC connection endpoint (pending calls); not a public API. */
package layerfd.protocol.jsonrpc.internal;
