/** The reflink policy from TOML configuration (api-contract.md §5): layerfd's own files and bootc's drop-ins. */
package layerfd.client.config;
