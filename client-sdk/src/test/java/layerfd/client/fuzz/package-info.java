/** Jazzer fuzz tests of the client's layer applier: any tar pieces, nothing written outside the destination. */
package layerfd.client.fuzz;
