//! Server mode: the crate's own `Server` with the methods of the upstream example server
//! (echo, readFile, createPipe) plus fdCount and echoFds for batched fds in both directions.

use crate::fds;
use jsonrpc_fdpass::{Error, Server};
use serde_json::{Value, json};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::sync::Arc;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::Notify;

/// The text createPipe writes into its pipe (also returned as `result.text`).
pub const PIPE_TEXT: &str = "hello from the rust peer through a pipe\n";
/// fdCount returns at most this many leading bytes of each received fd's content.
pub const FD_CONTENT_PREVIEW: usize = 64;

type Handled = jsonrpc_fdpass::Result<(Option<Value>, Vec<OwnedFd>)>;

fn io_error(what: &str, e: std::io::Error) -> Error {
    Error::InvalidMessage(format!("{what}: {e}"))
}

fn read_file(fds: Vec<OwnedFd>) -> Handled {
    let [fd] = <[OwnedFd; 1]>::try_from(fds)
        .map_err(|fds| Error::InvalidMessage(format!("readFile needs exactly 1 fd, got {}", fds.len())))?;
    let content = fds::read_all(&fd).map_err(|e| io_error("readFile", e))?;
    Ok((Some(Value::String(String::from_utf8_lossy(&content).into_owned())), Vec::new()))
}

fn create_pipe() -> Handled {
    let read_end = fds::pipe_with(PIPE_TEXT.as_bytes()).map_err(|e| io_error("createPipe", e))?;
    Ok((Some(json!({"text": PIPE_TEXT})), vec![read_end]))
}

fn fd_count(fds: Vec<OwnedFd>) -> Handled {
    let mut contents = Vec::with_capacity(fds.len());
    for fd in &fds {
        let mut content = fds::read_all(fd).map_err(|e| io_error("fdCount", e))?;
        content.truncate(FD_CONTENT_PREVIEW);
        contents.push(Value::String(String::from_utf8_lossy(&content).into_owned()));
    }
    Ok((Some(json!({"count": fds.len(), "contents": contents})), Vec::new()))
}

pub async fn run(socket: &Path) -> Result<bool, String> {
    // A socket file left by an earlier run would make bind fail with EADDRINUSE.
    if socket.exists() {
        std::fs::remove_file(socket).map_err(|e| format!("removing stale {}: {e}", socket.display()))?;
    }
    let shutdown = Arc::new(Notify::new());
    let mut server = Server::new();
    server.register_method("echo", |_, params, _| Ok((params, Vec::new())));
    server.register_method("readFile", |_, _, fds| read_file(fds));
    server.register_method("createPipe", |_, _, _| create_pipe());
    server.register_method("fdCount", |_, _, fds| fd_count(fds));
    server.register_method("echoFds", |_, _, fds| Ok((Some(json!({"count": fds.len()})), fds)));
    let on_shutdown = Arc::clone(&shutdown);
    server.register_notification("shutdown", move |_, _, _| {
        on_shutdown.notify_one();
        Ok(())
    });
    let mut terminate = signal(SignalKind::terminate()).map_err(|e| format!("SIGTERM handler: {e}"))?;
    let mut interrupt = signal(SignalKind::interrupt()).map_err(|e| format!("SIGINT handler: {e}"))?;
    eprintln!("rust-peer: serving on {}", socket.display());
    let result = tokio::select! {
        served = server.listen(socket) => served.map_err(|e| format!("serving {}: {e}", socket.display())),
        _ = shutdown.notified() => Ok(()),
        _ = terminate.recv() => Ok(()),
        _ = interrupt.recv() => Ok(()),
    };
    let _ = std::fs::remove_file(socket);
    result.map(|()| true)
}
