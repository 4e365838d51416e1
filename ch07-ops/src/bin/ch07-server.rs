//! `ch07-server`: ProductInfo with Prometheus metrics (book section "메트릭", Metrics).
//!
//! Terminal 1: `cargo run --bin ch07-server` (gRPC on 50051, metrics on 9092)
//! Terminal 2: `cargo run --bin ch07-client` (metrics on 9094), then
//! `curl -s localhost:9092/metrics | grep -E '^(grpc_server|product_mgt)'`
//!
//! It logs `Server started, listening on 0.0.0.0:50051`, `Metrics on http://0.0.0.0:9092/metrics`,
//! and chapter 2's `Product <id> : <name> - Added.` / `- Retrieved.` per call.

use std::net::SocketAddr;

use ch07_ops::metrics::{SERVER_METRICS_PORT, exporter};
use ch07_ops::server::MeteredServer;
use clap::Parser;
use common::args::ServerAddr;
use prometheus::Registry;
use tokio::net::TcpListener;

#[derive(Debug, Parser)]
#[command(about = "ProductInfo server with Prometheus metrics")]
struct Args {
    #[command(flatten)]
    server: ServerAddr,
    /// Where Prometheus scrapes /metrics, as HOST:PORT.
    #[arg(long, default_value_t = SocketAddr::from(([0, 0, 0, 0], SERVER_METRICS_PORT)))]
    metrics_addr: SocketAddr,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let registry = Registry::new();
    let server = MeteredServer::register(&registry)?;
    common::server::run(&args.server, |listener, shutdown| async move {
        let metrics = TcpListener::bind(args.metrics_addr).await?;
        tracing::info!("Metrics on http://{}/metrics", metrics.local_addr()?);
        tokio::spawn(exporter::serve(metrics, registry, std::future::pending()));
        server
            .serve(listener, shutdown)
            .await
            .map_err(std::io::Error::other)
    })
    .await
}
