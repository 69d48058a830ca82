/** The Python stdlib peers (conformance-tests/peers/python) against layerfd's runners, test peer and server. */
package layerfd.conformance.python;
