//! 「gRPC: 고급 기능」 5장, 취소 처리 (Chapter 5, Cancellation): the client.
//!
//! With `ch05-cancellation-server` running:
//!
//! ```text
//! cargo run --bin ch05-cancellation-client
//! ```
//!
//! It sends orders 102, 103 and 104 to `processOrders`, receives the first shipments, cancels
//! the call, and then fails to send 101:
//!
//! ```text
//! Combined shipment : cmb - Mountain View, CA -> [102, 104]
//! Combined shipment : cmb - San Jose, CA -> [103]
//! RPC Status : rpc error: code = Cancelled desc = context canceled
//! Order 101 could not be sent: the call was cancelled
//! ```

use std::process::ExitCode;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch05_advanced::cancellation::Cancellable;
use clap::Parser;
use common::args::ClientAddr;
use common::status::RpcError;

/// The order client of the book's cancellation sample.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ClientAddr,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("info");
    common::client::run(&args.server, |channel| async move {
        let mut client = OrderManagementClient::new(Cancellable::new(channel));
        ch05_advanced::cancellation::book_flow(&mut client, |line| println!("{line}"))
            .await
            .map_err(|status| format!("Could not process orders: {}", RpcError(&status)))
    })
    .await
}
