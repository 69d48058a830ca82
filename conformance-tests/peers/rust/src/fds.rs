//! Small file-descriptor helpers: memfds with known content, positional whole-file reads,
//! the open-fd count of this process and the open-file limit.

use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::io::Errno;
use std::io::{self, Write};

/// Bytes read per pread call.
const READ_CHUNK: usize = 64 * 1024;

/// A memfd holding `content`. Its offset is left at the end on purpose: readers must use
/// positional reads (splitfdstream.md §1.1: received fds share the producer's offset).
pub fn memfd_with(name: &str, content: &[u8]) -> io::Result<OwnedFd> {
    let fd = rustix::fs::memfd_create(name, rustix::fs::MemfdFlags::CLOEXEC)?;
    let mut file = std::fs::File::from(fd);
    file.write_all(content)?;
    Ok(OwnedFd::from(file))
}

/// Feeds the whole content of `fd` from offset 0 to EOF to `sink`, using pread so the fd's
/// own offset is neither used nor moved. Pipes and sockets (ESPIPE) are read sequentially.
pub fn for_each_chunk(fd: BorrowedFd<'_>, mut sink: impl FnMut(&[u8])) -> io::Result<()> {
    let mut buffer = vec![0u8; READ_CHUNK];
    let mut offset: u64 = 0;
    loop {
        let n = match rustix::io::pread(fd, &mut buffer[..], offset) {
            Ok(n) => n,
            Err(Errno::SPIPE) => return for_each_chunk_sequential(fd, &mut buffer, sink),
            Err(Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        };
        if n == 0 {
            return Ok(());
        }
        sink(&buffer[..n]);
        offset += n as u64;
    }
}

fn for_each_chunk_sequential(
    fd: BorrowedFd<'_>,
    buffer: &mut [u8],
    mut sink: impl FnMut(&[u8]),
) -> io::Result<()> {
    loop {
        let n = match rustix::io::read(fd, &mut buffer[..]) {
            Ok(n) => n,
            Err(Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        };
        if n == 0 {
            return Ok(());
        }
        sink(&buffer[..n]);
    }
}

/// The whole content of `fd` (see [`for_each_chunk`]).
pub fn read_all(fd: impl AsFd) -> io::Result<Vec<u8>> {
    let mut content = Vec::new();
    for_each_chunk(fd.as_fd(), |chunk| content.extend_from_slice(chunk))?;
    Ok(content)
}

/// A pipe whose write end already carried `text` and is closed; returns the read end.
pub fn pipe_with(text: &[u8]) -> io::Result<OwnedFd> {
    let (read_end, write_end) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
    let mut writer = std::fs::File::from(write_end);
    writer.write_all(text)?;
    Ok(read_end)
}

/// Number of entries in /proc/self/fd (the directory's own fd included; compare counts only).
pub fn open_fd_count() -> io::Result<usize> {
    Ok(std::fs::read_dir("/proc/self/fd")?.count())
}

/// Raises the soft RLIMIT_NOFILE to the hard limit.
pub fn raise_open_file_limit() -> io::Result<()> {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    limit.current = limit.maximum;
    setrlimit(Resource::Nofile, limit)?;
    Ok(())
}
