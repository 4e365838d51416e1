//! 「gRPC 생태계」 8장, 브라우저에서 gRPC 호출하기 (Chapter 8, The gRPC Ecosystem: gRPC from a
//! web page, with gRPC-Web). Not in the book, which has no browser sample.
//!
//! Chapter 2's ProductInfo and chapter 3's OrderManagement through `tonic-web`, and a page
//! that calls them, on one port:
//!
//! ```text
//! cargo run --bin ch08-web                         # listens on 0.0.0.0:8080
//! open http://localhost:8080/                      # any browser
//! ```
//!
//! It logs `Server started, listening on 0.0.0.0:8080`. On the page, "Add product" calls
//! `addProduct` then `getProduct` and shows the product; "Search orders" calls the
//! server-streaming `searchOrders` and lists the book's matching orders as they arrive
//! (`Google` finds two). Plain gRPC clients work on the same port too:
//! `cargo run --bin ch02-client -- --addr localhost:8080`.

use std::net::SocketAddr;

use clap::Parser;
use common::args::ServerAddr;

/// ProductInfo and OrderManagement over gRPC-Web, with the page that calls them.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on, as HOST:PORT (8080, not the book's 50051: a web page's port).
    #[arg(long, default_value_t = SocketAddr::from(([0, 0, 0, 0], ch08_ecosystem::web::WEB_PORT)))]
    addr: SocketAddr,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let server = ServerAddr { addr: args.addr };
    common::server::run(&server, ch08_ecosystem::web::serve).await
}
