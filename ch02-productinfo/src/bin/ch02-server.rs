//! 「gRPC 시작」 2장, 구현 › gRPC 서버 구현 (Chapter 2, Getting Started: the ProductInfo server).
//!
//! Run it, then the client in a second terminal:
//!
//! ```text
//! cargo run --bin ch02-server                # listens on 0.0.0.0:50051, like the book's :50051
//! cargo run --bin ch02-client
//! ```
//!
//! Each call is logged as in the book: `Product <id> : Apple iPhone 11 - Added.`, then
//! `... - Retrieved.`. Ctrl-C (or SIGTERM) stops it gracefully: calls in flight finish first.

use clap::Parser;
use common::args::ServerAddr;

/// The ProductInfo server of the book's chapter 2.
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
    common::server::run(&args.server, ch02_productinfo::serve).await
}
