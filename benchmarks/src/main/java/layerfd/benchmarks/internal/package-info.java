/** The peers the benchmarks talk to: layerfd's own transport in-process, and the Python stdlib peer as a process. */
package layerfd.benchmarks.internal;
