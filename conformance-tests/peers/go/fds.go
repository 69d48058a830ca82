package main

import (
	"errors"
	"io"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// readChunk is the number of bytes read per positional read.
const readChunk = 64 * 1024

// memfdWith returns a memfd holding content. Its offset is left at the end on purpose:
// readers must use positional reads (splitfdstream.md §1.1: received fds share the
// producer's offset).
func memfdWith(name string, content []byte) (*os.File, error) {
	fd, err := unix.MemfdCreate(name, unix.MFD_CLOEXEC)
	if err != nil {
		return nil, &os.PathError{Op: "memfd_create", Path: name, Err: err}
	}
	f := os.NewFile(uintptr(fd), name)
	if _, err := f.Write(content); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// forEachChunk feeds the whole content of f from offset 0 to EOF to sink using ReadAt
// (pread), so the fd's shared offset is neither used nor moved. Pipes (ESPIPE) are read
// sequentially.
func forEachChunk(f *os.File, sink func([]byte)) error {
	buffer := make([]byte, readChunk)
	var offset int64
	for {
		n, err := f.ReadAt(buffer, offset)
		if n > 0 {
			sink(buffer[:n])
			offset += int64(n)
		}
		switch {
		case err == io.EOF:
			return nil
		case errors.Is(err, syscall.ESPIPE):
			return forEachChunkSequential(f, buffer, sink)
		case err != nil:
			return err
		}
	}
}

func forEachChunkSequential(f *os.File, buffer []byte, sink func([]byte)) error {
	for {
		n, err := f.Read(buffer)
		if n > 0 {
			sink(buffer[:n])
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readAll returns the whole content of f (see forEachChunk).
func readAll(f *os.File) ([]byte, error) {
	var content []byte
	err := forEachChunk(f, func(chunk []byte) { content = append(content, chunk...) })
	return content, err
}

// pipeWith returns the read end of a pipe that already carried text; the write end is closed.
func pipeWith(text []byte) (*os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	_, err = w.Write(text)
	w.Close()
	if err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

func closeAll(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

// openFDCount is the number of entries in /proc/self/fd (compare counts only).
func openFDCount() (int, error) {
	entries, err := os.ReadDir("/proc/self/fd")
	return len(entries), err
}
