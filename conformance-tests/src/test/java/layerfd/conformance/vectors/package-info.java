/** Runs the language-neutral vectors under conformance-tests/vectors through the Java implementation. */
package layerfd.conformance.vectors;
