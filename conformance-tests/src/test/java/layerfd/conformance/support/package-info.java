/** Test support: building and starting the reference peers as processes, skipping with a reason when absent. */
package layerfd.conformance.support;
