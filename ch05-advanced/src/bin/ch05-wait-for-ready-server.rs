//! 준비될 때까지 기다리기 (Wait for ready) · 책 밖의 내용 (beyond the book; grpc-go's
//! `features/wait_for_ready`): an echo server that can start late.
//!
//! ```text
//! cargo run --bin ch05-wait-for-ready-server -- --start-after 5
//! cargo run --bin ch05-wait-for-ready-client     # in a second terminal, within those 5 s
//! ```
//!
//! The server logs `Starting in 5 s`, and nothing listens on the port until then: the client's
//! fail-fast call is refused at once, its wait-for-ready calls keep trying to connect. Then it
//! logs `Server started, listening on 0.0.0.0:50051` and answers `UnaryEcho` with the message
//! and its port, `call 2 (from :50051)`: chapter 5's load-balancing echo backend. Ctrl-C (or
//! SIGTERM) stops it, before or after it started.

use std::time::Duration;

use clap::Parser;
use common::args::ServerAddr;

/// An echo server that starts listening only after a while.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ServerAddr,
    /// How long to wait before listening, in seconds.
    #[arg(long, default_value_t = 0)]
    start_after: u64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    if args.start_after > 0 {
        tracing::info!("Starting in {} s", args.start_after);
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(args.start_after)) => {}
            () = common::shutdown::signal() => return Ok(()),
        }
    }
    common::server::run(&args.server, |listener, shutdown| async move {
        ch05_advanced::loadbalancing::serve(listener, shutdown)
            .await
            .map_err(std::io::Error::other)
    })
    .await
}
