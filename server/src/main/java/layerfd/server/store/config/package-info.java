/** Finding a containers-storage store the way podman does: storage.conf files, environment and explicit overrides. */
package layerfd.server.store.config;
