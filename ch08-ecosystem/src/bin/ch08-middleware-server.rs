//! 「gRPC 생태계」 8장, 미들웨어 (Chapter 8, The gRPC Ecosystem: middleware).
//!
//! Chapter 2's ProductInfo behind a chain of tower layers: logging, metrics, auth, timeout,
//! recovery. Run it, then call it in a second terminal (grpcurl needs the .proto here, as this
//! server has no reflection):
//!
//! ```text
//! cargo run --bin ch08-middleware-server
//! grpcurl -plaintext -import-path proto -proto product_info.proto \
//!   -H 'authorization: Bearer some-secret-token' -d '{"name": "Apple"}' \
//!   localhost:50051 ecommerce.ProductInfo/addProduct
//! ```
//!
//! Each call logs one `[layer]` line per layer in the order they run; an empty name makes the
//! handler panic, logged as `[recovery] handler panicked: ...` and answered INTERNAL.

use ch08_ecosystem::middleware::{metrics::Metrics, serve};
use clap::Parser;
use common::args::ServerAddr;

/// ProductInfo behind logging, metrics, auth, timeout and recovery layers.
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
        serve(listener, shutdown, Metrics::default())
    })
    .await
}
