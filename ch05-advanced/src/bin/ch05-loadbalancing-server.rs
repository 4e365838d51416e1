//! 로드밸런싱 (Load Balancing), 「gRPC: 고급 기능」 5장 (Chapter 5, gRPC: Beyond the Basics):
//! two echo backends in one process.
//!
//! ```text
//! cargo run --bin ch05-loadbalancing-server  # backends on 0.0.0.0:50051 and 0.0.0.0:50052
//! cargo run --bin ch05-loadbalancing-client  # in a second terminal
//! ```
//!
//! `--addr` repeated picks other addresses: `--addr 127.0.0.1:6001 --addr 127.0.0.1:6002`.
//! Each backend logs `serving on :<port>` and answers `UnaryEcho` with the message and its
//! port, `this is examples/load_balancing (from :50051)`; the streaming methods answer
//! `UNIMPLEMENTED`. Ctrl-C (or SIGTERM) stops every backend after the calls in flight finish.

use std::net::SocketAddr;

use clap::Parser;
use common::args::{BOOK_PORT, ServerAddr};

/// Echo backends that tag each reply with their port.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address of a backend, as HOST:PORT; repeat for more backends.
    #[arg(
        long = "addr",
        default_values_t = [
            SocketAddr::from(([0, 0, 0, 0], BOOK_PORT)),
            SocketAddr::from(([0, 0, 0, 0], BOOK_PORT + 1)),
        ]
    )]
    addrs: Vec<SocketAddr>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let _log = common::logging::init("info");

    let mut listeners = Vec::new();
    for addr in args.addrs {
        listeners.push(ServerAddr { addr }.listen().await?);
    }

    ch05_advanced::loadbalancing::serve_all(listeners, common::shutdown::signal()).await?;
    tracing::info!("Server stopped");
    Ok(())
}
