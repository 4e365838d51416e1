//! 드레인 (Draining a server) · 책 밖의 내용 (beyond the book; grpc-go's `gracefulstop` and
//! `MaxConnectionAge`): calls that keep going while a backend drains.
//!
//! With `ch05-drain-server` running:
//!
//! ```text
//! cargo run --bin ch05-drain-client
//! ```
//!
//! It makes 20 calls (`--calls`), two at a time (`--in-flight`), through chapter 5's balancer
//! with pick-first over A (`localhost:50051`) and B (`localhost:50052`; `--addr` repeated
//! names others), and prints who answered each. The calls go to A until A drains; the two A
//! was working on finish there, and the next ones, refused because A is gone (they never
//! started there), are made again on B:
//!
//! ```text
//! call  1 -> A
//! …
//! call  8 -> A
//! call  9 -> B (refused first, never started: tcp connect error: Connection refused (os error 111))
//! call 10 -> B (refused first, never started: the connection closed before the call was sent)
//! call 11 -> B
//! …
//! answered: 8 by A, 12 by B; failed: 0; refused before they started and made again: 2
//! ```
//!
//! It exits with 0 when no call failed, 1 when one did, and 2 when an `--addr` is not
//! `HOST:PORT`.

use std::process::ExitCode;

use ch05_advanced::drain;
use clap::Parser;

/// Calls two backends through a pick-first balancer while one of them drains.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// A backend, as HOST:PORT: the first is A, the second B; repeat for more.
    #[arg(long = "addr", default_values = ["localhost:50051", "localhost:50052"])]
    addrs: Vec<String>,
    /// How many calls to make.
    #[arg(long, default_value_t = 20)]
    calls: usize,
    /// How many calls to keep open at a time.
    #[arg(long, default_value_t = 2)]
    in_flight: usize,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let balancer = match drain::balancer(&args.addrs) {
        Ok(balancer) => balancer,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let names = drain::backend_names(&args.addrs);
    let summary = drain::run_calls(&balancer, &names, args.calls, args.in_flight, |outcome| {
        println!("{outcome}");
    })
    .await;
    println!("{summary}");
    if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
