/** What every layerfd program agrees on: the default socket path; transport and codecs live in subpackages. */
package layerfd.protocol;
