//! 멀티플렉싱 (Multiplexing), 「gRPC: 고급 기능」 5장 (Chapter 5, gRPC: Beyond the Basics):
//! one connection, two stubs.
//!
//! With `ch05-multiplexing-server` running:
//!
//! ```text
//! cargo run --bin ch05-multiplexing-client   # calls localhost:50051
//! ```
//!
//! It adds order 101 through an OrderManagement stub and greets through a Greeter stub, both
//! made from one channel, and prints:
//!
//! ```text
//! AddOrder Response -> Order Added: 101
//! Greeting:  Hello gRPC Up and Running!
//! ```
//!
//! A failed greeting prints its status and exits with 1.

use std::process::ExitCode;

use ch05_advanced::multiplexing::book_flow;
use clap::Parser;
use common::args::ClientAddr;
use common::status::RpcError;

/// Calls two services over one connection.
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
            .map_err(|status| format!("could not greet: {}", RpcError(&status)))
    })
    .await
}
