//! The command lines of `ch07-server` and `ch07-client`.
//!
//! They live in the library rather than in the binaries so that `tests/deploy.rs` can parse
//! the `args:` of the Kubernetes manifests with the very parsers the containers run, and a
//! manifest that names a flag the binaries do not know fails a test instead of a pod.

use std::net::SocketAddr;

use clap::Parser;
use common::args::{ClientAddr, ServerAddr};

use crate::metrics::{CLIENT_METRICS_PORT, SERVER_METRICS_PORT};

/// `ch07-server`'s flags.
#[derive(Debug, Parser)]
#[command(
    name = "ch07-server",
    about = "ProductInfo server with health, metrics and tracing"
)]
pub struct ServerArgs {
    /// Where to serve gRPC.
    #[command(flatten)]
    pub server: ServerAddr,
    /// Where Prometheus scrapes /metrics, as HOST:PORT.
    #[arg(long, default_value_t = SocketAddr::from(([0, 0, 0, 0], SERVER_METRICS_PORT)))]
    pub metrics_addr: SocketAddr,
}

/// `ch07-client`'s flags.
#[derive(Debug, Parser)]
#[command(
    name = "ch07-client",
    about = "ProductInfo client with metrics and tracing"
)]
pub struct ClientArgs {
    /// Which server to call.
    #[command(flatten)]
    pub server: ClientAddr,
    /// Where Prometheus scrapes /metrics, as HOST:PORT.
    #[arg(long, default_value_t = SocketAddr::from(([0, 0, 0, 0], CLIENT_METRICS_PORT)))]
    pub metrics_addr: SocketAddr,
    /// Stop after this many rounds (default: run until Ctrl-C, as the book's client).
    #[arg(long)]
    pub rounds: Option<u64>,
}
