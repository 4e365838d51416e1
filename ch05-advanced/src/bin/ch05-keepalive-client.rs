//! Keepalive (no section of its own in 「gRPC: 고급 기능」 5장, Chapter 5, gRPC: Beyond the
//! Basics; the book's sample of that name is a second 데드라인 (deadlines) demo): a client
//! with HTTP/2 keepalive and a one-second timeout.
//!
//! With `ch05-keepalive-server` running:
//!
//! ```text
//! cargo run --bin ch05-keepalive-client      # calls localhost:50051
//! ```
//!
//! The server's `addOrder` sleeps 5 seconds, so the call outlives its timeout and it prints:
//!
//! ```text
//! Error Occured -> addOrder : , DeadlineExceeded:
//! ```
//!
//! To watch the PINGs, keep the connection open after the call:
//! `RUST_LOG=info,h2=debug cargo run --bin ch05-keepalive-client -- --hold 12`.

use std::process::ExitCode;
use std::time::Duration;

use ch05_advanced::keepalive::{CLIENT_KEEPALIVE, book_flow, endpoint};
use clap::Parser;
use common::args::ClientAddr;

/// Adds an order with a one-second timeout over a connection that pings.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ClientAddr,
    /// Seconds to keep the connection open after the call, so its PINGs can be watched.
    #[arg(long, default_value_t = 0)]
    hold: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("info");

    let channel = match endpoint(&args.server.addr, CLIENT_KEEPALIVE) {
        Ok(endpoint) => common::channel::guard(endpoint.connect_lazy()),
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };

    // The connection lives as long as a clone of the channel does: keep one through the hold.
    book_flow(channel.clone(), |line| println!("{line}")).await;
    tokio::time::sleep(Duration::from_secs(args.hold)).await;
    drop(channel);
    ExitCode::SUCCESS
}
