/** Jazzer fuzz tests of the server's parsers: tar-split streams, layer paths, containers-storage JSON records. */
package layerfd.server.fuzz;
