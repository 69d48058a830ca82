/** Applying container layers delivered as splitfdstream pieces onto a directory tree, reflinking file content. */
package layerfd.client.apply;
