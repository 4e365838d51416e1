//! 「gRPC: 고급 기능」 5장, 취소 처리 (Chapter 5, Cancellation): the server.
//!
//! ```text
//! cargo run --bin ch05-cancellation-server       # listens on 0.0.0.0:50051
//! cargo run --bin ch05-cancellation-client       # in a second terminal
//! ```
//!
//! It is chapter 3's order server, unchanged: its `processOrders` already stops as soon as the
//! client cancels, and logs `processOrders stopped after 3 orders: the client went away`.

use ch03_patterns::OrderStore;
use clap::Parser;
use common::args::ServerAddr;

/// The order server of the book's cancellation sample.
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
    common::server::run(&args.server, |listener, shutdown| {
        ch03_patterns::serve(listener, OrderStore::book(), shutdown)
    })
    .await
}
