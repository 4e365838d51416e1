//! `ch07-loadtest`: a load test of ProductInfo, the book's `ghz` (section "부하 테스트",
//! Load Testing).
//!
//! Terminal 1: `cargo run --release --bin ch02-server`
//! Terminal 2: `cargo run --release --bin ch07-loadtest -- --method getProduct -n 100000 -c 50 --connections 4`
//!
//! It draws a progress bar while it runs, then prints ghz's summary: count, total time,
//! slowest, fastest, average, requests per second, a latency histogram, the latency
//! distribution (p10 to p99) and the count of each status code. `--json` prints the same
//! report as one line of JSON instead.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use ch07_ops::loadtest::{self, Method, Plan, Progress, Stop, plan::parse_duration};
use clap::Parser;
use common::args::ClientAddr;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Debug, Parser)]
#[command(about = "Load-tests ProductInfo, like ghz")]
struct Args {
    #[command(flatten)]
    target: ClientAddr,
    /// The method to call.
    #[arg(long, value_enum, default_value = "getProduct")]
    method: Method,
    /// Total number of calls (ghz's -n). Ignored when --duration is given.
    #[arg(short = 'n', long, default_value_t = 200)]
    total: u64,
    /// Run for this long instead of a number of calls: 500ms, 10s, 2m (ghz's -z).
    #[arg(short = 'z', long, value_parser = parse_duration)]
    duration: Option<Duration>,
    /// Calls in flight at once (ghz's -c).
    #[arg(short = 'c', long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..))]
    concurrency: u64,
    /// HTTP/2 connections the calls share.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    connections: u64,
    /// At most this many calls per second (ghz's --rps).
    #[arg(short = 'r', long, value_parser = clap::value_parser!(u32).range(1..))]
    rate: Option<u32>,
    /// getProduct of this product, already stored, instead of adding the book's first.
    #[arg(long, conflicts_with = "method")]
    product_id: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

// One thread, as h2load uses: on a small machine the server under test gets the other cores.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let plan = Plan {
        method: args.method,
        stop: args
            .duration
            .map_or(Stop::Total(args.total), Stop::Duration),
        concurrency: usize::try_from(args.concurrency).unwrap_or(usize::MAX),
        connections: usize::try_from(args.connections).unwrap_or(usize::MAX),
        rate: args.rate,
        product_id: args.product_id,
    };
    let progress = Arc::new(Progress::default());
    let bar = progress_bar(&plan, args.json);
    let ticker = tokio::spawn(tick(bar.clone(), progress.clone(), plan.stop));
    let result = loadtest::run(&args.target.addr, &plan, progress).await;
    ticker.abort();
    bar.finish_and_clear();
    match result {
        Ok(report) if args.json => println!("{}", report.to_json()),
        Ok(report) => print!("{report}"),
        Err(error) => {
            eprintln!("ch07-loadtest: {error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// A bar of calls (or of seconds, for a timed run) on stderr; hidden with `--json` and
/// when stderr is not a terminal.
fn progress_bar(plan: &Plan, json: bool) -> ProgressBar {
    let (length, template) = match plan.stop {
        Stop::Total(total) => (total, "{bar:40} {pos}/{len} calls {elapsed}"),
        Stop::Duration(duration) => (duration.as_secs(), "{bar:40} {pos}/{len} s {msg} calls"),
    };
    let bar = ProgressBar::new(length)
        .with_style(ProgressStyle::with_template(template).expect("the template is valid"));
    if json {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}

/// Redraws the bar ten times a second, reading the workers' counter: the workers never
/// touch the bar themselves.
async fn tick(bar: ProgressBar, progress: Arc<Progress>, stop: Stop) {
    let mut interval = tokio::time::interval(Duration::from_millis(100));
    loop {
        interval.tick().await;
        match stop {
            Stop::Total(_) => bar.set_position(progress.done()),
            Stop::Duration(_) => {
                bar.set_position(bar.elapsed().as_secs());
                bar.set_message(progress.done().to_string());
            }
        }
    }
}
