//! Unary `getProduct` on `ch02-server`: one stored product, fetched over and over.

use std::fmt;
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use book_proto::ecommerce::ProductId;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch02_productinfo::client::{add_then_get, book_product};
use common::deadline::Deadline;
use prost::Message;
use tokio::process::Command;

use crate::Load;
use crate::server::{Binaries, ServerUnderTest};

/// How long storing the product before a run may take.
const SEED_TIMEOUT: Duration = Duration::from_secs(10);

/// A load: connections, and calls in flight on each (h2load's `-c` and `-m`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Shape {
    /// HTTP/2 connections.
    pub connections: u32,
    /// Calls in flight on each connection.
    pub streams: u32,
}

impl Shape {
    /// One call at a time: latency more than throughput.
    pub const SERIAL: Self = Self {
        connections: 1,
        streams: 1,
    };
    /// 40 calls in flight on 4 connections: the load the targets are stated at.
    pub const MIDDLE: Self = Self {
        connections: 4,
        streams: 10,
    };
    /// 160 calls in flight on 16 connections.
    pub const WIDE: Self = Self {
        connections: 16,
        streams: 10,
    };
    /// The three loads every configuration is measured at.
    pub const ALL: [Self; 3] = [Self::SERIAL, Self::MIDDLE, Self::WIDE];
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "-c {} -m {}", self.connections, self.streams)
    }
}

/// The load generator.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub enum Tool {
    /// nghttp2's HTTP/2 benchmark, sending a prepared gRPC request body.
    #[serde(rename = "h2load")]
    H2load,
    /// Chapter 7's load tester.
    #[serde(rename = "ch07-loadtest")]
    Ch07Loadtest,
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::H2load => "h2load",
            Self::Ch07Loadtest => "ch07-loadtest",
        })
    }
}

/// How the server is started.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub enum Setup {
    /// The binary's defaults: one thread, per-call logging at INFO.
    #[serde(rename = "as shipped")]
    AsShipped,
    /// `--threads 0`: Tokio's multi-thread runtime, a worker per core.
    #[serde(rename = "--threads 0")]
    MultiThread,
    /// `RUST_LOG=warn,common=info`: no per-call log lines.
    #[serde(rename = "no call logs")]
    LoggingOff,
    /// Not ch02-server: the grpc-go reference server of `bench/go-reference`, which logs each
    /// call as the book's Go server does.
    #[serde(rename = "grpc-go")]
    GrpcGo,
}

impl Setup {
    fn args(self) -> &'static [&'static str] {
        match self {
            Self::MultiThread => &["--threads", "0"],
            Self::AsShipped | Self::LoggingOff | Self::GrpcGo => &[],
        }
    }

    fn rust_log(self) -> &'static str {
        match self {
            Self::LoggingOff => "warn,common=info",
            Self::AsShipped | Self::MultiThread | Self::GrpcGo => "info",
        }
    }
}

impl fmt::Display for Setup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AsShipped => "as shipped",
            Self::MultiThread => "--threads 0",
            Self::LoggingOff => "no call logs",
            Self::GrpcGo => "grpc-go",
        })
    }
}

/// One run's figures.
#[derive(Debug, serde::Serialize)]
pub struct UnaryResult {
    /// The load.
    pub shape: Shape,
    /// What generated it.
    pub tool: Tool,
    /// How the server ran.
    pub setup: Setup,
    /// Calls answered.
    pub calls: u64,
    /// Calls per second.
    pub calls_per_second: f64,
    /// Mean latency, in microseconds.
    pub mean_latency_us: f64,
    /// Maximum latency, in microseconds.
    pub max_latency_us: f64,
    /// The server's CPU time (user + system) per call, in microseconds.
    pub server_cpu_us_per_call: f64,
    /// The server's peak resident memory, in KiB.
    pub server_peak_rss_kib: u64,
}

/// What a load generator reports.
pub struct Measured {
    /// Calls made.
    pub calls: u64,
    /// Calls per second.
    pub calls_per_second: f64,
    /// Mean latency, in microseconds.
    pub mean_latency_us: f64,
    /// Maximum latency, in microseconds.
    pub max_latency_us: f64,
}

/// Starts a fresh `ch02-server` (or the grpc-go server, for [`Setup::GrpcGo`]), stores the
/// book's product, and runs `load.calls` `getProduct` calls of it at `shape` with `tool`.
pub async fn measure(
    binaries: &Binaries,
    shape: Shape,
    tool: Tool,
    setup: Setup,
    load: Load,
) -> anyhow::Result<UnaryResult> {
    let binary = match setup {
        Setup::GrpcGo => binaries
            .go_server()
            .context("no grpc-go server was given (--go-server)")?
            .to_owned(),
        _ => binaries.path("ch02-server"),
    };
    let server =
        ServerUnderTest::start(&binary, setup.args(), &[("RUST_LOG", setup.rust_log())]).await?;
    let id = store_the_books_product(server.addr()).await?;

    let cpu_before = server.cpu_time()?;
    let measured = match tool {
        Tool::H2load => h2load(server.addr(), &id, shape, load.calls).await?,
        Tool::Ch07Loadtest => ch07_loadtest(binaries, server.addr(), shape, load.calls).await?,
    };
    let cpu = server.cpu_time()? - cpu_before;
    let server_peak_rss_kib = server.peak_rss_kib()?;
    server.stop().await?;

    Ok(UnaryResult {
        shape,
        tool,
        setup,
        calls: measured.calls,
        calls_per_second: measured.calls_per_second,
        mean_latency_us: measured.mean_latency_us,
        max_latency_us: measured.max_latency_us,
        server_cpu_us_per_call: cpu.as_secs_f64() * 1e6 / measured.calls.max(1) as f64,
        server_peak_rss_kib,
    })
}

/// Adds the book's product with chapter 2's client flow, which also reads it back: every
/// measured call must find it, because h2load sees only HTTP statuses and would count a gRPC
/// error as a success.
async fn store_the_books_product(addr: &str) -> anyhow::Result<String> {
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))?
        .connect()
        .await?;
    let mut client = ProductInfoClient::new(common::channel::guard(channel));
    let flow = add_then_get(&mut client, book_product(), Deadline::after(SEED_TIMEOUT)).await?;
    Ok(flow.id.value)
}

/// h2load with the gRPC request written out by `wire::frame`: a 5-byte prefix (not
/// compressed, then the message length) and the encoded `ProductID`.
///
/// The load generators run as child processes awaited on the runtime, never blocking it:
/// the task that reads the server's log must keep reading, or the server would block on a
/// full pipe (or, with ch02-server's logger, drop lines instead of writing them).
async fn h2load(addr: &str, id: &str, shape: Shape, calls: u64) -> anyhow::Result<Measured> {
    let body = wire::frame(&ProductId { value: id.into() }.encode_to_vec());
    let body_file = tempfile::NamedTempFile::new()?;
    std::fs::write(body_file.path(), body)?;

    let output = Command::new("h2load")
        .args(["-n", &calls.to_string()])
        .args(["-c", &shape.connections.to_string()])
        .args(["-m", &shape.streams.to_string()])
        .arg("-d")
        .arg(body_file.path())
        .args(["-H", "content-type: application/grpc", "-H", "te: trailers"])
        .arg(format!("http://{addr}/ecommerce.ProductInfo/getProduct"))
        .output()
        .await
        .context("run h2load")?;
    let text = String::from_utf8_lossy(&output.stdout);
    ensure!(output.status.success(), "h2load failed: {text}");
    parse_h2load(&text, calls)
}

/// Reads h2load's summary: `finished in 4.52s, 44247.79 req/s, ...`, the `requests:` line
/// and `time for request:  min  max  mean  sd  +/- sd`.
fn parse_h2load(text: &str, calls: u64) -> anyhow::Result<Measured> {
    let line = |prefix: &str| {
        text.lines()
            .find_map(|line| line.trim().strip_prefix(prefix))
            .with_context(|| format!("h2load printed no {prefix:?} line: {text}"))
    };
    let rate = line("finished in")?
        .split(", ")
        .find_map(|part| part.strip_suffix(" req/s"))
        .context("requests per second")?
        .parse()?;
    let succeeded: u64 = line("requests:")?
        .split(", ")
        .find_map(|part| part.strip_suffix(" succeeded"))
        .context("succeeded requests")?
        .trim()
        .parse()?;
    if succeeded != calls {
        bail!("h2load: {succeeded} of {calls} calls succeeded: {text}");
    }
    let times: Vec<&str> = line("time for request:")?.split_whitespace().collect();
    let (Some(max), Some(mean)) = (times.get(1), times.get(2)) else {
        bail!("h2load's request times: {times:?}");
    };
    Ok(Measured {
        calls,
        calls_per_second: rate,
        mean_latency_us: micros(mean)?,
        max_latency_us: micros(max)?,
    })
}

/// `898us`, `12.34ms` or `1.5s` in microseconds.
fn micros(text: &str) -> anyhow::Result<f64> {
    let (number, scale) = if let Some(number) = text.strip_suffix("us") {
        (number, 1.0)
    } else if let Some(number) = text.strip_suffix("ms") {
        (number, 1e3)
    } else if let Some(number) = text.strip_suffix('s') {
        (number, 1e6)
    } else {
        bail!("not a duration: {text}");
    };
    Ok(number.parse::<f64>()? * scale)
}

/// `ch07-loadtest --json` with the same calls in flight on the same number of connections;
/// every call must be OK.
async fn ch07_loadtest(
    binaries: &Binaries,
    addr: &str,
    shape: Shape,
    calls: u64,
) -> anyhow::Result<Measured> {
    let run = run_ch07_loadtest(binaries, addr, shape, calls).await?;
    ensure!(
        run.failed == 0,
        "ch07-loadtest: {} of {calls} calls were not OK",
        run.failed
    );
    Ok(run.measured)
}

/// What one `ch07-loadtest` run measured, failed calls included.
pub struct LoadtestRun {
    /// Throughput and latency.
    pub measured: Measured,
    /// Calls that ended with any status but OK.
    pub failed: u64,
}

/// Runs `ch07-loadtest --json` and reads its report. Calls that failed are counted, not an
/// error: a soak reports them. An error is a load test that could not run at all.
pub async fn run_ch07_loadtest(
    binaries: &Binaries,
    addr: &str,
    shape: Shape,
    calls: u64,
) -> anyhow::Result<LoadtestRun> {
    let output = Command::new(binaries.path("ch07-loadtest"))
        .args(["--addr", addr, "--method", "getProduct", "--json"])
        .args(["-n", &calls.to_string()])
        .args(["-c", &(shape.connections * shape.streams).to_string()])
        .args(["--connections", &shape.connections.to_string()])
        .output()
        .await
        .context("run ch07-loadtest")?;
    ensure!(
        output.status.success(),
        "ch07-loadtest failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let number = |key: &str| {
        report[key]
            .as_f64()
            .with_context(|| format!("ch07-loadtest's {key} in {report}"))
    };
    let ok = report["status_codes"]["OK"].as_u64().unwrap_or(0);
    Ok(LoadtestRun {
        measured: Measured {
            calls,
            calls_per_second: number("requests_per_sec")?,
            mean_latency_us: number("average_ms")? * 1e3,
            max_latency_us: number("slowest_ms")? * 1e3,
        },
        failed: calls.saturating_sub(ok),
    })
}

#[cfg(test)]
mod tests {
    use super::{micros, parse_h2load};

    const H2LOAD: &str = "\
finished in 4.52s, 44247.79 req/s, 2.53MB/s
requests: 200000 total, 200000 started, 200000 done, 200000 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 200000 2xx, 0 3xx, 0 4xx, 0 5xx
time for request:      234us     12.34ms       898us       456us    85.00%
";

    #[test]
    fn reads_h2loads_summary() {
        let measured = parse_h2load(H2LOAD, 200_000).expect("a summary");
        assert_eq!(measured.calls_per_second, 44247.79);
        assert_eq!(measured.mean_latency_us, 898.0);
        assert!((measured.max_latency_us - 12_340.0).abs() < 1e-6);
    }

    #[test]
    fn a_run_with_failed_calls_is_an_error() {
        let partial = H2LOAD.replace("200000 succeeded", "199990 succeeded");
        assert!(parse_h2load(&partial, 200_000).is_err());
    }

    #[test]
    fn reads_h2loads_durations() {
        assert_eq!(micros("898us").ok(), Some(898.0));
        assert_eq!(micros("1.5s").ok(), Some(1.5e6));
        assert!(micros("fast").is_err());
    }
}
