//! 드레인 (Draining a server) · 책 밖의 내용 (beyond the book; grpc-go's `gracefulstop` and
//! `MaxConnectionAge`): two echo backends, A and B, in one process; A drains while it works.
//!
//! ```text
//! cargo run --bin ch05-drain-server    # A on 0.0.0.0:50051, B on 0.0.0.0:50052
//! cargo run --bin ch05-drain-client    # in a second terminal
//! ```
//!
//! Each call takes 500 ms (`--work-ms`). Two seconds after its first call (`--drain-after-ms`;
//! 0: never), A drains: it logs `A: draining: GOAWAY sent; calls in flight: 2`, answers those
//! two, and logs `A: drained and stopped: 8 calls answered, 0 cut`. B keeps serving until
//! Ctrl-C (or SIGTERM), which drains every backend still up.
//!
//! With `--max-connection-age-ms 1000 --drain-after-ms 0`, no backend stops; each closes its
//! connections after a second (`GOAWAY`, the calls on it finish), and the client connects
//! again: every backend logs `A: connection 2 from …`, `A: connection 1 closed after 1003 ms`.

use std::net::SocketAddr;
use std::time::Duration;

use ch05_advanced::drain::{self, Backend, DRAIN_AFTER, WORK};
use clap::Parser;
use common::args::{BOOK_PORT, ServerAddr};
use futures::FutureExt as _;
use futures::future::{BoxFuture, try_join_all};

/// Echo backends A, B, …; A drains while it has calls in flight.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address of a backend, as HOST:PORT; the first is A, the second B; repeat for more.
    #[arg(
        long = "addr",
        default_values_t = [
            SocketAddr::from(([0, 0, 0, 0], BOOK_PORT)),
            SocketAddr::from(([0, 0, 0, 0], BOOK_PORT + 1)),
        ]
    )]
    addrs: Vec<SocketAddr>,
    /// How long each call works, in milliseconds.
    #[arg(long, default_value_t = WORK.as_millis() as u64)]
    work_ms: u64,
    /// When A drains, in milliseconds after its first call; 0: only on Ctrl-C.
    #[arg(long, default_value_t = DRAIN_AFTER.as_millis() as u64)]
    drain_after_ms: u64,
    /// Drain each connection once it is this old, in milliseconds (`max_connection_age`).
    #[arg(long)]
    max_connection_age_ms: Option<u64>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let work = Duration::from_millis(args.work_ms);
    let max_connection_age = args.max_connection_age_ms.map(Duration::from_millis);
    let stop = common::shutdown::signal().boxed().shared();

    let mut backends = Vec::new();
    for (index, addr) in args.addrs.into_iter().enumerate() {
        let listener = ServerAddr { addr }.listen().await?;
        let backend = Backend::new(&drain::backend_name(index), work);
        let drain: BoxFuture<'static, ()> = if index == 0 && args.drain_after_ms > 0 {
            let (backend, stop) = (backend.clone(), stop.clone());
            let after = Duration::from_millis(args.drain_after_ms);
            Box::pin(async move {
                tokio::select! {
                    () = backend.first_call_then(after) => {}
                    () = stop => {}
                }
            })
        } else {
            Box::pin(stop.clone())
        };
        backends.push(drain::serve(listener, backend, max_connection_age, drain));
    }
    try_join_all(backends).await?;
    tracing::info!("Server stopped");
    Ok(())
}
