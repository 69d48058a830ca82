/** layerfd's own test peer: the transport suite's methods served on a socket, for the runner and foreign clients. */
package layerfd.conformance.peer;
