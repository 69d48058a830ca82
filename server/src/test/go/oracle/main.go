// Command oracle reads a containers-storage store with the Go library podman uses (go.podman.io/storage) and
// prints, as one JSON document, what layerfd's Java reader must agree with: every image's id and names, its
// layer chain (top layer, then parents, printed base first), each layer's reassembled uncompressed tar digest and
// size (store.Diff, which rebuilds from tar-split), and how each given reference resolves.
//
// The library may write to the store it opens (lock files, cleanups, mounts): run it only on a copy, inside a
// private mount namespace (unshare -m).
//
//	oracle --root G --runroot R --driver overlay|vfs [--additional-image-store P]... [--ref REF]...
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/opencontainers/go-digest"
	"go.podman.io/storage"
	"go.podman.io/storage/pkg/archive"
)

type layerOut struct {
	ID         string `json:"id"`
	DiffDigest string `json:"diffDigest"`
	DiffSize   int64  `json:"diffSize"`
	Rebuilt    string `json:"rebuiltDigest"`
	RebuiltLen int64  `json:"rebuiltSize"`
	Error      string `json:"error,omitempty"`
}

type imageOut struct {
	ID     string     `json:"id"`
	Names  []string   `json:"names"`
	Digest string     `json:"digest"`
	Chain  []layerOut `json:"chain"`
	Error  string     `json:"error,omitempty"`
}

type refOut struct {
	Ref   string `json:"ref"`
	ID    string `json:"id,omitempty"`
	Error string `json:"error,omitempty"`
}

type output struct {
	Images []imageOut `json:"images"`
	Refs   []refOut   `json:"refs"`
}

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

// maxChain mirrors the Java reader's depth cap, so a corrupt store cannot loop here either.
const maxChain = 4096

var hexOnly = regexp.MustCompile(`^[0-9a-f]+$`)
var digestRef = regexp.MustCompile(`^(?:(.+)@)?(sha256:[0-9a-f]{64})$`)

func main() {
	var root, runroot, driver string
	var additional, refs list
	flag.StringVar(&root, "root", "", "graphroot")
	flag.StringVar(&runroot, "runroot", "", "runroot")
	flag.StringVar(&driver, "driver", "", "overlay or vfs")
	flag.Var(&additional, "additional-image-store", "additional image store (repeatable)")
	flag.Var(&refs, "ref", "reference to resolve (repeatable)")
	flag.Parse()

	opts := storage.StoreOptions{GraphRoot: root, RunRoot: runroot, GraphDriverName: driver}
	for _, a := range additional {
		opts.GraphDriverOptions = append(opts.GraphDriverOptions, driver+".imagestore="+a)
	}
	store, err := storage.GetStore(opts)
	if err != nil {
		fail("opening store: %v", err)
	}
	defer func() { _, _ = store.Shutdown(true) }()

	images, err := store.Images()
	if err != nil {
		fail("listing images: %v", err)
	}
	out := output{Images: []imageOut{}, Refs: []refOut{}}
	for _, img := range images {
		out.Images = append(out.Images, describe(store, img))
	}
	for _, ref := range refs {
		out.Refs = append(out.Refs, resolve(store, ref))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fail("writing output: %v", err)
	}
}

func describe(store storage.Store, img storage.Image) imageOut {
	o := imageOut{ID: img.ID, Names: img.Names, Digest: img.Digest.String(), Chain: []layerOut{}}
	var chain []layerOut
	for id := img.TopLayer; id != ""; {
		if len(chain) >= maxChain {
			o.Error = "layer chain too deep"
			return o
		}
		layer, err := store.Layer(id)
		if err != nil {
			o.Error = fmt.Sprintf("layer %s: %v", id, err)
			return o
		}
		chain = append(chain, rebuild(store, layer))
		id = layer.Parent
	}
	for i := len(chain) - 1; i >= 0; i-- {
		o.Chain = append(o.Chain, chain[i])
	}
	return o
}

// rebuild streams the layer as an uncompressed tar through store.Diff (tar-split reassembly) and hashes it.
func rebuild(store storage.Store, layer *storage.Layer) layerOut {
	l := layerOut{ID: layer.ID, DiffDigest: layer.UncompressedDigest.String(), DiffSize: layer.UncompressedSize}
	uncompressed := archive.Uncompressed
	rc, err := store.Diff("", layer.ID, &storage.DiffOptions{Compression: &uncompressed})
	if err != nil {
		l.Error = err.Error()
		return l
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		l.Error = err.Error()
		return l
	}
	l.Rebuilt = "sha256:" + hex.EncodeToString(h.Sum(nil))
	l.RebuiltLen = n
	return l
}

// resolve finds an image as podman's stack does: store.Image (exact id, name, unique id prefix per store) after
// libimage's stripping of a "sha256:" prefix, then store.ImagesByDigest for digest references.
func resolve(store storage.Store, ref string) refOut {
	key := ref
	if rest, ok := strings.CutPrefix(ref, "sha256:"); ok && hexOnly.MatchString(rest) {
		key = rest
	}
	img, err := store.Image(key)
	if err == nil {
		return refOut{Ref: ref, ID: img.ID}
	}
	if m := digestRef.FindStringSubmatch(ref); m != nil {
		found, derr := store.ImagesByDigest(digest.Digest(m[2]))
		if derr != nil {
			return refOut{Ref: ref, Error: derr.Error()}
		}
		ids := map[string]bool{}
		for _, i := range found {
			if m[1] == "" || inRepository(i, m[1]) {
				ids[i.ID] = true
			}
		}
		if len(ids) == 1 {
			for id := range ids {
				return refOut{Ref: ref, ID: id}
			}
		}
		if len(ids) > 1 {
			return refOut{Ref: ref, Error: "several images have this digest"}
		}
	}
	if errors.Is(err, storage.ErrImageUnknown) {
		return refOut{Ref: ref, Error: "image not known"}
	}
	return refOut{Ref: ref, Error: err.Error()}
}

func inRepository(img *storage.Image, repo string) bool {
	for _, n := range img.Names {
		if n == repo || strings.HasPrefix(n, repo+":") || strings.HasPrefix(n, repo+"@") {
			return true
		}
	}
	return false
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "oracle: "+format+"\n", args...)
	os.Exit(1)
}
