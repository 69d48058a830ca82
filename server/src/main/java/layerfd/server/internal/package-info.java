/** The server's machinery: the socket file, one session per client connection, and the structured log. */
package layerfd.server.internal;
