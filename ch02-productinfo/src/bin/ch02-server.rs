//! 「gRPC 시작」 2장, 구현 › 서비스 개발 › 서버 생성 (Chapter 2, Getting Started: the
//! ProductInfo server).
//!
//! Run it, then the client in a second terminal:
//!
//! ```text
//! cargo run --bin ch02-server                # listens on 0.0.0.0:50051, like the book's :50051
//! cargo run --bin ch02-client
//! ```
//!
//! Each call is logged as in the book: `Product <id> : Apple iPhone 11 - Added.`, then
//! `... - Retrieved.`. Ctrl-C (or SIGTERM) stops it gracefully: calls in flight finish first.
//!
//! It serves every call on one thread unless `--threads N` says otherwise: on the two-core
//! machines this was measured on, that did more calls per second with less CPU than Tokio's
//! multi-thread runtime (see the README's "Speed" section for the figures and the trade-off).

use clap::Parser;
use common::args::ServerAddr;
use common::runtime::RuntimeArgs;

/// mimalloc instead of the C library's `malloc`. Every call allocates and frees a few dozen
/// small blocks (headers, metadata, messages, tonic's codec buffers); mimalloc's per-thread
/// free lists serve them with about 15% less CPU per call than glibc's allocator on the
/// machine `bench` measured, for a few MiB more resident memory (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The ProductInfo server of the book's chapter 2.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ServerAddr,
    #[command(flatten)]
    runtime: RuntimeArgs,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    args.runtime
        .build()?
        .block_on(common::server::run(&args.server, ch02_productinfo::serve))
}
