/** Implementation of the userns helper and its launcher: path rules, the open handler, the spawned process. */
package layerfd.helper.internal;
