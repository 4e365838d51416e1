//! 「gRPC: 고급 기능」 5장, 데드라인 (Chapter 5, Deadlines): the server.
//!
//! ```text
//! cargo run --bin ch05-deadlines-server          # addOrder takes 5 s
//! cargo run --bin ch05-deadlines-client          # gives it 2 s: DEADLINE_EXCEEDED
//! ```
//!
//! The server logs `Sleeping for : 5 s`, and, when the client's deadline passes and tonic drops
//! the call, `RPC has reached deadline exceeded state : order 101 was not added`.
//!
//! Deadline propagation, with two servers: a slow one on 50052, and one on 50051 that forwards
//! each `addOrder` to it with the time its own caller has left:
//!
//! ```text
//! cargo run --bin ch05-deadlines-server -- --addr 127.0.0.1:50052
//! cargo run --bin ch05-deadlines-server -- --forward-to localhost:50052
//! cargo run --bin ch05-deadlines-client
//! ```
//!
//! The front server logs `Forwarding order 101 with 1998 ms left`; the slow one gives up at the
//! same moment as the client.

use std::time::Duration;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch05_advanced::deadlines::{SlowOrders, WORK_TIME};
use clap::Parser;
use common::args::{ClientAddr, ServerAddr};

/// The order server of the book's deadline sample.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ServerAddr,
    /// Instead of working, forward `addOrder` to the order server at HOST:PORT, passing on the
    /// caller's deadline.
    #[arg(long, value_name = "HOST:PORT")]
    forward_to: Option<String>,
    /// How long `addOrder` works, in seconds.
    #[arg(long, default_value_t = WORK_TIME.as_secs())]
    work_seconds: u64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let orders = match args.forward_to {
        Some(addr) => {
            let upstream = ClientAddr { addr }.channel()?;
            SlowOrders::forwarding_to(OrderManagementClient::new(upstream))
        }
        None => SlowOrders::working_for(Duration::from_secs(args.work_seconds)),
    };
    common::server::run(&args.server, |listener, shutdown| {
        ch03_patterns::serve(listener, orders.service(), shutdown)
    })
    .await
}
