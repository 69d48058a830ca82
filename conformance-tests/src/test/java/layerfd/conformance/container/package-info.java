/** The containerized consumer: layerfd's Python client in a podman container, fed fds through a bind-mounted socket. */
package layerfd.conformance.container;
