//! 「gRPC: 고급 기능」 5장, 에러 처리 (Chapter 5, Error Handling): the client.
//!
//! With `ch05-error-handling-server` (or the book's Go server) running:
//!
//! ```text
//! cargo run --bin ch05-error-handling-client
//! ```
//!
//! It adds order `-1`, which the server rejects, and prints the code and the details:
//!
//! ```text
//! Invalid Argument Error : InvalidArgument
//! Request Field Invalid: field:"ID" description:"Order ID received is not valid -1 : "
//! ```

use std::convert::Infallible;
use std::process::ExitCode;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use clap::Parser;
use common::args::ClientAddr;

/// The order client of the book's error-handling sample.
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
    // The flow prints the error it is about; the call failing is its success.
    common::client::run(&args.server, |channel| async move {
        let mut client = OrderManagementClient::new(channel);
        ch05_advanced::error_handling::book_flow(&mut client, |line| println!("{line}")).await;
        Ok::<_, Infallible>(())
    })
    .await
}
