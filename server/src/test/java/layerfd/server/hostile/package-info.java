/** Hostile inputs sent to a real server process, each with its defined reaction (docs/hostile-inputs.md). */
package layerfd.server.hostile;
