//! 「gRPC: 고급 기능」 5장, 메타데이터 (Chapter 5, Metadata): the client.
//!
//! With `ch05-metadata-server` running:
//!
//! ```text
//! cargo run --bin ch05-metadata-client
//! ```
//!
//! It sends `timestamp`, `kn`, `k1` (twice) and `k2` with its calls and prints what came back:
//!
//! ```text
//! AddOrder Response -> Order Added: 101
//! timestamp from header:
//!  0. Nov 23 21:50:01.123456789
//! location from header:
//!  0. San Jose
//! Search Result : id:"102" …
//! Search Result : id:"104" …
//! EOF
//! location from header:
//!  0. MTV
//! timestamp from trailer:
//!  0. Nov 23 21:50:01.125000000
//! Update Orders Res : Orders processed Updated Order IDs : 102, 103, 104
//! ```

use std::process::ExitCode;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use clap::Parser;
use common::args::ClientAddr;
use common::status::RpcError;

/// The order client of the book's metadata sample.
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
        ch05_advanced::metadata::book_flow(&mut client, |line| println!("{line}"))
            .await
            .map_err(|status| RpcError(&status).to_string())
    })
    .await
}
