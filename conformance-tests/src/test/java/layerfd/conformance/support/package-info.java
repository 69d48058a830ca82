/**
 * Test support: building and starting the reference peers and the Python stdlib peers as processes, skipping with a
 * reason when their toolchain is absent.
 */
package layerfd.conformance.support;
