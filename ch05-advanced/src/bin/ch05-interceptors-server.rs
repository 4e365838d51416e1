//! 「gRPC: 고급 기능」 5장, 인터셉터 (Chapter 5, Interceptors): the server.
//!
//! ```text
//! cargo run --bin ch05-interceptors-server       # listens on 0.0.0.0:50051
//! cargo run --bin ch05-interceptors-client       # in a second terminal
//! ```
//!
//! Chapter 3's order server with a logging layer around it. A unary call logs its method, the
//! request before the handler runs and the response after:
//!
//! ```text
//! ======= [Server Interceptor]  /ecommerce.OrderManagement/addOrder
//!  Pre Proc Message : id:"101",items:["iPhone XS","Mac Book Pro"],price:2300.0,destination:"San Jose, CA"
//!  Post Proc Message : value:"Order Added: 101"
//! ```
//!
//! A streaming call logs every message with its type and time:
//!
//! ```text
//! ====== [Server Stream Interceptor]  /ecommerce.OrderManagement/searchOrders
//! ====== [Server Stream Interceptor Wrapper] Receive a message (Type: google.protobuf.StringValue) at 2026-11-23T21:50:00Z
//! ====== [Server Stream Interceptor Wrapper] Send a message (Type: ecommerce.Order) at 2026-11-23T21:50:00Z
//! ```

use clap::Parser;
use common::args::ServerAddr;

/// The order server of the book's interceptor sample.
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
    common::server::run(&args.server, ch05_advanced::interceptors::serve).await
}
