package main

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

func testTar(t *testing.T, sizes []int) []byte {
	t.Helper()
	var buffer bytes.Buffer
	w := tar.NewWriter(&buffer)
	for i, size := range sizes {
		content := bytes.Repeat([]byte{byte('a' + i)}, size)
		header := &tar.Header{Name: "f" + strings.Repeat("x", i), Mode: 0o644, Size: int64(size), Typeflag: tar.TypeReg}
		if err := w.WriteHeader(header); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buffer.Bytes()
}

func TestFilesAboveTheThresholdBecomeExternalAndTheStreamReassemblesByteExact(t *testing.T) {
	input := testTar(t, []int{100, 4096, 4097, 5000, 0})
	encoded, err := encodeTar(input, 4096)
	if err != nil {
		t.Fatal(err)
	}
	if len(encoded.external) != 2 || len(encoded.external[0]) != 4097 || len(encoded.external[1]) != 5000 {
		t.Fatalf("want external chunks of 4097 and 5000 bytes, got %d chunks", len(encoded.external))
	}
	var content []*os.File
	for _, c := range encoded.external {
		f, err := memfdWith("content", c)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		content = append(content, f)
	}
	got, err := reassemble(encoded.stream, content)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(input)
	want := reassembled{length: int64(len(input)), sha256Hex: hex.EncodeToString(sum[:])}
	if got != want {
		t.Fatalf("reassembled %+v, want %+v", got, want)
	}
}

// An empty inline chunk would be written as prefix 0, which readers take as external #0; with
// threshold 0 every file is external and no inline bytes sit between a file and the next header
// when the file fills whole blocks, so the external indices must be exactly 0, 1 in order.
func TestTheEncoderNeverWritesAnEmptyInlineChunk(t *testing.T) {
	encoded, err := encodeTar(testTar(t, []int{8192, 8192}), 0)
	if err != nil {
		t.Fatal(err)
	}
	var indices []int64
	for at := 0; at < len(encoded.stream); {
		prefix := int64(binary.LittleEndian.Uint64(encoded.stream[at:]))
		at += prefixLen
		if prefix < 0 {
			at += int(-prefix)
		} else {
			indices = append(indices, prefix)
		}
	}
	if len(indices) != 2 || indices[0] != 0 || indices[1] != 1 || len(encoded.external) != 2 {
		t.Fatalf("want external indices [0 1] and 2 chunks, got %v and %d chunks", indices, len(encoded.external))
	}
}

func TestATruncatedTarIsAnErrorNamingTheOffset(t *testing.T) {
	input := testTar(t, []int{5000})
	_, err := encodeTar(input[:1024], 4096)
	if err == nil || !strings.Contains(err.Error(), "tar entry at offset 0: 5000 content bytes run past the end") {
		t.Fatalf("want a truncation error, got %v", err)
	}
}

func TestReassemblyErrorsNameTheProblem(t *testing.T) {
	cases := map[string][]byte{
		"external index 3 but only 0 content fds were sent": binary.LittleEndian.AppendUint64(nil, 3),
		"truncated chunk prefix at stream offset 0":         {0xff, 0xff},
		"runs past the stream end":                          append(binary.LittleEndian.AppendUint64(nil, uint64(0xfffffffffffffff6)), "abc"...),
		"invalid prefix math.MinInt64":                      binary.LittleEndian.AppendUint64(nil, 1<<63),
	}
	for want, stream := range cases {
		if _, err := reassemble(stream, nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want an error containing %q, got %v", want, err)
		}
	}
}
