/** The handlers of the contract's methods (api-contract §3), one class per method, and their per-connection state. */
package layerfd.server.methods;
