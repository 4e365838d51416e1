//! 멀티플렉싱 (Multiplexing), 「gRPC: 고급 기능」 5장 (Chapter 5, gRPC: Beyond the Basics):
//! OrderManagement and `helloworld.Greeter` on one server.
//!
//! ```text
//! cargo run --bin ch05-multiplexing-server   # listens on 0.0.0.0:50051
//! cargo run --bin ch05-multiplexing-client   # in a second terminal
//! ```
//!
//! Each call logs which service it reached, in the book's words:
//!
//! ```text
//! Order Management Service - AddOrder RPC
//! Order Added. ID : 101
//! Greeter Service - SayHello RPC
//! ```
//!
//! Ctrl-C (or SIGTERM) stops it after the calls in flight finish.

use clap::Parser;
use common::args::ServerAddr;

/// Two services, one port.
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
    common::server::run(&args.server, ch05_advanced::multiplexing::serve).await
}
