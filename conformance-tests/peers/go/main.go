// Command go-peer is a layerfd test peer built on the Go reference implementation of
// jsonrpc-fdpass: a server of the upstream example methods, a checking client, a splitfdstream
// consumer and a fake splitfdstream server. See docs/peers.md.
package main

import (
	"fmt"
	"os"
	"strconv"
)

const usage = `usage:
  go-peer server --socket PATH
  go-peer client --socket PATH [--json] [--server-quirks none|go] [--max-fds-per-sendmsg N] [--shutdown]
  go-peer splitfdstream --socket PATH --image IMAGE
  go-peer fake-splitfd-server --socket PATH --tar FILE [--tar FILE...] [--image NAME] [--inline-threshold N]`

const (
	exitFailed = 1
	exitUsage  = 2
	// defaultInlineThreshold is the contract's default (api-contract §3.3): larger regular
	// files travel as fds.
	defaultInlineThreshold = 4096
	defaultFakeImage       = "localhost/fake:latest"
)

type clientOptions struct {
	json             bool
	goQuirks         bool
	maxFDsPerSendmsg int
	shutdown         bool
}

type arguments struct {
	mode            string
	socket          string
	image           string
	tars            []string
	inlineThreshold int64
	client          clientOptions
}

func parseArgs(argv []string) (*arguments, error) {
	if len(argv) == 0 {
		return nil, fmt.Errorf("missing mode")
	}
	a := &arguments{mode: argv[0], inlineThreshold: defaultInlineThreshold}
	rest := argv[1:]
	for len(rest) > 0 {
		flag := rest[0]
		rest = rest[1:]
		value := func() (string, error) {
			if len(rest) == 0 {
				return "", fmt.Errorf("%s needs a value", flag)
			}
			v := rest[0]
			rest = rest[1:]
			return v, nil
		}
		var err error
		var v string
		switch flag {
		case "--json":
			a.client.json = true
		case "--shutdown":
			a.client.shutdown = true
		case "--socket", "--image", "--tar", "--server-quirks", "--max-fds-per-sendmsg", "--inline-threshold":
			if v, err = value(); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("unknown option %q", flag)
		}
		switch flag {
		case "--socket":
			a.socket = v
		case "--image":
			a.image = v
		case "--tar":
			a.tars = append(a.tars, v)
		case "--server-quirks":
			switch v {
			case "none":
				a.client.goQuirks = false
			case "go":
				a.client.goQuirks = true
			default:
				return nil, fmt.Errorf("unknown --server-quirks %q", v)
			}
		case "--max-fds-per-sendmsg":
			n, convErr := strconv.Atoi(v)
			if convErr != nil || n < 1 {
				return nil, fmt.Errorf("--max-fds-per-sendmsg needs a positive integer, got %q", v)
			}
			a.client.maxFDsPerSendmsg = n
		case "--inline-threshold":
			n, convErr := strconv.ParseInt(v, 10, 64)
			if convErr != nil || n < 0 {
				return nil, fmt.Errorf("--inline-threshold needs a non-negative integer, got %q", v)
			}
			a.inlineThreshold = n
		}
	}
	if a.socket == "" {
		return nil, fmt.Errorf("--socket PATH is required")
	}
	switch a.mode {
	case "server", "client":
	case "splitfdstream":
		if a.image == "" {
			return nil, fmt.Errorf("splitfdstream needs --image IMAGE")
		}
	case "fake-splitfd-server":
		if len(a.tars) == 0 {
			return nil, fmt.Errorf("fake-splitfd-server needs at least one --tar FILE")
		}
		if a.image == "" {
			a.image = defaultFakeImage
		}
	default:
		return nil, fmt.Errorf("unknown mode %q", a.mode)
	}
	return a, nil
}

func main() {
	a, err := parseArgs(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-peer: %v\n%s\n", err, usage)
		os.Exit(exitUsage)
	}
	var ok bool
	switch a.mode {
	case "server":
		ok, err = runServer(a.socket, exampleMethods())
	case "client":
		ok, err = runClient(a.socket, a.client)
	case "splitfdstream":
		ok, err = runSplitfdstream(a.socket, a.image)
	case "fake-splitfd-server":
		var methods map[string]handler
		if methods, err = fakeSplitfdMethods(a.image, a.tars, a.inlineThreshold); err == nil {
			ok, err = runServer(a.socket, methods)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-peer: %v\n", err)
		os.Exit(exitFailed)
	}
	if !ok {
		os.Exit(exitFailed)
	}
}
