//! splitfdstream mode: a consumer of the container-libs compatible methods (GetImage,
//! GetSplitFDStream) and of cstor-rs GetLayerSplitfdstream, reassembling each layer's tar.

use crate::fds;
use crate::rpc::Connection;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::os::fd::OwnedFd;
use std::path::Path;

/// splitfdstream.md §1.1: each chunk starts with an 8-byte signed little-endian prefix.
const PREFIX_LEN: usize = 8;
/// cstor-rs protocol.rs media type of an uncompressed stream.
const MEDIA_TYPE: &str = "application/vnd.containers.splitfdstream";

/// Length and sha256 of a reassembled layer tar.
#[derive(PartialEq, Eq, Debug)]
pub struct Reassembled {
    pub length: u64,
    pub sha256_hex: String,
}

/// Decodes `stream` (the bytes of fds[0]) against the content fds (fds[1..]) and hashes the
/// concatenation. External content is each file's whole content from offset 0, read with
/// pread so the shared fd offset does not matter (splitfdstream.md §1.1).
pub fn reassemble(stream: &[u8], content: &[OwnedFd]) -> Result<Reassembled, String> {
    let mut hasher = Sha256::new();
    let mut length: u64 = 0;
    let mut at = 0usize;
    while at < stream.len() {
        let prefix_bytes: [u8; PREFIX_LEN] = stream
            .get(at..at + PREFIX_LEN)
            .and_then(|b| b.try_into().ok())
            .ok_or(format!("truncated chunk prefix at stream offset {at}"))?;
        let prefix = i64::from_le_bytes(prefix_bytes);
        at += PREFIX_LEN;
        if prefix == i64::MIN {
            return Err(format!("invalid prefix i64::MIN at stream offset {}", at - PREFIX_LEN));
        }
        if prefix < 0 {
            let n = prefix.unsigned_abs() as usize;
            let inline = stream.get(at..at + n).ok_or(format!(
                "inline chunk of {n} bytes at stream offset {at} runs past the stream end ({})",
                stream.len()
            ))?;
            hasher.update(inline);
            length += n as u64;
            at += n;
        } else {
            let fd = usize::try_from(prefix).ok().and_then(|i| content.get(i)).ok_or(format!(
                "external index {prefix} but only {} content fds were sent",
                content.len()
            ))?;
            fds::for_each_chunk(std::os::fd::AsFd::as_fd(fd), |chunk| {
                hasher.update(chunk);
                length += chunk.len() as u64;
            })
            .map_err(|e| format!("reading content fd {prefix}: {e}"))?;
        }
    }
    Ok(Reassembled { length, sha256_hex: format!("{:x}", hasher.finalize()) })
}

fn result_str<'a>(result: &'a Value, key: &str, method: &str) -> Result<&'a str, String> {
    result.get(key).and_then(Value::as_str).ok_or(format!("{method} result has no string {key:?}: {result}"))
}

/// Splits the response fds into the stream (fds[0]) and the content fds, and reassembles.
fn reassemble_response(method: &str, mut fds: Vec<OwnedFd>) -> Result<(usize, Reassembled), String> {
    if fds.is_empty() {
        return Err(format!("{method} sent no fds (want 1+K: the stream, then the content)"));
    }
    let content = fds.split_off(1);
    let stream = fds::read_all(&fds[0]).map_err(|e| format!("{method}: reading the stream fd: {e}"))?;
    let reassembled = reassemble(&stream, &content).map_err(|e| format!("{method}: {e}"))?;
    Ok((stream.len(), reassembled))
}

async fn layer(c: &mut Connection, id: &str) -> Result<Reassembled, String> {
    let (result, fds) = c.call("GetSplitFDStream", Some(json!({"layerId": id})), Vec::new()).await?;
    let stream_size = result
        .get("streamSize")
        .and_then(Value::as_u64)
        .ok_or(format!("GetSplitFDStream result has no integer streamSize: {result}"))?;
    let (stream_len, from_container_libs) = reassemble_response("GetSplitFDStream", fds)?;
    if stream_len as u64 != stream_size {
        return Err(format!("GetSplitFDStream: streamSize {stream_size} but the stream fd holds {stream_len} bytes"));
    }
    let (result, fds) = c.call("GetLayerSplitfdstream", Some(json!({"layer": id})), Vec::new()).await?;
    let media_type = result_str(&result, "mediaType", "GetLayerSplitfdstream")?;
    if media_type != MEDIA_TYPE {
        return Err(format!("GetLayerSplitfdstream: mediaType {media_type:?}, want {MEDIA_TYPE:?}"));
    }
    let (_, from_cstor) = reassemble_response("GetLayerSplitfdstream", fds)?;
    if from_cstor != from_container_libs {
        return Err(format!(
            "GetLayerSplitfdstream gave sha256:{} ({} bytes) but GetSplitFDStream gave sha256:{} ({} bytes)",
            from_cstor.sha256_hex, from_cstor.length, from_container_libs.sha256_hex, from_container_libs.length
        ));
    }
    Ok(from_container_libs)
}

pub async fn run(socket: &Path, image: &str) -> Result<bool, String> {
    let mut c = Connection::connect(socket, None).await?;
    let (result, fds) = c.call("GetImage", Some(json!({"imageId": image})), Vec::new()).await?;
    drop(fds);
    result_str(&result, "manifest", "GetImage")?;
    result_str(&result, "config", "GetImage")?;
    let layers = result
        .get("layerDigests")
        .and_then(Value::as_array)
        .ok_or(format!("GetImage result has no layerDigests array: {result}"))?;
    // api-contract §3.1: layer ids come TOP first, and are printed in that order.
    for entry in layers {
        let id = entry.as_str().ok_or(format!("GetImage layerDigests holds a non-string {entry}"))?;
        let reassembled = layer(&mut c, id).await.map_err(|e| format!("layer {id}: {e}"))?;
        println!("layer {id} sha256:{} {}", reassembled.sha256_hex, reassembled.length);
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline(bytes: &[u8]) -> Vec<u8> {
        let mut chunk = (-(bytes.len() as i64)).to_le_bytes().to_vec();
        chunk.extend_from_slice(bytes);
        chunk
    }

    fn sha256_hex(bytes: &[u8]) -> String {
        format!("{:x}", Sha256::digest(bytes))
    }

    #[test]
    fn inline_and_external_chunks_concatenate_in_stream_order() {
        let content = vec![fds::memfd_with("a", b"AAAA").unwrap(), fds::memfd_with("b", b"BB").unwrap()];
        let mut stream = inline(b"head-");
        stream.extend_from_slice(&1i64.to_le_bytes());
        stream.extend_from_slice(&inline(b"-mid-"));
        stream.extend_from_slice(&0i64.to_le_bytes());
        stream.extend_from_slice(&1i64.to_le_bytes());
        let got = reassemble(&stream, &content).unwrap();
        assert_eq!(got, Reassembled { length: 18, sha256_hex: sha256_hex(b"head-BB-mid-AAAABB") });
    }

    #[test]
    fn external_index_past_the_fds_is_an_error_naming_the_index() {
        let err = reassemble(&3i64.to_le_bytes(), &[]).unwrap_err();
        assert_eq!(err, "external index 3 but only 0 content fds were sent");
    }

    #[test]
    fn truncated_inline_chunk_and_prefix_and_min_prefix_are_errors() {
        let mut short = (-10i64).to_le_bytes().to_vec();
        short.extend_from_slice(b"abc");
        assert!(reassemble(&short, &[]).unwrap_err().contains("runs past the stream end"));
        assert!(reassemble(&[0xff, 0xff], &[]).unwrap_err().contains("truncated chunk prefix at stream offset 0"));
        assert!(reassemble(&i64::MIN.to_le_bytes(), &[]).unwrap_err().contains("i64::MIN"));
    }
}
