//! `bench`: how fast the samples are, measured as chapter 7 load-tests a service
//! (「서비스 수준 gRPC 실행」 › 부하 테스트, Load Testing).
//!
//! ```text
//! cargo run --release --bin bench              # builds the servers in release mode, prints one table
//! cargo run --release --bin bench -- --json    # the same figures as one JSON document
//! cargo run --release --bin bench -- --quick   # a tiny load: checks that everything runs, measures nothing
//! cargo run --release --bin bench -- --soak    # a million calls on one server: is its memory flat?
//! ```
//!
//! It builds `ch02-server`, `ch03-server` and `ch07-loadtest` with its own profile (so
//! `--release` measures release binaries), runs each server as its own process on a free
//! loopback port, and measures:
//!
//! * unary `getProduct` on `ch02-server` at three loads (1 connection × 1 stream, 4 × 10,
//!   16 × 10) with h2load (Debian package `nghttp2-client`, skipped when missing) and with
//!   `ch07-loadtest`: calls per second, mean and maximum latency;
//! * the server's CPU time per call, read from `/proc/<pid>/stat` before and after a run
//!   (steadier than calls per second on a machine the load generator shares), and its peak
//!   resident memory (`VmHWM`);
//! * the same loads on Tokio's multi-thread runtime (`--threads 0`), and with per-call
//!   logging off, which is what the server's defaults are chosen against;
//! * with `--go-server PATH`, the same loads on a grpc-go server doing the same work
//!   (`bench/go-reference/build.sh` builds one from Debian's grpc-go 1.33);
//! * `searchOrders` (server streaming) over a large generated order set and `processOrders`
//!   (bidirectional streaming) on `ch03-server`: messages per second and CPU per message.
//!
//! `--soak` measures something else: one `ch02-server` under a million calls, its memory
//! read after every 100,000, and a verdict ([`soak`]); it exits non-zero when the memory grew
//! or a call failed.
//!
//! Everything runs on loopback, on the same cores as the load generators: the figures are
//! for comparing builds and settings on one machine, which the table names.

mod machine;
mod report;
mod server;
mod soak;
mod streaming;
mod unary;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::report::Report;
use crate::unary::{Setup, Shape, Tool};

/// Measures the samples' servers and prints one table.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Print the figures as one JSON document instead of a table.
    #[arg(long)]
    json: bool,
    /// A tiny load, to check that the suite runs end to end (the figures mean nothing).
    #[arg(long)]
    quick: bool,
    /// Also measure this grpc-go server at the same loads with h2load
    /// (`bench/go-reference/build.sh` builds one).
    #[arg(long)]
    go_server: Option<PathBuf>,
    /// Instead of the table: a soak of one ch02-server, its memory sampled after every
    /// 100,000 calls; fails unless the memory stays flat after warm-up and every call is OK.
    #[arg(long, conflicts_with_all = ["json", "quick", "go_server"])]
    soak: bool,
    /// Calls the soak makes.
    #[arg(
        long,
        default_value_t = 1_000_000,
        requires = "soak",
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    soak_calls: u64,
}

/// How much work each measurement does.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    /// Calls per unary run.
    pub calls: u64,
    /// Orders generated for the streaming runs.
    pub orders: usize,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.soak {
        return run_soak(args.soak_calls).await;
    }
    let load = if args.quick {
        Load {
            calls: 200,
            orders: 300,
        }
    } else {
        Load {
            calls: 200_000,
            orders: 100_000,
        }
    };
    match run(load, args.go_server).await {
        Ok(report) if args.json => {
            println!("{}", report.to_json());
            ExitCode::SUCCESS
        }
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the soak, prints its table and verdict, and fails when the verdict does.
async fn run_soak(calls: u64) -> ExitCode {
    let soaked = async {
        let binaries = server::Binaries::build(None)?;
        soak::run(&binaries, machine::describe(), calls).await
    };
    match soaked.await {
        Ok(report) => {
            print!("{report}");
            if report.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(load: Load, go_server: Option<PathBuf>) -> anyhow::Result<Report> {
    let binaries = server::Binaries::build(go_server)?;
    let machine = machine::describe();
    let tools: Vec<Tool> = if machine.h2load.is_some() {
        vec![Tool::H2load, Tool::Ch07Loadtest]
    } else {
        eprintln!(
            "bench: h2load not found (apt-get install nghttp2-client); using ch07-loadtest only"
        );
        vec![Tool::Ch07Loadtest]
    };
    let reference_tool = tools[0];

    let mut unary = Vec::new();
    for shape in Shape::ALL {
        for &tool in &tools {
            eprintln!("bench: getProduct {shape} with {tool}");
            unary.push(unary::measure(&binaries, shape, tool, Setup::AsShipped, load).await?);
        }
    }
    for shape in Shape::ALL {
        eprintln!("bench: getProduct {shape} on the multi-thread runtime");
        unary.push(
            unary::measure(&binaries, shape, reference_tool, Setup::MultiThread, load).await?,
        );
    }
    eprintln!(
        "bench: getProduct {} without per-call logging",
        Shape::MIDDLE
    );
    unary.push(
        unary::measure(
            &binaries,
            Shape::MIDDLE,
            reference_tool,
            Setup::LoggingOff,
            load,
        )
        .await?,
    );

    if binaries.go_server().is_some() {
        for shape in Shape::ALL {
            eprintln!("bench: getProduct {shape} on the grpc-go server");
            unary
                .push(unary::measure(&binaries, shape, reference_tool, Setup::GrpcGo, load).await?);
        }
    }

    eprintln!("bench: ch03-server streaming over {} orders", load.orders);
    let streaming = streaming::measure(&binaries, load.orders).await?;
    Ok(Report {
        machine,
        unary,
        streaming,
    })
}
