/** Reading a containers-storage store exactly as podman writes it, read-only, under podman's own locks. */
package layerfd.server.store;
