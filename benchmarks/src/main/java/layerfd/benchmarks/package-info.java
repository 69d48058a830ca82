/** JMH benchmarks of the jsonrpc-fdpass transport: requests and fds per second, layerfd against the Python peer. */
package layerfd.benchmarks;
