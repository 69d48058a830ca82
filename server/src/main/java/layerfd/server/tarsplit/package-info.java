/** Reading containers-storage tar-split files and rebuilding the original layer tar from them, byte for byte. */
package layerfd.server.tarsplit;
