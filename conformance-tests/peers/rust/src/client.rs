//! Client mode: drives a server of echo/readFile/createPipe/fdCount/echoFds and reports one
//! line per check. Check names are the same in the Go peer.

use crate::args::{ClientOptions, ServerQuirks};
use crate::fds;
use crate::report::{Outcome, Reporter};
use crate::rpc::Connection;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::os::fd::OwnedFd;
use std::path::Path;

/// Ids above 2^53 are where float64 ids (the Go peer's quirk) lose precision.
const LARGE_INT_ID: u64 = 9_007_199_254_740_993;
/// The same id after a round trip through float64.
const LARGE_INT_ID_AS_FLOAT: u64 = 9_007_199_254_740_992;
const STRING_ID: &str = "request-uuid-123";
/// More than one sendmsg can carry (SCM_MAX_FD = 253), so the library must batch.
const BATCHED_FDS: usize = 300;
const MANY_FDS: usize = 1000;
const PIPELINED_REQUESTS: u64 = 100;
/// Ids of pipelined requests start here so they cannot collide with the connection's own ids.
const PIPELINE_FIRST_ID: u64 = 10_000;
const READ_FILE_TEXT: &str = "readFile content from the rust peer\nsecond line <&>\n";

fn fd_label(i: usize) -> String {
    format!("fd-{i:04}")
}

fn labelled_memfds(count: usize) -> Result<Vec<OwnedFd>, String> {
    (0..count)
        .map(|i| fds::memfd_with(&fd_label(i), fd_label(i).as_bytes()).map_err(|e| format!("memfd {i}: {e}")))
        .collect()
}

fn nested_params() -> Value {
    json!({
        "string": "héllo <tag> & \"quoted\"",
        "int": 42,
        "negative": -7,
        "float": 1.5,
        "bool": true,
        "null": null,
        "array": [1, "two", [3], {"four": 4}],
        "object": {"nested": {"deep": [true, false]}},
    })
}

fn expect_eq(what: &str, got: &Value, want: &Value) -> Result<Outcome, String> {
    if got == want { Ok(Outcome::Pass) } else { Err(format!("{what}: got {got}, want {want}")) }
}

async fn echo_nested_params(c: &mut Connection) -> Result<Outcome, String> {
    let (result, _) = c.call("echo", Some(nested_params()), Vec::new()).await?;
    expect_eq("echo result", &result, &nested_params())
}

async fn echo_array_params(c: &mut Connection) -> Result<Outcome, String> {
    let params = json!([1, 2, 3, 4, 5]);
    let (result, _) = c.call("echo", Some(params.clone()), Vec::new()).await?;
    expect_eq("echo result", &result, &params)
}

async fn echo_with_id(c: &mut Connection, id: Value) -> Result<Value, String> {
    c.send_request("echo", Some(json!({"id-check": true})), id, Vec::new()).await?;
    let (response, _) = c.receive_response().await?;
    if let Some(error) = response.error {
        return Err(format!("echo failed: code {}: {}", error.code(), error.message()));
    }
    Ok(response.id)
}

async fn echo_string_id(c: &mut Connection) -> Result<Outcome, String> {
    let id = echo_with_id(c, json!(STRING_ID)).await?;
    expect_eq("response id", &id, &json!(STRING_ID))
}

async fn echo_large_int_id(c: &mut Connection, quirks: ServerQuirks) -> Result<Outcome, String> {
    let id = echo_with_id(c, json!(LARGE_INT_ID)).await?;
    if quirks == ServerQuirks::Go && id == json!(LARGE_INT_ID_AS_FLOAT) {
        return Ok(Outcome::Skip(format!(
            "server rounded id {LARGE_INT_ID} to {id} (Go peer keeps ids as float64)"
        )));
    }
    expect_eq("response id", &id, &json!(LARGE_INT_ID))
}

async fn notification_gets_no_response(c: &mut Connection) -> Result<Outcome, String> {
    c.notify("echo", Some(json!({"notification": true}))).await?;
    // The next message must answer the request; a reply to the notification would come first.
    let (result, _) = c.call("echo", Some(json!({"after": "notification"})), Vec::new()).await?;
    expect_eq("echo result", &result, &json!({"after": "notification"}))
}

async fn method_not_found(c: &mut Connection) -> Result<Outcome, String> {
    let id = c.fresh_id();
    c.send_request("noSuchMethod", None, id.clone(), Vec::new()).await?;
    let (response, _) = c.receive_response().await?;
    match response.error {
        Some(error) if error.code() == -32601 && response.id == id => Ok(Outcome::Pass),
        Some(error) => Err(format!("want code -32601 for id {id}, got code {} for id {}", error.code(), response.id)),
        None => Err(format!("want an error, got result {:?}", response.result)),
    }
}

async fn read_file_one_fd(c: &mut Connection) -> Result<Outcome, String> {
    let dir = std::env::temp_dir().join(format!("rust-peer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let path = dir.join("read-file.txt");
    std::fs::write(&path, READ_FILE_TEXT).map_err(|e| format!("writing {}: {e}", path.display()))?;
    let file = std::fs::File::open(&path).map_err(|e| format!("opening {}: {e}", path.display()));
    let _ = std::fs::remove_dir_all(&dir);
    let (result, _) = c.call("readFile", None, vec![OwnedFd::from(file?)]).await?;
    expect_eq("readFile result", &result, &json!(READ_FILE_TEXT))
}

async fn create_pipe(c: &mut Connection) -> Result<Outcome, String> {
    let (result, fds) = c.call("createPipe", None, Vec::new()).await?;
    let [fd] = <[OwnedFd; 1]>::try_from(fds).map_err(|fds| format!("want 1 fd, got {}", fds.len()))?;
    let text = result.get("text").and_then(Value::as_str).ok_or(format!("result has no text: {result}"))?;
    let content = fds::read_all(&fd).map_err(|e| format!("reading the pipe: {e}"))?;
    if content != text.as_bytes() {
        return Err(format!("pipe held {:?}, result.text is {text:?}", String::from_utf8_lossy(&content)));
    }
    Ok(Outcome::Pass)
}

async fn fd_count(c: &mut Connection, count: usize) -> Result<Outcome, String> {
    let (result, _) = c.call("fdCount", None, labelled_memfds(count)?).await?;
    let want: Vec<String> = (0..count).map(fd_label).collect();
    expect_eq("fdCount result", &result, &json!({"count": count, "contents": want}))
}

async fn echo_fds(c: &mut Connection, count: usize) -> Result<Outcome, String> {
    let (result, fds) = c.call("echoFds", None, labelled_memfds(count)?).await?;
    expect_eq("echoFds result", &result, &json!({"count": count}))?;
    if fds.len() != count {
        return Err(format!("want {count} fds back, got {}", fds.len()));
    }
    for (i, fd) in fds.iter().enumerate() {
        let content = fds::read_all(fd).map_err(|e| format!("reading fd {i}: {e}"))?;
        if content != fd_label(i).as_bytes() {
            return Err(format!("fd {i} holds {:?}, want {}", String::from_utf8_lossy(&content), fd_label(i)));
        }
    }
    Ok(Outcome::Pass)
}

async fn pipelined(c: &mut Connection) -> Result<Outcome, String> {
    let ids = PIPELINE_FIRST_ID..PIPELINE_FIRST_ID + PIPELINED_REQUESTS;
    for id in ids.clone() {
        c.send_request("echo", Some(json!({"seq": id})), json!(id), Vec::new()).await?;
    }
    let mut pending: BTreeSet<u64> = ids.collect();
    for _ in 0..PIPELINED_REQUESTS {
        let (response, _) = c.receive_response().await?;
        let id = response.id.as_u64().ok_or(format!("response id {} is not an integer", response.id))?;
        if !pending.remove(&id) {
            return Err(format!("unexpected or repeated response id {id}"));
        }
        let result = response.result.unwrap_or(Value::Null);
        expect_eq(&format!("result of request {id}"), &result, &json!({"seq": id}))?;
    }
    Ok(Outcome::Pass)
}

/// A null result must still be sent as `"result": null` (JSON-RPC 2.0 §5: result is REQUIRED
/// on success). Runs on its own connection: a response without result ends the receiver.
async fn echo_null_result(socket: &Path, options: &ClientOptions) -> Result<Outcome, String> {
    let mut c = Connection::connect(socket, options.max_fds_per_sendmsg).await?;
    let id = c.fresh_id();
    c.send_request("echo", None, id, Vec::new()).await?;
    match c.receive_response().await {
        Ok((response, _)) if response.error.is_none() && response.result.is_none() => Ok(Outcome::Pass),
        Ok((response, _)) => Err(format!("want result null, got {:?} / {:?}", response.result, response.error)),
        Err(why) if options.quirks == ServerQuirks::Go => Ok(Outcome::Skip(format!(
            "the Go peer omits a null result, which the crate rejects ({why})"
        ))),
        Err(why) => Err(why),
    }
}

pub async fn run(socket: &Path, options: &ClientOptions) -> Result<bool, String> {
    let fds_before = fds::open_fd_count().map_err(|e| format!("counting fds: {e}"))?;
    let mut report = Reporter::new(options.json);
    {
        let mut c = Connection::connect(socket, options.max_fds_per_sendmsg).await?;
        report.record("echo_nested_params", echo_nested_params(&mut c).await);
        report.record("echo_array_params", echo_array_params(&mut c).await);
        report.record("echo_string_id", echo_string_id(&mut c).await);
        report.record("echo_large_int_id", echo_large_int_id(&mut c, options.quirks).await);
        report.record("notification_gets_no_response", notification_gets_no_response(&mut c).await);
        report.record("method_not_found", method_not_found(&mut c).await);
        report.record("read_file_one_fd", read_file_one_fd(&mut c).await);
        report.record("create_pipe", create_pipe(&mut c).await);
        report.record("fd_count_300", fd_count(&mut c, BATCHED_FDS).await);
        report.record("fd_count_1000", fd_count(&mut c, MANY_FDS).await);
        report.record("echo_fds_300", echo_fds(&mut c, BATCHED_FDS).await);
        report.record("pipelined_100", pipelined(&mut c).await);
    }
    report.record("echo_null_result", echo_null_result(socket, options).await);
    if options.shutdown {
        let mut c = Connection::connect(socket, options.max_fds_per_sendmsg).await?;
        c.notify("shutdown", None).await?;
    }
    let fds_after = fds::open_fd_count().map_err(|e| format!("counting fds: {e}"))?;
    let leak = if fds_after == fds_before {
        Ok(Outcome::Pass)
    } else {
        Err(format!("{fds_before} fds open before the checks, {fds_after} after"))
    };
    report.record("no_fd_leak", leak);
    Ok(report.finish())
}
