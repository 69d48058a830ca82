/** The transport suite's checks, grouped by what they exercise. */
package layerfd.conformance.transport.internal;
