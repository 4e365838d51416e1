//! 로드밸런싱 (Load Balancing), 「gRPC: 고급 기능」 5장 (Chapter 5, gRPC: Beyond the Basics):
//! a name resolver and client-side load balancing.
//!
//! With `ch05-loadbalancing-server` running:
//!
//! ```text
//! cargo run --bin ch05-loadbalancing-client  # resolves to localhost:50051, localhost:50052
//! ```
//!
//! It resolves `example:///lb.example.grpc.io` to the backends (`--addr` repeated changes
//! them; `--target` another name shows the resolver's error), makes ten calls with
//! `pick_first` and ten with `round_robin`, and prints:
//!
//! ```text
//! ==== Calling grpc.examples.echo.Echo/UnaryEcho with pick_first ====
//! this is examples/load_balancing (from :50051)
//! … (ten times from :50051)
//! ==== Calling grpc.examples.echo.Echo/UnaryEcho with round_robin ====
//! this is examples/load_balancing (from :50051)
//! this is examples/load_balancing (from :50052)
//! … (alternating, ten in all)
//! ```
//!
//! A failed call or an unknown target prints why and exits with 1.

use std::process::ExitCode;

use ch05_advanced::loadbalancing::{BOOK_BACKENDS, Resolver, TARGET, book_flow};
use clap::Parser;

/// Calls the echo backends through a resolver and two balancing policies.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// A backend the resolver returns for `lb.example.grpc.io`, as HOST:PORT; repeat for more.
    #[arg(long = "addr", default_values = BOOK_BACKENDS)]
    backends: Vec<String>,
    /// The target to dial.
    #[arg(long, default_value = TARGET)]
    target: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("info");

    let resolver = match Resolver::new(&args.backends) {
        Ok(resolver) => resolver,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };

    match book_flow(&resolver, &args.target, |line| println!("{line}")).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
