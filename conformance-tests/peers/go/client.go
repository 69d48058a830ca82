package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
)

// Check names and constants are the same as in the Rust peer.
const (
	stringID = "request-uuid-123"
	// batchedFDs is more than one sendmsg can carry (SCM_MAX_FD = 253), so the library batches.
	batchedFDs         = 300
	manyFDs            = 1000
	pipelinedRequests  = 100
	pipelineFirstID    = 10000
	readFileText       = "readFile content from the go peer\nsecond line <&>\n"
	nestedParamsSource = `{"string": "héllo <tag> & \"quoted\"", "int": 42, "negative": -7, "float": 1.5,
		"bool": true, "null": null, "array": [1, "two", [3], {"four": 4}],
		"object": {"nested": {"deep": [true, false]}}}`
)

func fdLabel(i int) string { return fmt.Sprintf("fd-%04d", i) }

func labelledMemfds(count int) ([]*os.File, error) {
	files := make([]*os.File, 0, count)
	for i := 0; i < count; i++ {
		f, err := memfdWith(fdLabel(i), []byte(fdLabel(i)))
		if err != nil {
			closeAll(files)
			return nil, fmt.Errorf("memfd %d: %w", i, err)
		}
		files = append(files, f)
	}
	return files, nil
}

// decoded is v as the library would decode it (numbers as float64), for deep comparison.
func decoded(v interface{}) interface{} {
	data, _ := json.Marshal(v)
	var out interface{}
	_ = json.Unmarshal(data, &out)
	return out
}

func expectEqual(what string, got, want interface{}) error {
	if !reflect.DeepEqual(decoded(got), decoded(want)) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		return fmt.Errorf("%s: got %s, want %s", what, g, w)
	}
	return nil
}

func echoParams(c *connection, params interface{}) (outcome, error) {
	result, files, err := c.call("echo", params, nil)
	closeAll(files)
	if err != nil {
		return pass, err
	}
	return pass, expectEqual("echo result", result, params)
}

func echoNestedParams(c *connection) (outcome, error) {
	var params interface{}
	if err := json.Unmarshal([]byte(nestedParamsSource), &params); err != nil {
		return pass, err
	}
	return echoParams(c, params)
}

func echoStringID(c *connection) (outcome, error) {
	if err := c.sendRequest("echo", map[string]interface{}{"id-check": true}, stringID, nil); err != nil {
		return pass, err
	}
	response, files, err := c.receiveResponse()
	closeAll(files)
	if err != nil {
		return pass, err
	}
	if response.ID != stringID {
		return pass, fmt.Errorf("response id %#v, want %q", response.ID, stringID)
	}
	return pass, nil
}

func notificationGetsNoResponse(c *connection) (outcome, error) {
	if err := c.notify("echo", map[string]interface{}{"notification": true}); err != nil {
		return pass, err
	}
	// The next message must answer the request; a reply to the notification would come first.
	return echoParams(c, map[string]interface{}{"after": "notification"})
}

func methodNotFound(c *connection) (outcome, error) {
	id := c.freshID()
	if err := c.sendRequest("noSuchMethod", nil, id, nil); err != nil {
		return pass, err
	}
	response, files, err := c.receiveResponse()
	closeAll(files)
	switch {
	case err != nil:
		return pass, err
	case response.Error == nil:
		return pass, fmt.Errorf("want an error, got result %v", response.Result)
	case response.Error.Code != codeMethodNotFound || response.ID != float64(id):
		return pass, fmt.Errorf("want code -32601 for id %d, got code %d for id %v", id, response.Error.Code, response.ID)
	}
	return pass, nil
}

func readFileOneFD(c *connection) (outcome, error) {
	dir, err := os.MkdirTemp("", "go-peer-")
	if err != nil {
		return pass, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "read-file.txt")
	if err := os.WriteFile(path, []byte(readFileText), 0o600); err != nil {
		return pass, err
	}
	f, err := os.Open(path)
	if err != nil {
		return pass, err
	}
	result, files, err := c.call("readFile", nil, []*os.File{f})
	closeAll(files)
	if err != nil {
		return pass, err
	}
	return pass, expectEqual("readFile result", result, readFileText)
}

func createPipe(c *connection) (outcome, error) {
	result, files, err := c.call("createPipe", nil, nil)
	defer closeAll(files)
	if err != nil {
		return pass, err
	}
	if len(files) != 1 {
		return pass, fmt.Errorf("want 1 fd, got %d", len(files))
	}
	fields, _ := result.(map[string]interface{})
	text, ok := fields["text"].(string)
	if !ok {
		return pass, fmt.Errorf("result has no text: %v", result)
	}
	content, err := readAll(files[0])
	if err != nil {
		return pass, fmt.Errorf("reading the pipe: %w", err)
	}
	if string(content) != text {
		return pass, fmt.Errorf("pipe held %q, result.text is %q", content, text)
	}
	return pass, nil
}

func fdCount(c *connection, count int) (outcome, error) {
	sent, err := labelledMemfds(count)
	if err != nil {
		return pass, err
	}
	result, files, err := c.call("fdCount", nil, sent)
	closeAll(files)
	if err != nil {
		return pass, err
	}
	want := make([]string, count)
	for i := range want {
		want[i] = fdLabel(i)
	}
	return pass, expectEqual("fdCount result", result, map[string]interface{}{"count": count, "contents": want})
}

func echoFDs(c *connection, count int) (outcome, error) {
	sent, err := labelledMemfds(count)
	if err != nil {
		return pass, err
	}
	result, files, err := c.call("echoFds", nil, sent)
	defer closeAll(files)
	if err != nil {
		return pass, err
	}
	if err := expectEqual("echoFds result", result, map[string]interface{}{"count": count}); err != nil {
		return pass, err
	}
	if len(files) != count {
		return pass, fmt.Errorf("want %d fds back, got %d", count, len(files))
	}
	for i, f := range files {
		content, err := readAll(f)
		if err != nil {
			return pass, fmt.Errorf("reading fd %d: %w", i, err)
		}
		if string(content) != fdLabel(i) {
			return pass, fmt.Errorf("fd %d holds %q, want %s", i, content, fdLabel(i))
		}
	}
	return pass, nil
}

func pipelined(c *connection) (outcome, error) {
	pending := map[float64]bool{}
	for id := pipelineFirstID; id < pipelineFirstID+pipelinedRequests; id++ {
		if err := c.sendRequest("echo", map[string]interface{}{"seq": id}, id, nil); err != nil {
			return pass, err
		}
		pending[float64(id)] = true
	}
	for i := 0; i < pipelinedRequests; i++ {
		response, files, err := c.receiveResponse()
		closeAll(files)
		if err != nil {
			return pass, err
		}
		id, ok := response.ID.(float64)
		if !ok || !pending[id] {
			return pass, fmt.Errorf("unexpected or repeated response id %v", response.ID)
		}
		delete(pending, id)
		if err := expectEqual(fmt.Sprintf("result of request %v", id), response.Result, map[string]interface{}{"seq": id}); err != nil {
			return pass, err
		}
	}
	return pass, nil
}

// echoNullResult: a null result must still be sent as "result": null (JSON-RPC 2.0 §5).
// Runs on its own connection: a response without result ends the receiver.
func echoNullResult(socket string, options clientOptions) (outcome, error) {
	c, err := connect(socket, options.maxFDsPerSendmsg)
	if err != nil {
		return pass, err
	}
	defer c.close()
	if err := c.sendRequest("echo", nil, c.freshID(), nil); err != nil {
		return pass, err
	}
	response, files, err := c.receiveResponse()
	closeAll(files)
	switch {
	case err != nil && options.goQuirks:
		return skip(fmt.Sprintf("the Go peer omits a null result, which the library rejects (%v)", err)), nil
	case err != nil:
		return pass, err
	case response.Error != nil || response.Result != nil:
		return pass, fmt.Errorf("want result null, got %v / %v", response.Result, response.Error)
	}
	return pass, nil
}

func runClient(socket string, options clientOptions) (bool, error) {
	// Let the runtime open its poller fds before the baseline count.
	if r, w, err := os.Pipe(); err == nil {
		r.Close()
		w.Close()
	}
	before, err := openFDCount()
	if err != nil {
		return false, fmt.Errorf("counting fds: %w", err)
	}
	report := &reporter{json: options.json}
	c, err := connect(socket, options.maxFDsPerSendmsg)
	if err != nil {
		return false, err
	}
	report.record("echo_nested_params", func() (outcome, error) { return echoNestedParams(c) })
	report.record("echo_array_params", func() (outcome, error) { return echoParams(c, []interface{}{1, 2, 3, 4, 5}) })
	report.record("echo_string_id", func() (outcome, error) { return echoStringID(c) })
	report.record("echo_large_int_id", func() (outcome, error) {
		return skip("the Go library decodes response ids as float64, so it cannot observe an exact id above 2^53"), nil
	})
	report.record("notification_gets_no_response", func() (outcome, error) { return notificationGetsNoResponse(c) })
	report.record("method_not_found", func() (outcome, error) { return methodNotFound(c) })
	report.record("read_file_one_fd", func() (outcome, error) { return readFileOneFD(c) })
	report.record("create_pipe", func() (outcome, error) { return createPipe(c) })
	report.record("fd_count_300", func() (outcome, error) { return fdCount(c, batchedFDs) })
	report.record("fd_count_1000", func() (outcome, error) { return fdCount(c, manyFDs) })
	report.record("echo_fds_300", func() (outcome, error) { return echoFDs(c, batchedFDs) })
	report.record("pipelined_100", func() (outcome, error) { return pipelined(c) })
	c.close()
	report.record("echo_null_result", func() (outcome, error) { return echoNullResult(socket, options) })
	if options.shutdown {
		c, err := connect(socket, options.maxFDsPerSendmsg)
		if err != nil {
			return false, err
		}
		err = c.notify("shutdown", nil)
		c.close()
		if err != nil {
			return false, err
		}
	}
	after, err := openFDCount()
	if err != nil {
		return false, fmt.Errorf("counting fds: %w", err)
	}
	report.record("no_fd_leak", func() (outcome, error) {
		if after != before {
			return pass, fmt.Errorf("%d fds open before the checks, %d after", before, after)
		}
		return pass, nil
	})
	return report.finish(), nil
}
