//! 압축 (Compression), 「gRPC: 고급 기능」 5장 (Chapter 5, gRPC: Beyond the Basics): an order
//! server that takes and sends gzip.
//!
//! ```text
//! cargo run --bin ch05-compression-server    # listens on 0.0.0.0:50051
//! cargo run --bin ch05-compression-client    # in a second terminal
//! ```
//!
//! Each request is logged as it came off the wire, then as the order service sees it:
//!
//! ```text
//! /ecommerce.OrderManagement/addOrder: grpc-encoding gzip, message of 72 bytes, compressed flag 1
//! Order Added. ID : 101
//! ```
//!
//! Ctrl-C (or SIGTERM) stops it after the calls in flight finish.

use clap::Parser;
use common::args::ServerAddr;

/// The order service with gzip enabled.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ServerAddr,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    common::server::run(&args.server, ch05_advanced::compression::serve).await
}
