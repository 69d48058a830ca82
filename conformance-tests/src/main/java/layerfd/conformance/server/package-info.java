/** The server suite: drives any server of GetImage, GetSplitFDStream and GetLayerSplitfdstream, byte-exact. */
package layerfd.conformance.server;
