//! 준비될 때까지 기다리기 (Wait for ready) · 책 밖의 내용 (beyond the book; grpc-go's
//! `features/wait_for_ready`): three calls to a server that is not up yet.
//!
//! ```text
//! cargo run --bin ch05-wait-for-ready-server -- --start-after 5
//! cargo run --bin ch05-wait-for-ready-client     # in a second terminal, within those 5 s
//! ```
//!
//! It makes grpc-go's three calls at once and prints each outcome as it comes: the fail-fast
//! call is `UNAVAILABLE` at once, the wait-for-ready call with a 1 s deadline is
//! `DEADLINE_EXCEEDED` after 1 s, and the wait-for-ready call with 10 s succeeds when the
//! server comes up (the times vary; the log shows each connection attempt):
//!
//! ```text
//! [1] fail-fast, deadline 10000 ms: wanted = Unavailable, got = Unavailable after 1 ms (rpc error: code = Unavailable desc = connection error: Connection refused (os error 111))
//! [3] wait-for-ready, deadline 1000 ms: wanted = DeadlineExceeded, got = DeadlineExceeded after 1000 ms (rpc error: code = DeadlineExceeded desc = deadline exceeded)
//! [2] wait-for-ready, deadline 10000 ms: wanted = Ok, got = Ok after 3904 ms (reply "call 2 (from :50051)")
//! ```
//!
//! It exits with 0 when every call got what grpc-go's example wants, 1 otherwise (a server that
//! was up already answers the fail-fast call too), and 2 when `--addr` is not `HOST:PORT`.

use std::process::ExitCode;
use std::time::Duration;

use ch05_advanced::wait_for_ready::{
    Backoff, Dialer, LONG_DEADLINE, SHORT_DEADLINE, book_flow, calls,
};
use clap::Parser;
use common::args::ClientAddr;
use tonic::transport::Endpoint;

/// Fail-fast and wait-for-ready calls to one echo server.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ClientAddr,
    /// The deadline of calls 1 and 2 (fail-fast, and the wait-for-ready call that succeeds),
    /// in milliseconds.
    #[arg(long, default_value_t = LONG_DEADLINE.as_millis() as u64)]
    deadline_ms: u64,
    /// The deadline of call 3 (the wait-for-ready call that runs out of time), in milliseconds.
    #[arg(long, default_value_t = SHORT_DEADLINE.as_millis() as u64)]
    short_deadline_ms: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let Ok(endpoint) = Endpoint::from_shared(args.server.http_uri()) else {
        eprintln!("invalid --addr {:?}: expected HOST:PORT", args.server.addr);
        return ExitCode::from(2);
    };
    let dialer = Dialer::new(endpoint, Backoff::SAMPLE);
    let calls = calls(
        Duration::from_millis(args.deadline_ms),
        Duration::from_millis(args.short_deadline_ms),
    );
    if book_flow(&dialer, &calls, |line| println!("{line}")).await {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
