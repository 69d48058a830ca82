//! Test peer built on the published `jsonrpc-fdpass` crate: a server of the upstream example
//! methods, a checking client and a splitfdstream consumer. See docs/peers.md.

mod args;
mod client;
mod fds;
mod report;
mod rpc;
mod server;
mod splitfd;

use args::{Args, Mode};
use std::process::ExitCode;

const USAGE: &str = "usage:
  rust-peer server --socket PATH
  rust-peer client --socket PATH [--json] [--server-quirks none|go] [--max-fds-per-sendmsg N] [--shutdown]
  rust-peer splitfdstream --socket PATH --image IMAGE";

/// Exit status for a command line that could not be understood.
const EXIT_USAGE: u8 = 2;
/// Exit status for an operation that failed.
const EXIT_FAILED: u8 = 1;

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(why) => {
            eprintln!("rust-peer: {why}\n{USAGE}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    // 1000-fd checks need more than the usual soft limit of 1024 open files.
    if let Err(why) = fds::raise_open_file_limit() {
        eprintln!("rust-peer: cannot raise RLIMIT_NOFILE: {why}");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(why) => {
            eprintln!("rust-peer: cannot start the async runtime: {why}");
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let outcome = runtime.block_on(async {
        match &args.mode {
            Mode::Server => server::run(&args.socket).await,
            Mode::Client(options) => client::run(&args.socket, options).await,
            Mode::Splitfdstream { image } => splitfd::run(&args.socket, image).await,
        }
    });
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(EXIT_FAILED),
        Err(why) => {
            eprintln!("rust-peer: {why}");
            ExitCode::from(EXIT_FAILED)
        }
    }
}
