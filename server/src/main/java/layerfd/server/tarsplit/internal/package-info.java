/** Implementation details of the tar-split reader and assembler; not part of the public API. */
package layerfd.server.tarsplit.internal;
