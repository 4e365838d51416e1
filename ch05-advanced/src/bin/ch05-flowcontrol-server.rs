//! 흐름 제어 (Flow control) · 책 밖의 내용 (beyond the book), on 「gRPC 통신 패턴」 3장의
//! 서버 스트리밍 (Chapter 3, server streaming): the server.
//!
//! ```text
//! cargo run --bin ch05-flowcontrol-server        # streams 4000 orders of 1 KiB to searchOrders
//! cargo run --bin ch05-flowcontrol-client        # reads 100, pauses 2 s, reads the rest
//! ```
//!
//! The server sends until the client's window is full, then its sends wait for the client:
//!
//! ```text
//! INFO Server started, listening on 0.0.0.0:50051
//! INFO HTTP/2 flow control: stream window 64 KiB, connection window 1.0 MiB, adaptive window (BDP probing) off; 16 orders wait in the channel to tonic
//! INFO sent 208 orders (214 KiB) before the window closed; waiting…
//! INFO resumed after 2.0 s when the client read
//! INFO sent 4000 orders (4.0 MiB); the sends waited 2.0 s for the client
//! ```
//!
//! `--stream-window` and `--connection-window` set the windows the server advertises (for
//! what clients send it); the client's own flags set the ones that hold these sends back.

use ch05_advanced::flow_control::{CHANNEL_CAPACITY, ORDERS, Producer, Windows, catalogue};
use clap::Parser;
use common::args::ServerAddr;

/// An order server whose searchOrders waits for slow readers, and says so.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ServerAddr,
    #[command(flatten)]
    windows: Windows,
    /// How many orders of about 1 KiB the store holds (all of them match the client's search).
    #[arg(long, default_value_t = ORDERS)]
    orders: usize,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    // Chapter 3's search logs every order it finds; thousands of lines would hide the sends.
    let _log = common::logging::init("info,ch03_patterns::search=warn");
    let producer = Producer::new(CHANNEL_CAPACITY);
    let store = catalogue(args.orders);
    common::server::run(&args.server, |listener, shutdown| {
        ch05_advanced::flow_control::serve(listener, store, producer, args.windows, shutdown)
    })
    .await
}
