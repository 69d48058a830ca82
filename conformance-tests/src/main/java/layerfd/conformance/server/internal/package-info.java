/** The server suite's per-layer probe and checks. */
package layerfd.conformance.server.internal;
