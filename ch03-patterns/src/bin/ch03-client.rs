//! 「gRPC 통신 패턴」 3장 (Chapter 3, gRPC Communication Patterns): the OrderManagement client.
//!
//! With `ch03-server` (or the book's Go or Java server) running:
//!
//! ```text
//! cargo run --bin ch03-client                # calls localhost:50051
//! ```
//!
//! It makes every call of the book's client, one pattern after another, and prints:
//!
//! ```text
//! AddOrder Response -> Order Added: 101
//! GetOrder Response -> : id:"106" items:"Amazon Echo" items:"Apple iPhone XS" price:300 destination:"Mountain View, CA"
//! Search Result : id:"102" items:"Google Pixel 3A" items:"Mac Book Pro" price:1800 destination:"Mountain View, CA"
//! Search Result : id:"104" items:"Google Home Mini" items:"Google Nest Hub" price:400 destination:"Mountain View, CA"
//! EOF
//! Update Orders Res : Orders processed Updated Order IDs : 102, 103, 104
//! Combined shipment : cmb - Mountain View, CA -> [102, 104]
//! Combined shipment : cmb - San Jose, CA -> [103]
//! Combined shipment : cmb - San Jose, CA -> [101]
//! ```
//!
//! The first two shipments arrive while the client still holds order 101: the two streams of
//! a bidirectional call are independent. A failed call prints its status and exits with 1.

use std::process::ExitCode;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::client::book_flow;
use clap::Parser;
use common::args::ClientAddr;

/// The OrderManagement client of the book's chapter 3.
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
        let mut client = OrderManagementClient::new(channel);
        book_flow(&mut client, |line| println!("{line}")).await
    })
    .await
}
