//! 「gRPC: 고급 기능」 5장, 에러 처리 (Chapter 5, Error Handling): the server.
//!
//! ```text
//! cargo run --bin ch05-error-handling-server     # listens on 0.0.0.0:50051
//! cargo run --bin ch05-error-handling-client     # in a second terminal
//! ```
//!
//! Chapter 3's order service, except that `addOrder` rejects order id `-1` with
//! `INVALID_ARGUMENT` "Invalid information received" and a `google.rpc.BadRequest.FieldViolation`
//! in the status details. It logs `Order ID is invalid! -> Received Order ID -1`.

use ch05_advanced::error_handling::order_service;
use clap::Parser;
use common::args::ServerAddr;

/// The order server of the book's error-handling sample.
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
        ch03_patterns::serve(listener, order_service(), shutdown)
    })
    .await
}
