// Command tarsplit-tool is the test oracle for layerfd's tar-split support. It uses the real
// github.com/vbatts/tar-split library, the way containers/storage does, so Java tests compare against Go.
//
//	tarsplit-tool disasm <in.tar> <out.tar-split.gz>   tar-split of a tar, as containers/storage writes it
//	tarsplit-tool crc64 <file>...                       Go's CRC-64/ISO of each file: "<16 hex>  <file>"
package main

import (
	"bufio"
	"fmt"
	"hash/crc64"
	"io"
	"os"

	"github.com/klauspost/pgzip"
	"github.com/vbatts/tar-split/tar/asm"
	"github.com/vbatts/tar-split/tar/storage"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "disasm":
		if len(os.Args) != 4 {
			usage()
		}
		err = disasm(os.Args[2], os.Args[3])
	case "crc64":
		err = printCrc64(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tarsplit-tool:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: tarsplit-tool disasm <in.tar> <out.tar-split.gz> | crc64 <file>...")
	os.Exit(2)
}

// disasm mirrors containers/storage layers.go applyDiffWithOptions: pgzip at BestSpeed around
// storage.NewJSONPacker, asm.NewInputTarStream with storage.NewDiscardFilePutter, and the tar read to its end.
func disasm(in, out string) error {
	src, err := os.Open(in)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(out)
	if err != nil {
		return err
	}
	defer dst.Close()
	buffered := bufio.NewWriter(dst)
	compressor, err := pgzip.NewWriterLevel(buffered, pgzip.BestSpeed)
	if err != nil {
		return err
	}
	packer := storage.NewJSONPacker(compressor)
	stream, err := asm.NewInputTarStream(src, packer, storage.NewDiscardFilePutter())
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, stream); err != nil {
		return fmt.Errorf("disassembling %s: %w", in, err)
	}
	if err := compressor.Close(); err != nil {
		return err
	}
	if err := buffered.Flush(); err != nil {
		return err
	}
	return dst.Close()
}

func printCrc64(files []string) error {
	table := crc64.MakeTable(crc64.ISO)
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		h := crc64.New(table)
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return err
		}
		fmt.Printf("%x  %s\n", h.Sum(nil), name)
	}
	return nil
}
