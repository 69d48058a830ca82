/** The `layerfd` command line: one picocli command per verb of api-contract.md §4. */
package layerfd.cli;
