//! The command lines of `ch07-server` and `ch07-client`.
//!
//! They live in the library rather than in the binaries so that `tests/deploy.rs` can parse
//! the `args:` of the Kubernetes manifests with the very parsers the containers run, and a
//! manifest that names a flag the binaries do not know fails a test instead of a pod.

use std::net::SocketAddr;

use clap::Parser;
use common::args::{ClientAddr, ServerAddr};

use ch05_advanced::loadbalancing::Policy;

use crate::balancing::{InvalidTarget, StaticName, Target, parse_policy};
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
    /// The pause between rounds, in milliseconds (the book's 3 s).
    #[arg(long, default_value_t = 3000)]
    pub pause_ms: u64,
    /// With `--addr dns:///NAME:PORT`: how the rounds spread over NAME's addresses,
    /// `pick_first` (gRPC's default) or `round_robin`.
    #[arg(long, value_parser = parse_policy)]
    pub lb: Option<Policy>,
    /// With `--addr dns:///NAME:PORT`: answer NAME with these addresses instead of asking DNS,
    /// as curl's `--resolve` (may be repeated).
    #[arg(long, value_name = "NAME=IP[,IP...]")]
    pub resolve: Vec<StaticName>,
}

impl ClientArgs {
    /// What `--addr` names. `--lb` and `--resolve` are only for a `dns:///` target: with one
    /// `HOST:PORT` there is nothing to balance.
    pub fn target(&self) -> Result<Target, InvalidTarget> {
        let target: Target = self.server.addr.parse()?;
        if matches!(target, Target::Direct(_)) && (self.lb.is_some() || !self.resolve.is_empty()) {
            return Err(InvalidTarget::NothingToBalance(self.server.addr.clone()));
        }
        Ok(target)
    }
}
