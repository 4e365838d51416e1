//! Keepalive (no section of its own in 「gRPC: 고급 기능」 5장, Chapter 5, gRPC: Beyond the
//! Basics; the book's sample of that name is a second 데드라인 (deadlines) demo): an order
//! server that pings its clients and whose `addOrder` takes 5 seconds.
//!
//! ```text
//! cargo run --bin ch05-keepalive-server      # listens on 0.0.0.0:50051
//! cargo run --bin ch05-keepalive-client      # in a second terminal
//! ```
//!
//! `addOrder` logs `Sleeping for : 5 s`; the client gives up after one second, and tonic
//! drops the call on the server when the client's `grpc-timeout` runs out. Every connection
//! gets a PING after 5 s without traffic and is closed if the PING is not answered within
//! 1 s; `RUST_LOG=info,h2=debug` shows the frames. Ctrl-C (or SIGTERM) stops the server after
//! the calls in flight finish.

use ch05_advanced::keepalive::{SERVER_KEEPALIVE, serve};
use clap::Parser;
use common::args::ServerAddr;

/// A slow order server with HTTP/2 keepalive.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ServerAddr,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    common::server::run(&args.server, |listener, shutdown| {
        serve(listener, SERVER_KEEPALIVE, shutdown)
    })
    .await
}
