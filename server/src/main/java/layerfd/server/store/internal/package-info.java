/** The store reader's parts: record parsing, locks, resolution, layer chains and safe file opening. */
package layerfd.server.store.internal;
