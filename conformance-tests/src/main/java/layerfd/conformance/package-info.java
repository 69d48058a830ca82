/** Conformance runners that drive any jsonrpc-fdpass peer or splitfdstream server and report every check. */
package layerfd.conformance;
