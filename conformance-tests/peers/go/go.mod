module layerfd.example/conformance/peers/gopeer

go 1.25.0

// The Go reference implementation has no tags; this pseudo-version is commit 8c14abb
// (2026-04-15), the one container-libs PR 651 vendors.
require (
	github.com/bootc-dev/jsonrpc-fdpass-go v0.0.0-20260415021005-8c14abba964b
	golang.org/x/sys v0.43.0
)
