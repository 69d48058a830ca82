package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"

	fdpass "github.com/bootc-dev/jsonrpc-fdpass-go"
)

// handler answers one request: a result, fds to send with it (closed after sending), or an
// error object.
type handler func(params interface{}, files []*os.File) (interface{}, []*os.File, *fdpass.Error)

const (
	// pipeText is what createPipe writes into its pipe (also returned as result.text).
	pipeText = "hello from the go peer through a pipe\n"
	// fdContentPreview is how many leading bytes of each fd fdCount returns.
	fdContentPreview   = 64
	codeMethodNotFound = -32601
	codeInvalidParams  = -32602
	codeInternal       = -32603
)

func rpcError(code int, format string, args ...interface{}) *fdpass.Error {
	return &fdpass.Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// exampleMethods are the upstream example server's methods plus fdCount and echoFds.
func exampleMethods() map[string]handler {
	return map[string]handler{
		// Echoing nil params yields NewResponse(nil, id), which the library sends without a
		// result: the documented Go quirk (jsonrpc-fdpass.md §11), kept on purpose.
		"echo": func(params interface{}, _ []*os.File) (interface{}, []*os.File, *fdpass.Error) {
			return params, nil, nil
		},
		"readFile": func(_ interface{}, files []*os.File) (interface{}, []*os.File, *fdpass.Error) {
			if len(files) != 1 {
				return nil, nil, rpcError(codeInvalidParams, "readFile needs exactly 1 fd, got %d", len(files))
			}
			content, err := readAll(files[0])
			if err != nil {
				return nil, nil, rpcError(codeInternal, "readFile: %v", err)
			}
			return string(content), nil, nil
		},
		"createPipe": func(interface{}, []*os.File) (interface{}, []*os.File, *fdpass.Error) {
			r, err := pipeWith([]byte(pipeText))
			if err != nil {
				return nil, nil, rpcError(codeInternal, "createPipe: %v", err)
			}
			return map[string]interface{}{"text": pipeText}, []*os.File{r}, nil
		},
		"fdCount": func(_ interface{}, files []*os.File) (interface{}, []*os.File, *fdpass.Error) {
			contents := make([]string, 0, len(files))
			for i, f := range files {
				content, err := readAll(f)
				if err != nil {
					return nil, nil, rpcError(codeInternal, "fdCount: fd %d: %v", i, err)
				}
				if len(content) > fdContentPreview {
					content = content[:fdContentPreview]
				}
				contents = append(contents, string(content))
			}
			return map[string]interface{}{"count": len(files), "contents": contents}, nil, nil
		},
		"echoFds": func(_ interface{}, files []*os.File) (interface{}, []*os.File, *fdpass.Error) {
			returned := make([]*os.File, len(files))
			for i, f := range files {
				// The received files are closed after the request; send duplicates.
				fd, err := syscall.Dup(int(f.Fd()))
				if err != nil {
					closeAll(returned[:i])
					return nil, nil, rpcError(codeInternal, "echoFds: dup of fd %d: %v", i, err)
				}
				syscall.CloseOnExec(fd)
				returned[i] = os.NewFile(uintptr(fd), f.Name())
			}
			return map[string]interface{}{"count": len(files)}, returned, nil
		},
	}
}

// runServer listens on socket and serves methods on every connection until SIGTERM, SIGINT
// or a `shutdown` notification.
func runServer(socket string, methods map[string]handler) (bool, error) {
	// A socket file left by an earlier run would make bind fail with EADDRINUSE.
	if err := os.Remove(socket); err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("removing stale %s: %w", socket, err)
	}
	listener, err := net.ListenUnix("unix", &net.UnixAddr{Name: socket, Net: "unix"})
	if err != nil {
		return false, fmt.Errorf("listening on %s: %w", socket, err)
	}
	fmt.Fprintf(os.Stderr, "go-peer: serving on %s\n", socket)
	stop := make(chan struct{})
	var stopOnce sync.Once
	requestStop := func() { stopOnce.Do(func() { close(stop) }) }
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		select {
		case <-signals:
		case <-stop:
		}
		requestStop()
		listener.Close() // also removes the socket file
	}()
	for {
		conn, err := listener.AcceptUnix()
		if err != nil {
			select {
			case <-stop:
				return true, nil
			default:
				return false, fmt.Errorf("accepting on %s: %w", socket, err)
			}
		}
		go serveConnection(conn, methods, requestStop)
	}
}

func serveConnection(conn *net.UnixConn, methods map[string]handler, requestStop func()) {
	sender := fdpass.NewSender(conn)
	receiver := fdpass.NewReceiver(conn)
	defer conn.Close()
	defer receiver.Close()
	for {
		received, err := receiver.Receive()
		if err != nil {
			if !errors.Is(err, fdpass.ErrConnectionClosed) {
				fmt.Fprintf(os.Stderr, "go-peer: connection ended: %v\n", err)
			}
			return
		}
		switch message := received.Message.(type) {
		case *fdpass.Request:
			response, files := answer(methods, message, received.FileDescriptors)
			err = sender.Send(&fdpass.MessageWithFds{Message: response, FileDescriptors: files})
			closeAll(files)
			if err != nil {
				fmt.Fprintf(os.Stderr, "go-peer: sending the response to %s: %v\n", message.Method, err)
				return
			}
		case *fdpass.Notification:
			closeAll(received.FileDescriptors)
			if message.Method == "shutdown" {
				requestStop()
				return
			}
		default:
			closeAll(received.FileDescriptors)
		}
	}
}

func answer(methods map[string]handler, request *fdpass.Request, files []*os.File) (*fdpass.Response, []*os.File) {
	defer closeAll(files)
	method, ok := methods[request.Method]
	if !ok {
		return fdpass.NewErrorResponse(rpcError(codeMethodNotFound, "Method not found: %s", request.Method), request.ID), nil
	}
	result, out, rpcErr := method(request.Params, files)
	if rpcErr != nil {
		return fdpass.NewErrorResponse(rpcErr, request.ID), nil
	}
	return fdpass.NewResponse(result, request.ID), out
}
