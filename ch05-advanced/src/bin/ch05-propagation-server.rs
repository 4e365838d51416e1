//! 데드라인 전파 (Deadline propagation) · 책 밖의 내용 (beyond the book), after
//! 「gRPC: 고급 기능」 5장의 데드라인 (Chapter 5, Deadlines): the two servers.
//!
//! ```text
//! cargo run --bin ch05-propagation-server        # front on 50051, backend on 127.0.0.1:50052
//! cargo run --bin ch05-propagation-client        # a 2-second budget for the whole chain
//! ```
//!
//! The front forwards `addOrder` to the backend with the time its caller has left; the
//! backend's `addOrder` works for 5 s. Each hop logs the budget it was given and when it
//! answered:
//!
//! ```text
//! INFO front: caller gave 1999 ms
//! INFO Forwarding order 101 with 1999 ms left
//! INFO backend: caller gave 1998 ms
//! INFO Sleeping for : 5 s
//! INFO RPC has reached deadline exceeded state : order 101 was not added
//! INFO backend: answered DeadlineExceeded after 1996 ms: budget spent
//! INFO RPC has reached deadline exceeded state : order 101 was not added
//! INFO front: answered DeadlineExceeded after 1998 ms: budget spent
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use ch05_advanced::deadlines::WORK_TIME;
use ch05_advanced::propagation::BACKEND_PORT;
use clap::Parser;
use common::args::ServerAddr;
use tokio::net::TcpListener;

/// A front server and the backend it forwards to, in one process.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Where the front listens.
    #[command(flatten)]
    front: ServerAddr,
    /// Where the backend listens, as HOST:PORT.
    #[arg(long, default_value_t = SocketAddr::from(([127, 0, 0, 1], BACKEND_PORT)))]
    backend_addr: SocketAddr,
    /// How long the backend's `addOrder` works, in seconds.
    #[arg(long, default_value_t = WORK_TIME.as_secs())]
    work_seconds: u64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let backend = TcpListener::bind(args.backend_addr)
        .await
        .map_err(|error| format!("cannot listen on {}: {error}", args.backend_addr))?;
    let work = Duration::from_secs(args.work_seconds);
    common::server::run(&args.front, |front, shutdown| {
        ch05_advanced::propagation::serve(front, backend, work, shutdown)
    })
    .await
}
