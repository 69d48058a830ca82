/** The layerfd client SDK: talk to a layerfd server and turn its layer streams into files, reflinked. */
package layerfd.client;
