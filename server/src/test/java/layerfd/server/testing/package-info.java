/** Test helpers for the server: a real server process, the Python and Java clients, the many-file fixture store. */
package layerfd.server.testing;
