//! 「gRPC 시작」 2장, 구현 › gRPC 클라이언트 개발 (Chapter 2, Getting Started: the client).
//!
//! With `ch02-server` (or the book's Go or Java server) running:
//!
//! ```text
//! cargo run --bin ch02-client                # calls localhost:50051
//! ```
//!
//! It adds "Apple iPhone 11" and reads it back, both calls under one 1-second deadline, and
//! prints what the book's Go client logs:
//!
//! ```text
//! Product ID: 5c3b4a1e-… added successfully
//! Product: id:"5c3b4a1e-…" name:"Apple iPhone 11" description:"Meet Apple iPhone 11. …" price:699
//! ```
//!
//! A failed call prints its status (`Could not add product: rpc error: code = Unavailable …`)
//! and the client exits with status 1.

use std::process::ExitCode;

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch02_productinfo::client::{FLOW_TIMEOUT, FlowError, add_then_get, book_product};
use clap::Parser;
use common::args::ClientAddr;
use common::deadline::Deadline;

/// The ProductInfo client of the book's chapter 2.
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
    // Like grpc-go's Dial, `run` starts connecting at once (a server that does not answer is
    // left to the first call), so each call's `grpc-timeout` is the time left once connected.
    common::client::run(&args.server, |channel| async move {
        let mut client = ProductInfoClient::new(channel);
        let deadline = Deadline::after(FLOW_TIMEOUT);
        let flow = add_then_get(&mut client, book_product(), deadline).await?;
        println!("{flow}");
        Ok::<_, FlowError>(())
    })
    .await
}
