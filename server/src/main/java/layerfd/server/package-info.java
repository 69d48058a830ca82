/** The layerfd service: serves a containers-storage store's images and layers over a jsonrpc-fdpass socket. */
package layerfd.server;
