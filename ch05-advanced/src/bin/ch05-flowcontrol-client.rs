//! 흐름 제어 (Flow control) · 책 밖의 내용 (beyond the book), on 「gRPC 통신 패턴」 3장의
//! 서버 스트리밍 (Chapter 3, server streaming): the slow reader.
//!
//! With `ch05-flowcontrol-server` running:
//!
//! ```text
//! cargo run --bin ch05-flowcontrol-client
//! ```
//!
//! It searches for every order, reads 100, pauses for 2 seconds, then reads the rest:
//!
//! ```text
//! HTTP/2 flow control: stream window 64 KiB, connection window 1.0 MiB, adaptive window (BDP probing) off
//! read 100 orders (103 KiB); pausing (a slow reader)…
//! reading on after 2.0 s
//! read 1000 orders (1.0 MiB)
//! read 2000 orders (2.0 MiB)
//! read 3000 orders (3.0 MiB)
//! read 4000 orders (4.0 MiB)
//! read 4000 orders (4.0 MiB), all in order
//! ```
//!
//! A larger `--stream-window` (say 1048576) lets the server get further before it waits.

use std::process::ExitCode;
use std::time::Duration;

use ch03_patterns::client::Client;
use ch05_advanced::flow_control::{PAUSE, QUERY, READ_FIRST, Windows, endpoint, slow_reader};
use clap::Parser;
use common::args::ClientAddr;
use common::status::RpcError;

/// Reads a long searchOrders stream slowly.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ClientAddr,
    #[command(flatten)]
    windows: Windows,
    /// How many orders to read before pausing.
    #[arg(long, default_value_t = READ_FIRST)]
    read_first: usize,
    /// How long to pause, in milliseconds.
    #[arg(long, default_value_t = PAUSE.as_millis() as u64)]
    pause_ms: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let channel = match endpoint(&args.server.addr, args.windows) {
        Ok(endpoint) => common::channel::guard(endpoint.connect_lazy()),
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    println!("HTTP/2 flow control: {}", args.windows);
    // The simulated slowness; its timer starts when the reader pauses.
    let pause = async { tokio::time::sleep(Duration::from_millis(args.pause_ms)).await };
    let read = slow_reader(
        &mut Client::new(channel),
        QUERY,
        args.read_first,
        pause,
        |line| println!("{line}"),
    )
    .await;
    match read {
        Ok(_) => ExitCode::SUCCESS,
        Err(status) => {
            eprintln!("searchOrders failed: {}", RpcError(&status));
            ExitCode::FAILURE
        }
    }
}
