//! 「gRPC: 고급 기능」 5장, 인터셉터 (Chapter 5, Interceptors): the client.
//!
//! With `ch05-interceptors-server` running:
//!
//! ```text
//! cargo run --bin ch05-interceptors-client
//! ```
//!
//! It adds order 101 and searches for "Google" through a channel with the logging layer around
//! it. The results go to stdout:
//!
//! ```text
//! AddOrder Response -> Order Added: 101
//! Search Result : id:"102" …
//! Search Result : id:"104" …
//! EOF
//! ```
//!
//! and the client interceptor's lines to the log (stderr):
//!
//! ```text
//! Method : /ecommerce.OrderManagement/addOrder
//! value:"Order Added: 101"
//! ======= [Client Interceptor]  /ecommerce.OrderManagement/searchOrders
//! ====== [Client Stream Interceptor] Send a message (Type: google.protobuf.StringValue) at …
//! ====== [Client Stream Interceptor] Receive a message (Type: ecommerce.Order) at …
//! ```

use std::process::ExitCode;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch05_advanced::interceptors::MessageLog;
use clap::Parser;
use common::args::ClientAddr;
use common::status::RpcError;

/// The order client of the book's interceptor sample.
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
        let mut client = OrderManagementClient::new(MessageLog::client(channel));
        ch05_advanced::interceptors::book_flow(&mut client, |line| println!("{line}"))
            .await
            .map_err(|status| RpcError(&status).to_string())
    })
    .await
}
