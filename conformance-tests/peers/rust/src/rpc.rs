//! A client connection over the crate's transport: requests with ids, responses with fds.

use jsonrpc_fdpass::{
    JsonRpcMessage, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse, MessageWithFds, Receiver,
    Sender, UnixSocketTransport,
};
use serde_json::Value;
use std::num::NonZeroUsize;
use std::os::fd::OwnedFd;
use std::path::Path;
use tokio::net::UnixStream;

pub struct Connection {
    sender: Sender,
    receiver: Receiver,
    next_id: u64,
}

impl Connection {
    pub async fn connect(
        socket: &Path,
        max_fds_per_sendmsg: Option<NonZeroUsize>,
    ) -> Result<Connection, String> {
        let stream = UnixStream::connect(socket)
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", socket.display()))?;
        let (mut sender, receiver) = UnixSocketTransport::new(stream).split();
        if let Some(n) = max_fds_per_sendmsg {
            sender.set_max_fds_per_sendmsg(n);
        }
        Ok(Connection { sender, receiver, next_id: 1 })
    }

    pub fn fresh_id(&mut self) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        Value::from(id)
    }

    pub async fn send_request(
        &mut self,
        method: &str,
        params: Option<Value>,
        id: Value,
        fds: Vec<OwnedFd>,
    ) -> Result<(), String> {
        let request = JsonRpcRequest::new(method.to_string(), params, id);
        let message = MessageWithFds::new(JsonRpcMessage::Request(request), fds);
        self.sender.send(message).await.map_err(|e| format!("sending {method}: {e}"))
    }

    pub async fn notify(&mut self, method: &str, params: Option<Value>) -> Result<(), String> {
        let notification = JsonRpcNotification::new(method.to_string(), params);
        let message = MessageWithFds::new(JsonRpcMessage::Notification(notification), Vec::new());
        self.sender.send(message).await.map_err(|e| format!("sending {method}: {e}"))
    }

    /// The next message, which must be a response.
    pub async fn receive_response(&mut self) -> Result<(JsonRpcResponse, Vec<OwnedFd>), String> {
        let received = self.receiver.receive().await.map_err(|e| format!("receiving: {e}"))?;
        match received.message {
            JsonRpcMessage::Response(response) => Ok((response, received.file_descriptors)),
            other => Err(format!("expected a response, got {other:?}")),
        }
    }

    /// Sends a request with a fresh id and waits for its successful result.
    pub async fn call(
        &mut self,
        method: &str,
        params: Option<Value>,
        fds: Vec<OwnedFd>,
    ) -> Result<(Value, Vec<OwnedFd>), String> {
        let id = self.fresh_id();
        self.send_request(method, params, id.clone(), fds).await?;
        let (response, fds) = self.receive_response().await?;
        if response.id != id {
            return Err(format!("{method}: response id {} does not match request id {id}", response.id));
        }
        if let Some(error) = response.error {
            return Err(format!("{method} failed: code {}: {}", error.code(), error.message()));
        }
        Ok((response.result.unwrap_or(Value::Null), fds))
    }
}
