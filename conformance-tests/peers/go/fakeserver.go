package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	fdpass "github.com/bootc-dev/jsonrpc-fdpass-go"
)

// Error codes of api-contract §3.5.
const (
	codeLayerNotFound = -32000
	codeImageNotFound = -32001
)

type fakeLayer struct {
	id      string
	encoded encodedLayer
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// fakeSplitfdMethods serves one image whose layers are the given tars (BASE first on the
// command line) through GetImage, GetSplitFDStream and GetLayerSplitfdstream, so the
// consumers' reassembly can be proven before layerfd's own server exists.
func fakeSplitfdMethods(image string, tars []string, threshold int64) (map[string]handler, error) {
	layers := map[string]fakeLayer{}
	var topFirst []string
	var diffIDs []string
	for i, path := range tars {
		tar, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		encoded, err := encodeTar(tar, threshold)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		diffID := "sha256:" + sha256Hex(tar)
		id := sha256Hex([]byte(fmt.Sprintf("fake-layer %d %s", i, diffID)))
		layers[id] = fakeLayer{id: id, encoded: encoded}
		topFirst = append([]string{id}, topFirst...)
		diffIDs = append(diffIDs, diffID)
	}
	config, _ := json.Marshal(map[string]interface{}{"rootfs": map[string]interface{}{"type": "layers", "diff_ids": diffIDs}})
	manifest, _ := json.Marshal(map[string]interface{}{
		"schemaVersion": 2,
		"config":        map[string]interface{}{"digest": "sha256:" + sha256Hex(config), "size": len(config)},
	})
	imageID := sha256Hex(config)
	stream := func(id string) ([]*os.File, *fdpass.Error) {
		layer, ok := layers[id]
		if !ok {
			return nil, rpcError(codeLayerNotFound, "layer not found: %s", id)
		}
		files, err := layerFiles(layer.encoded)
		if err != nil {
			return nil, rpcError(codeInternal, "layer %s: %v", id, err)
		}
		return files, nil
	}
	return map[string]handler{
		"GetImage": func(params interface{}, _ []*os.File) (interface{}, []*os.File, *fdpass.Error) {
			name, _ := paramString(params, "imageId")
			if name != image && name != imageID {
				return nil, nil, rpcError(codeImageNotFound, "image not found: %s", name)
			}
			return map[string]interface{}{"manifest": string(manifest), "config": string(config), "layerDigests": topFirst}, nil, nil
		},
		"GetSplitFDStream": func(params interface{}, _ []*os.File) (interface{}, []*os.File, *fdpass.Error) {
			id, rpcErr := paramString(params, "layerId")
			if rpcErr != nil {
				return nil, nil, rpcErr
			}
			files, rpcErr := stream(id)
			if rpcErr != nil {
				return nil, nil, rpcErr
			}
			return map[string]interface{}{"streamSize": len(layers[id].encoded.stream)}, files, nil
		},
		"GetLayerSplitfdstream": func(params interface{}, _ []*os.File) (interface{}, []*os.File, *fdpass.Error) {
			id, rpcErr := paramString(params, "layer")
			if rpcErr != nil {
				return nil, nil, rpcErr
			}
			if compressed, _ := params.(map[string]interface{})["compressed"].(bool); compressed {
				return nil, nil, rpcError(codeInvalidParams, "compressed streams are not supported (layer %s)", id)
			}
			files, rpcErr := stream(id)
			if rpcErr != nil {
				return nil, nil, rpcErr
			}
			return map[string]interface{}{"mediaType": mediaType}, files, nil
		},
	}, nil
}

func paramString(params interface{}, key string) (string, *fdpass.Error) {
	fields, ok := params.(map[string]interface{})
	if !ok {
		return "", rpcError(codeInvalidParams, "params must be an object")
	}
	value, ok := fields[key].(string)
	if !ok || value == "" {
		return "", rpcError(codeInvalidParams, "%s is required", key)
	}
	return value, nil
}

// layerFiles returns fds[0] = a memfd named splitfdstream at offset 0, then one memfd per
// external chunk with its offset left at the end, so consumers that rely on the offset fail.
func layerFiles(encoded encodedLayer) ([]*os.File, error) {
	streamFile, err := memfdWith("splitfdstream", encoded.stream)
	if err != nil {
		return nil, err
	}
	files := []*os.File{streamFile}
	if _, err := streamFile.Seek(0, 0); err != nil {
		closeAll(files)
		return nil, err
	}
	for i, content := range encoded.external {
		f, err := memfdWith(fmt.Sprintf("content-%d", i), content)
		if err != nil {
			closeAll(files)
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}
