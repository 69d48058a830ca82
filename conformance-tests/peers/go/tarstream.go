package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// tarBlock is the tar record unit; headers and content are padded to it.
const tarBlock = 512

// encodedLayer is a tar encoded as a byte-exact ([A]) splitfdstream: the stream bytes and the
// content of each external chunk, in index order.
type encodedLayer struct {
	stream   []byte
	external [][]byte
}

type streamWriter struct {
	out     encodedLayer
	pending []byte
}

func (w *streamWriter) inline(b []byte) { w.pending = append(w.pending, b...) }

// flush writes the pending inline bytes as one chunk; an empty chunk is never written
// (splitfdstream.md §1.1: prefix 0 would mean external #0).
func (w *streamWriter) flush() {
	if len(w.pending) == 0 {
		return
	}
	w.out.stream = binary.LittleEndian.AppendUint64(w.out.stream, uint64(-int64(len(w.pending))))
	w.out.stream = append(w.out.stream, w.pending...)
	w.pending = nil
}

func (w *streamWriter) external(content []byte) {
	w.flush()
	w.out.stream = binary.LittleEndian.AppendUint64(w.out.stream, uint64(len(w.out.external)))
	w.out.external = append(w.out.external, content)
}

// tarNumber parses a tar numeric field: NUL/space terminated octal, or base-256 when the
// high bit of the first byte is set.
func tarNumber(field []byte) (int64, error) {
	if field[0]&0x80 != 0 {
		var n int64
		for i, b := range field {
			if i == 0 {
				b &= 0x7f
			}
			n = n<<8 | int64(b)
		}
		return n, nil
	}
	text := strings.Trim(string(field), " \x00")
	if text == "" {
		return 0, nil
	}
	return strconv.ParseInt(text, 8, 64)
}

// paxSize returns the "size" record of PAX extended header data, or -1 when there is none.
func paxSize(records []byte) (int64, error) {
	for len(records) > 0 {
		space := bytes.IndexByte(records, ' ')
		if space <= 0 {
			return -1, fmt.Errorf("malformed PAX record")
		}
		n, err := strconv.Atoi(string(records[:space]))
		if err != nil || n <= space || n > len(records) {
			return -1, fmt.Errorf("malformed PAX record length %q", records[:space])
		}
		keyValue := strings.TrimSuffix(string(records[space+1:n]), "\n")
		if value, found := strings.CutPrefix(keyValue, "size="); found {
			return strconv.ParseInt(value, 10, 64)
		}
		records = records[n:]
	}
	return -1, nil
}

// encodeTar walks the tar block by block. Regular files larger than threshold become external
// chunks; everything else (headers, small content, padding, trailer) stays inline, so the
// concatenation is the input byte for byte (splitfdstream.md §1.2 [A]).
func encodeTar(tar []byte, threshold int64) (encodedLayer, error) {
	w := &streamWriter{}
	at := 0
	nextSize := int64(-1) // from a PAX header, applies to the next entry
	for at+tarBlock <= len(tar) {
		header := tar[at : at+tarBlock]
		if bytes.Count(header, []byte{0}) == tarBlock {
			break // end-of-archive blocks and record padding: the rest is inline
		}
		size, err := tarNumber(header[124:136])
		if err != nil {
			return encodedLayer{}, fmt.Errorf("tar header at offset %d: bad size: %w", at, err)
		}
		if nextSize >= 0 {
			size, nextSize = nextSize, -1
		}
		typeflag := header[156]
		w.inline(header)
		at += tarBlock
		padded := (size + tarBlock - 1) / tarBlock * tarBlock
		if padded > int64(len(tar)-at) {
			return encodedLayer{}, fmt.Errorf("tar entry at offset %d: %d content bytes run past the end", at-tarBlock, size)
		}
		content := tar[at : at+int(size)]
		regular := typeflag == '0' || typeflag == 0 || typeflag == '7'
		if regular && size > threshold {
			w.external(content)
			w.inline(tar[at+int(size) : at+int(padded)])
		} else {
			if typeflag == 'x' {
				if nextSize, err = paxSize(content); err != nil {
					return encodedLayer{}, fmt.Errorf("PAX header at offset %d: %w", at-tarBlock, err)
				}
			}
			w.inline(tar[at : at+int(padded)])
		}
		at += int(padded)
	}
	w.inline(tar[at:])
	w.flush()
	return w.out, nil
}
