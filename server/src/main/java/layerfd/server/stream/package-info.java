/** Builds a layer's byte-exact splitfdstream (dialect [A]) in a sealed memfd from its tar-split and files. */
package layerfd.server.stream;
