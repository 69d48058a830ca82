/** Implementation of store discovery: parsing storage.conf, choosing files, expanding paths and picking the driver. */
package layerfd.server.store.config.internal;
