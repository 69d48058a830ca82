/** Implementation details of the splitfdstream codec (prefix encoding, tar header parsing); not a public API. */
package layerfd.protocol.splitfdstream.internal;
