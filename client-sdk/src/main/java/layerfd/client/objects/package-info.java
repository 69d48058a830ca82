/** The content-addressed object store of api-contract.md §6: objects named by their fs-verity digest. */
package layerfd.client.objects;
