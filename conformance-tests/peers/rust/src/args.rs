//! Command line of the peer; the Go peer accepts the same shape so one Java test drives either.

use std::num::NonZeroUsize;
use std::path::PathBuf;

/// What the client mode may assume about the server under test.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ServerQuirks {
    /// Strict: every check must pass (the default, used against layerfd).
    None,
    /// The server is the Go reference peer: its documented quirks turn checks into SKIP.
    Go,
}

#[derive(Debug)]
pub struct ClientOptions {
    pub json: bool,
    pub quirks: ServerQuirks,
    pub max_fds_per_sendmsg: Option<NonZeroUsize>,
    pub shutdown: bool,
}

#[derive(Debug)]
pub enum Mode {
    Server,
    Client(ClientOptions),
    Splitfdstream { image: String },
}

#[derive(Debug)]
pub struct Args {
    pub mode: Mode,
    pub socket: PathBuf,
}

impl Args {
    pub fn parse(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
        let mode_name = argv.next().ok_or("missing mode")?;
        let mut socket = None;
        let mut image = None;
        let mut client = ClientOptions {
            json: false,
            quirks: ServerQuirks::None,
            max_fds_per_sendmsg: None,
            shutdown: false,
        };
        while let Some(flag) = argv.next() {
            let mut value = || argv.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--socket" => socket = Some(PathBuf::from(value()?)),
                "--image" => image = Some(value()?),
                "--json" => client.json = true,
                "--shutdown" => client.shutdown = true,
                "--server-quirks" => {
                    client.quirks = match value()?.as_str() {
                        "none" => ServerQuirks::None,
                        "go" => ServerQuirks::Go,
                        other => return Err(format!("unknown --server-quirks {other:?}")),
                    }
                }
                "--max-fds-per-sendmsg" => {
                    let text = value()?;
                    let n = text.parse::<NonZeroUsize>().map_err(|_| {
                        format!("--max-fds-per-sendmsg needs a positive integer, got {text:?}")
                    })?;
                    client.max_fds_per_sendmsg = Some(n);
                }
                other => return Err(format!("unknown option {other:?}")),
            }
        }
        let socket = socket.ok_or("--socket PATH is required")?;
        let mode = match mode_name.as_str() {
            "server" => Mode::Server,
            "client" => Mode::Client(client),
            "splitfdstream" => Mode::Splitfdstream {
                image: image.ok_or("splitfdstream needs --image IMAGE")?,
            },
            other => return Err(format!("unknown mode {other:?}")),
        };
        Ok(Args { mode, socket })
    }
}
