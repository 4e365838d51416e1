//! 「gRPC: 고급 기능」 5장 밖의 내용, 재시도와 헤징 (Retries and hedging, beyond the book): the
//! server, two echo backends in one process.
//!
//! ```text
//! cargo run --bin ch05-retry-server   # backends on 0.0.0.0:50051 and 0.0.0.0:50052
//! cargo run --bin ch05-retry-client   # in a second terminal
//! ```
//!
//! The backend on `--addr` is grpc-go's failing server: it turns its first 3 calls
//! (`--fail-first`) away with `UNAVAILABLE`, logging `request failed count: 1 on :50051` to `3`, and
//! answers the rest after 300 ms (`--delay-ms`), `request succeeded count: 4 on :50051`. The one on
//! `--replica-addr` answers at once; when the client's hedge reaches it first, the slow one
//! logs `request cancelled count: 5 on :50051 (the client went away)`. Restart the server to see the
//! retries again.

use std::net::SocketAddr;
use std::time::Duration;

use ch05_advanced::retry::{Backend, FAIL_FIRST, SLOW_ANSWER};
use clap::Parser;
use common::args::{BOOK_PORT, ServerAddr};

/// A failing, slow echo backend and a healthy replica.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ServerAddr,
    /// Address of the healthy replica, as HOST:PORT.
    #[arg(long, default_value_t = SocketAddr::from(([0, 0, 0, 0], BOOK_PORT + 1)))]
    replica_addr: SocketAddr,
    /// How many calls the backend on --addr fails with UNAVAILABLE before answering.
    #[arg(long, default_value_t = FAIL_FIRST)]
    fail_first: u64,
    /// How long the backend on --addr takes over each answer, in milliseconds.
    #[arg(long, default_value_t = SLOW_ANSWER.as_millis() as u64)]
    delay_ms: u64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let flaky = Backend::failing_first(args.fail_first)
        .answering_after(Duration::from_millis(args.delay_ms));
    let replica = ServerAddr {
        addr: args.replica_addr,
    }
    .listen()
    .await?;
    common::server::run(&args.server, |listener, shutdown| {
        ch05_advanced::retry::serve_two((listener, flaky), (replica, Backend::default()), shutdown)
    })
    .await
}
