//! `ch07-client`: chapter 2's client flow with Prometheus metrics (book section "메트릭").
//!
//! Terminal 1: `cargo run --bin ch07-server`
//! Terminal 2: `cargo run --bin ch07-client` then `curl -s localhost:9094/metrics | grep ^grpc_client`
//!
//! As the book's client, it adds and gets the book's product every 3 seconds until Ctrl-C
//! (`--rounds N` stops after N), printing chapter 2's `Product ID: … added successfully` and
//! `Product: …` each round, while its `grpc_client_*` series are served on port 9094.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use ch02_productinfo::client::{FLOW_TIMEOUT, add_then_get, book_product};
use ch07_ops::client::metered_client;
use ch07_ops::metrics::{CLIENT_METRICS_PORT, exporter};
use clap::Parser;
use common::args::ClientAddr;
use common::deadline::Deadline;
use prometheus::Registry;
use tokio::net::TcpListener;

/// The book's pause between rounds.
const PAUSE: Duration = Duration::from_secs(3);

#[derive(Debug, Parser)]
#[command(about = "ProductInfo client with Prometheus metrics")]
struct Args {
    #[command(flatten)]
    server: ClientAddr,
    /// Where Prometheus scrapes /metrics, as HOST:PORT.
    #[arg(long, default_value_t = SocketAddr::from(([0, 0, 0, 0], CLIENT_METRICS_PORT)))]
    metrics_addr: SocketAddr,
    /// Stop after this many rounds (default: run until Ctrl-C, as the book's client).
    #[arg(long)]
    rounds: Option<u64>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let _log = common::logging::init("info");
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let registry = Registry::new();
    let mut client = metered_client(args.server.channel()?, &registry)?;
    let metrics = TcpListener::bind(args.metrics_addr).await?;
    tracing::info!("Metrics on http://{}/metrics", metrics.local_addr()?);
    tokio::spawn(exporter::serve(metrics, registry, std::future::pending()));
    let mut round = 0;
    loop {
        let flow = add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT)).await?;
        println!("{flow}");
        round += 1;
        if args.rounds.is_some_and(|rounds| round >= rounds) {
            return Ok(());
        }
        tokio::select! {
            () = tokio::time::sleep(PAUSE) => {}
            () = common::shutdown::signal() => return Ok(()),
        }
    }
}
