/**
 * JSON-RPC 2.0 over jsonrpc-fdpass frames: message values, error codes, a method table and a connection endpoint
 * that pipelines calls and dispatches requests concurrently; never touches a socket directly.
 */
package layerfd.protocol.jsonrpc;
