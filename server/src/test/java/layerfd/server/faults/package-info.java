/** Fault tests: real servers, clients, helpers and podman disturbed mid-stream, with every outcome accounted for. */
package layerfd.server.faults;
