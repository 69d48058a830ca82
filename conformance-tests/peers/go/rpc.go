package main

import (
	"fmt"
	"net"
	"os"

	fdpass "github.com/bootc-dev/jsonrpc-fdpass-go"
)

// connection is a client connection over the library's Sender and Receiver.
type connection struct {
	conn     *net.UnixConn
	sender   *fdpass.Sender
	receiver *fdpass.Receiver
	nextID   int
}

func connect(socket string, maxFDsPerSendmsg int) (*connection, error) {
	conn, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: socket, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("cannot connect to %s: %w", socket, err)
	}
	c := &connection{conn: conn, sender: fdpass.NewSender(conn), receiver: fdpass.NewReceiver(conn), nextID: 1}
	if maxFDsPerSendmsg > 0 {
		c.sender.SetMaxFDsPerSendmsg(maxFDsPerSendmsg)
	}
	return c, nil
}

// close closes the socket and every fd still queued in the receiver (the library leaves that
// to the caller).
func (c *connection) close() {
	c.receiver.Close()
	c.conn.Close()
}

func (c *connection) freshID() int {
	id := c.nextID
	c.nextID++
	return id
}

// send sends a message and closes the sent fds: the caller owns them in the Go library.
func (c *connection) send(message interface{}, files []*os.File) error {
	defer closeAll(files)
	return c.sender.Send(&fdpass.MessageWithFds{Message: message, FileDescriptors: files})
}

func (c *connection) sendRequest(method string, params, id interface{}, files []*os.File) error {
	if err := c.send(fdpass.NewRequest(method, params, id), files); err != nil {
		return fmt.Errorf("sending %s: %w", method, err)
	}
	return nil
}

func (c *connection) notify(method string, params interface{}) error {
	if err := c.send(fdpass.NewNotification(method, params), nil); err != nil {
		return fmt.Errorf("sending %s: %w", method, err)
	}
	return nil
}

// receiveResponse returns the next message, which must be a response, with its fds.
func (c *connection) receiveResponse() (*fdpass.Response, []*os.File, error) {
	received, err := c.receiver.Receive()
	if err != nil {
		return nil, nil, fmt.Errorf("receiving: %w", err)
	}
	response, ok := received.Message.(*fdpass.Response)
	if !ok {
		closeAll(received.FileDescriptors)
		return nil, nil, fmt.Errorf("expected a response, got %T", received.Message)
	}
	return response, received.FileDescriptors, nil
}

// call sends a request with a fresh id and returns its successful result and fds.
func (c *connection) call(method string, params interface{}, files []*os.File) (interface{}, []*os.File, error) {
	id := c.freshID()
	if err := c.sendRequest(method, params, id, files); err != nil {
		return nil, nil, err
	}
	response, fds, err := c.receiveResponse()
	if err != nil {
		return nil, nil, err
	}
	// The library decodes numeric ids as float64 (jsonrpc-fdpass.md §11).
	if got, ok := response.ID.(float64); !ok || got != float64(id) {
		closeAll(fds)
		return nil, nil, fmt.Errorf("%s: response id %v does not match request id %d", method, response.ID, id)
	}
	if response.Error != nil {
		closeAll(fds)
		return nil, nil, fmt.Errorf("%s failed: code %d: %s", method, response.Error.Code, response.Error.Message)
	}
	return response.Result, fds, nil
}
