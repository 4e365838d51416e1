//! 1장 gRPC 소개 (Chapter 1, Introduction to gRPC), measured: ProductInfo over HTTP/1.1 +
//! JSON and over gRPC, side by side.
//!
//! ```text
//! cargo run --release --bin ch01-compare                       # defaults: 5000 calls, 8 callers
//! cargo run --release --bin ch01-compare -- --calls 20000 --concurrency 16
//! ```
//!
//! It starts both servers on free loopback ports in this process, warms them up, and prints
//! two tables: the bytes one `addProduct` and one `getProduct` put on the wire each way (and
//! what a connection costs before its first call), then calls per second and latency of
//! `getProduct` with one caller and with `--concurrency` callers. gRPC's messages are smaller;
//! how the times compare depends on the machine, which is why the README shows measured
//! figures rather than promises.

use std::process::ExitCode;

use ch01_why_grpc::measure::{Plan, Protocol, measure};
use ch01_why_grpc::report::Report;
use clap::Parser;

/// Compares ProductInfo over HTTP/1.1 + JSON with ProductInfo over gRPC, on loopback.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// getProduct calls timed for each protocol, in each load.
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..))]
    calls: u64,
    /// Callers at once in the concurrent load.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=1000))]
    concurrency: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    // The servers' per-call logs would be timed too: only warnings, and this program's lines.
    let _log = common::logging::init("warn,ch01_compare=info");
    let plan = Plan {
        calls: args.calls,
        concurrency: args.concurrency,
    };
    let mut figures = Vec::new();
    for protocol in Protocol::ALL {
        tracing::info!("measuring {}", protocol.name());
        match measure(protocol, plan).await {
            Ok(run) => figures.push(run),
            Err(error) => {
                eprintln!("{}: {error:#}", protocol.name());
                return ExitCode::FAILURE;
            }
        }
    }
    print!("{}", Report { plan, figures });
    ExitCode::SUCCESS
}
