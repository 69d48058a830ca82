package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"os"
)

const (
	// prefixLen: splitfdstream.md §1.1, each chunk starts with an 8-byte signed LE prefix.
	prefixLen = 8
	// mediaType is cstor-rs protocol.rs's media type of an uncompressed stream.
	mediaType = "application/vnd.containers.splitfdstream"
)

// reassembled is the length and sha256 of a reassembled layer tar.
type reassembled struct {
	length    int64
	sha256Hex string
}

// reassemble decodes stream (the bytes of fds[0]) against the content fds (fds[1:]) and hashes
// the concatenation. External content is each file's whole content from offset 0, read with
// ReadAt so the shared fd offset does not matter (splitfdstream.md §1.1).
func reassemble(stream []byte, content []*os.File) (reassembled, error) {
	hash := sha256.New()
	var length int64
	at := 0
	for at < len(stream) {
		if len(stream)-at < prefixLen {
			return reassembled{}, fmt.Errorf("truncated chunk prefix at stream offset %d", at)
		}
		prefix := int64(binary.LittleEndian.Uint64(stream[at : at+prefixLen]))
		at += prefixLen
		switch {
		case prefix == math.MinInt64:
			return reassembled{}, fmt.Errorf("invalid prefix math.MinInt64 at stream offset %d", at-prefixLen)
		case prefix < 0:
			n := -prefix
			if n > int64(len(stream)-at) {
				return reassembled{}, fmt.Errorf("inline chunk of %d bytes at stream offset %d runs past the stream end (%d)", n, at, len(stream))
			}
			hash.Write(stream[at : at+int(n)])
			length += n
			at += int(n)
		default:
			if prefix >= int64(len(content)) {
				return reassembled{}, fmt.Errorf("external index %d but only %d content fds were sent", prefix, len(content))
			}
			err := forEachChunk(content[prefix], func(chunk []byte) {
				hash.Write(chunk)
				length += int64(len(chunk))
			})
			if err != nil {
				return reassembled{}, fmt.Errorf("reading content fd %d: %w", prefix, err)
			}
		}
	}
	return reassembled{length: length, sha256Hex: hex.EncodeToString(hash.Sum(nil))}, nil
}

// reassembleResponse splits a response's fds into the stream (fds[0]) and the content fds.
func reassembleResponse(method string, files []*os.File) (int, reassembled, error) {
	if len(files) == 0 {
		return 0, reassembled{}, fmt.Errorf("%s sent no fds (want 1+K: the stream, then the content)", method)
	}
	stream, err := readAll(files[0])
	if err != nil {
		return 0, reassembled{}, fmt.Errorf("%s: reading the stream fd: %w", method, err)
	}
	r, err := reassemble(stream, files[1:])
	if err != nil {
		return 0, reassembled{}, fmt.Errorf("%s: %w", method, err)
	}
	return len(stream), r, nil
}

func resultField(result interface{}, key, method string) (interface{}, error) {
	fields, ok := result.(map[string]interface{})
	if !ok || fields[key] == nil {
		return nil, fmt.Errorf("%s result has no %q: %v", method, key, result)
	}
	return fields[key], nil
}

func resultString(result interface{}, key, method string) (string, error) {
	value, err := resultField(result, key, method)
	if err != nil {
		return "", err
	}
	text, ok := value.(string)
	if !ok {
		return "", fmt.Errorf("%s result %q is not a string: %v", method, key, value)
	}
	return text, nil
}

func consumeLayer(c *connection, id string) (reassembled, error) {
	result, files, err := c.call("GetSplitFDStream", map[string]interface{}{"layerId": id}, nil)
	if err != nil {
		return reassembled{}, err
	}
	streamLen, fromContainerLibs, err := reassembleResponse("GetSplitFDStream", files)
	closeAll(files)
	if err != nil {
		return reassembled{}, err
	}
	size, err := resultField(result, "streamSize", "GetSplitFDStream")
	if err != nil {
		return reassembled{}, err
	}
	if number, ok := size.(float64); !ok || number != float64(streamLen) {
		return reassembled{}, fmt.Errorf("GetSplitFDStream: streamSize %v but the stream fd holds %d bytes", size, streamLen)
	}
	result, files, err = c.call("GetLayerSplitfdstream", map[string]interface{}{"layer": id}, nil)
	if err != nil {
		return reassembled{}, err
	}
	_, fromCstor, err := reassembleResponse("GetLayerSplitfdstream", files)
	closeAll(files)
	if err != nil {
		return reassembled{}, err
	}
	media, err := resultString(result, "mediaType", "GetLayerSplitfdstream")
	if err != nil {
		return reassembled{}, err
	}
	if media != mediaType {
		return reassembled{}, fmt.Errorf("GetLayerSplitfdstream: mediaType %q, want %q", media, mediaType)
	}
	if fromCstor != fromContainerLibs {
		return reassembled{}, fmt.Errorf("GetLayerSplitfdstream gave sha256:%s (%d bytes) but GetSplitFDStream gave sha256:%s (%d bytes)",
			fromCstor.sha256Hex, fromCstor.length, fromContainerLibs.sha256Hex, fromContainerLibs.length)
	}
	return fromContainerLibs, nil
}

// runSplitfdstream consumes every layer of image and prints `layer <id> sha256:<hex> <length>`.
func runSplitfdstream(socket, image string) (bool, error) {
	c, err := connect(socket, 0)
	if err != nil {
		return false, err
	}
	defer c.close()
	result, files, err := c.call("GetImage", map[string]interface{}{"imageId": image}, nil)
	closeAll(files)
	if err != nil {
		return false, err
	}
	for _, key := range []string{"manifest", "config"} {
		if _, err := resultString(result, key, "GetImage"); err != nil {
			return false, err
		}
	}
	layers, err := resultField(result, "layerDigests", "GetImage")
	if err != nil {
		return false, err
	}
	list, ok := layers.([]interface{})
	if !ok {
		return false, fmt.Errorf("GetImage layerDigests is not an array: %v", layers)
	}
	// api-contract §3.1: layer ids come TOP first, and are printed in that order.
	for _, entry := range list {
		id, ok := entry.(string)
		if !ok {
			return false, fmt.Errorf("GetImage layerDigests holds a non-string %v", entry)
		}
		r, err := consumeLayer(c, id)
		if err != nil {
			return false, fmt.Errorf("layer %s: %w", id, err)
		}
		fmt.Printf("layer %s sha256:%s %d\n", id, r.sha256Hex, r.length)
	}
	return true, nil
}
