//! `bench`: how fast the samples are, measured as chapter 7 load-tests a service
//! (「서비스 수준 gRPC 실행」 › 부하 테스트, Load Testing), next to the best peers.
//!
//! ```text
//! cargo run --release --bin bench                  # ours and the raw HTTP/2 limit: the tables
//! cargo run --release --bin bench -- --all-peers   # and grpc C++ and grpc-go, built by their scripts
//! cargo run --release --bin bench -- --json        # the same figures as one JSON document
//! cargo run --release --bin bench -- --quick       # a tiny load: checks that everything runs
//! cargo run --release --bin bench -- --soak        # a million calls on one server: does its memory stay level?
//! cargo run --release --bin bench -- --flamegraph bench/flamegraph-1mib.svg
//! ```
//!
//! It builds `ch02-server`, `ch03-server`, `ch07-loadtest` and `bench-h2-limit` with its own
//! profile (so `--release` measures release binaries), runs each server as its own process on
//! a free loopback port, and measures ([`setup`] says who is compared and how):
//!
//! * unary `getProduct` at three loads (1 connection × 1 stream, 4 × 10, 16 × 10) with
//!   `ch07-loadtest`: calls per second, p50 / p99 / p99.9 latency, the server's CPU time per
//!   call (from `/proc/<pid>/stat`, steadier than calls per second on a machine the load
//!   generator shares) and its peak resident memory; on ours, on the raw HTTP/2 limit
//!   (`bench-h2-limit`), on grpc C++ and on grpc-go, without per-call logs, then with them;
//! * h2load (Debian package `nghttp2-client`, skipped when missing) on ours, to show that
//!   `ch07-loadtest` measures the server and not itself;
//! * [`scaling`]: `--threads 1` to every core, pinned with `taskset`;
//! * [`payload`]: products of 100 B, 10 KiB and 1 MiB;
//! * [`streaming`]: `searchOrders` and `processOrders` over 100,000 generated orders on
//!   `ch03-server` and on the peers: messages per second and CPU per message.
//!
//! `--soak` measures something else: one `ch02-server` under a million calls, its memory
//! read after every 100,000, and a verdict ([`soak`]); it exits non-zero when the memory grew
//! or a call failed. `--flamegraph` profiles the 1 MiB `getProduct` with `perf` ([`flame`]).
//!
//! Everything runs on loopback, on the same cores as the load generators: the figures are
//! for comparing servers and settings on one machine, which the table names.

mod flame;
mod machine;
mod payload;
mod report;
mod scaling;
mod server;
mod setup;
mod soak;
mod streaming;
mod unary;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::report::Report;
use crate::server::{Binaries, Peers};
use crate::setup::{Peer, Setup};
use crate::unary::{Run, Shape, Tool};

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
    /// Also measure this grpc-go server (`bench/go-reference/build.sh` builds one).
    #[arg(long)]
    go_server: Option<PathBuf>,
    /// Also measure this grpc C++ server (`bench/cpp-reference/build.sh` builds one).
    #[arg(long)]
    cpp_server: Option<PathBuf>,
    /// Build grpc-go and grpc C++ with their scripts and measure them too.
    #[arg(long, conflicts_with_all = ["go_server", "cpp_server"])]
    all_peers: bool,
    /// Instead of the table: a soak of one ch02-server, its memory sampled after every
    /// 100,000 calls; fails unless the memory stays level after warm-up and every call is OK.
    #[arg(long, conflicts_with_all = ["json", "quick", "go_server", "cpp_server", "all_peers"])]
    soak: bool,
    /// Instead of the table: profile ch02-server's getProduct of a 1 MiB product with perf
    /// and write the flame graph to this SVG file.
    #[arg(long, conflicts_with_all = ["json", "quick", "go_server", "cpp_server", "all_peers", "soak"])]
    flamegraph: Option<PathBuf>,
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
    match bench(Args::parse()).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs what `args` ask for and prints it; the exit code is a failed soak's.
async fn bench(args: Args) -> anyhow::Result<ExitCode> {
    if args.soak {
        let binaries = Binaries::build(Peers::default())?;
        let report = soak::run(&binaries, machine::describe(), args.soak_calls).await?;
        print!("{report}");
        return Ok(if report.passed() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    if let Some(out) = args.flamegraph {
        flame::profile(&Binaries::build(Peers::default())?, &out).await?;
        println!("{}", out.display());
        return Ok(ExitCode::SUCCESS);
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
    let peers = if args.all_peers {
        Peers::build_all()?
    } else {
        Peers {
            go: args.go_server,
            cpp: args.cpp_server,
        }
    };
    let report = run(load, peers).await?;
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Every measurement, in the order the report prints them.
async fn run(load: Load, peers: Peers) -> anyhow::Result<Report> {
    let binaries = Binaries::build(peers)?;
    let machine = machine::describe();
    let mut compared = vec![Peer::Ours, Peer::H2Limit];
    let mut streamed = vec![Peer::Ours];
    if binaries.peers().cpp.is_some() {
        compared.push(Peer::GrpcCpp);
        streamed.push(Peer::GrpcCpp);
    }
    if binaries.peers().go.is_some() {
        compared.push(Peer::GrpcGo);
        streamed.push(Peer::GrpcGo);
    }
    // The headline rows without call logs, then the same servers logging as the book's do
    // (the raw h2 server logs nothing either way).
    let quiet: Vec<Setup> = compared.iter().copied().map(Setup::quiet).collect();
    let logging: Vec<Setup> = compared
        .iter()
        .copied()
        .filter(|&peer| peer != Peer::H2Limit)
        .map(Setup::logging)
        .collect();

    let mut unary = Vec::new();
    for shape in Shape::ALL {
        for &setup in quiet.iter().chain(&logging) {
            eprintln!("bench: getProduct {shape} on {setup}");
            let run = Run::new(setup, shape, Tool::Ch07Loadtest, load.calls);
            unary.push(unary::measure(&binaries, run).await?);
        }
    }

    let mut tools = Vec::new();
    if machine.h2load.is_some() {
        for shape in Shape::ALL {
            eprintln!("bench: getProduct {shape} on ours, with h2load");
            let run = Run::new(Setup::quiet(Peer::Ours), shape, Tool::H2load, load.calls);
            tools.push(unary::measure(&binaries, run).await?);
        }
    } else {
        eprintln!("bench: h2load not found (apt-get install nghttp2-client); no cross-check");
    }

    let scaling = scaling::measure(&binaries, machine.cores, load.calls).await?;
    let payload = payload::measure(&binaries, &quiet, load.calls).await?;

    let mut streaming = Vec::new();
    for setup in streamed
        .iter()
        .map(|&peer| Setup::quiet(peer))
        .chain(streamed.iter().map(|&peer| Setup::logging(peer)))
    {
        eprintln!("bench: {setup} streaming over {} orders", load.orders);
        streaming.extend(streaming::measure(&binaries, setup, load.orders).await?);
    }
    Ok(Report {
        machine,
        unary,
        tools,
        scaling,
        payload,
        streaming,
    })
}
