/** How the server opens layer files: directly when it can bypass file permissions, else through the userns helper. */
package layerfd.server.rootless;
