/** Client internals: where a layer stream's content descriptors come from. Not a published API. */
package layerfd.client.internal;
