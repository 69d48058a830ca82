/** The transport suite: drives any jsonrpc-fdpass peer that implements the upstream example server's methods. */
package layerfd.conformance.transport;
