/** Implementation of the jsonrpc-fdpass transport (junixsocket access, frame decoding); not a public API. */
package layerfd.protocol.fdpass.internal;
