/** The object store's engine: repository layout and lock, object writer, merged tree, image documents, fsck. */
package layerfd.client.objects.internal;
