//! 「gRPC 생태계」 8장, 헬스 체크 (Chapter 8, The gRPC Ecosystem: health checking): the
//! counterpart of `grpc_health_probe`.
//!
//! ```text
//! cargo run --bin ch08-server
//! cargo run --bin ch08-health-probe -- --addr localhost:50051 --service ecommerce.ProductInfo
//! ```
//!
//! Prints `status: SERVING` and exits 0, or prints what went wrong and exits 1 (invalid
//! arguments), 2 (connection failed), 3 (Check failed) or 4 (not SERVING).

use std::process::ExitCode;

use ch08_ecosystem::probe::{Outcome, ProbeArgs, probe};
use clap::Parser;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match ProbeArgs::try_parse() {
        Ok(args) => args,
        // --help and --version are not failures; any other parse error is exit code 1.
        Err(error) if !error.use_stderr() => {
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(Outcome::InvalidArguments(String::new()).exit_code());
        }
    };
    let outcome = probe(&args).await;
    match outcome {
        Outcome::Serving => println!("{outcome}"),
        _ => eprintln!("{outcome}"),
    }
    ExitCode::from(outcome.exit_code())
}
