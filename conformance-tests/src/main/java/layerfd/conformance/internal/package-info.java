/** What both runners share: a peer connection with answer timeouts, and inspection of the fds a peer sent. */
package layerfd.conformance.internal;
