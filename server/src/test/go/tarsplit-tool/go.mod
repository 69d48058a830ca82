module layerfd.test/tarsplit-tool

go 1.25

require (
	github.com/klauspost/pgzip v1.2.6
	github.com/vbatts/tar-split v0.12.3
)

require github.com/klauspost/compress v1.20.3 // indirect
