//! 「gRPC 통신 패턴」 3장 (Chapter 3, gRPC Communication Patterns): the OrderManagement server.
//!
//! ```text
//! cargo run --bin ch03-server                # listens on 0.0.0.0:50051
//! cargo run --bin ch03-client                # in a second terminal
//! ```
//!
//! It starts with the book's orders 102 to 106 and logs each call in the book's Go server's
//! words: `Order Added. ID : 101`, `Matching Order Found : 102`, `Order ID : 102 - Updated`,
//! `Reading Proc order : 102`, `Shipping : cmb - Mountain View, CA -> 2`, …
//! Ctrl-C (or SIGTERM) stops it after the calls in flight finish.

use ch03_patterns::OrderStore;
use clap::Parser;
use common::args::ServerAddr;

/// mimalloc instead of the C library's `malloc`. Every call allocates and frees a few dozen
/// small blocks (headers, metadata, messages, tonic's codec buffers); mimalloc's per-thread
/// free lists serve them with about 15% less CPU per call than glibc's allocator on the
/// machine `bench` measured, for a few MiB more resident memory (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The OrderManagement server of the book's chapter 3.
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
        ch03_patterns::serve(listener, OrderStore::book(), shutdown)
    })
    .await
}
