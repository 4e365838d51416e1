//! 「gRPC: 고급 기능」 5장, 메타데이터 (Chapter 5, Metadata): the server.
//!
//! ```text
//! cargo run --bin ch05-metadata-server           # listens on 0.0.0.0:50051
//! cargo run --bin ch05-metadata-client           # in a second terminal
//! ```
//!
//! It logs the metadata each call brings (`k1 from metadata:`, `====> Metadata 0. v1`,
//! `====> Metadata 1. v2`, …), answers `addOrder` with `location: San Jose` and `timestamp`
//! headers, and `searchOrders` with `location: MTV` and `timestamp` headers and a `timestamp`
//! trailer.

use clap::Parser;
use common::args::ServerAddr;

/// The order server of the book's metadata sample.
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
    common::server::run(&args.server, ch05_advanced::metadata::serve).await
}
