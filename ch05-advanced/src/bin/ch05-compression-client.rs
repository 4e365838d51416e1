//! 압축 (Compression), 「gRPC: 고급 기능」 5장 (Chapter 5, gRPC: Beyond the Basics): a call
//! compressed with gzip.
//!
//! With `ch05-compression-server` running:
//!
//! ```text
//! cargo run --bin ch05-compression-client    # calls localhost:50051
//! ```
//!
//! It adds order 101 with its request compressed and prints:
//!
//! ```text
//! AddOrder Response -> Order Added: 101
//! ```
//!
//! A failed call prints its status and exits with 1 (a server that does not accept gzip
//! answers `UNIMPLEMENTED`).

use std::process::ExitCode;

use ch05_advanced::compression::book_flow;
use clap::Parser;
use common::args::ClientAddr;
use common::status::RpcError;

/// Adds an order with gzip compression.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ClientAddr,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("info");
    common::client::run(&args.server, |channel| async move {
        book_flow(channel, |line| println!("{line}"))
            .await
            .map_err(|status| format!("Could not add order: {}", RpcError(&status)))
    })
    .await
}
