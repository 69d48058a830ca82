/** The layer applier's engine: the streaming tar reader, the descriptor-only destination tree and the copy chain. */
package layerfd.client.apply.internal;
