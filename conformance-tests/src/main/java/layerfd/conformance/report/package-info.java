/** Named checks with PASS, FAIL or SKIP results, printed as lines and a closing count, or as one JSON document. */
package layerfd.conformance.report;
