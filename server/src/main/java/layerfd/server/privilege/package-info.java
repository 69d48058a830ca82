/** {@code --drop-privileges}: a root server re-executes itself keeping only the capability it needs to read a store. */
package layerfd.server.privilege;
