//! Unary `getProduct`: one stored product, fetched over and over, from any server of
//! [`Setup`].

use std::fmt;
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Product, ProductId};
use ch02_productinfo::client::{add_then_get, book_product};
use common::deadline::Deadline;
use prost::Message;
use prost::encoding::encoded_len_varint;

use crate::server::{Binaries, pinned};
use crate::setup::{Setup, Work};

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

/// Which CPUs the server and the load generator may run on (`taskset -c` lists).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Pinning {
    /// The server's CPUs.
    pub server: String,
    /// The load generator's CPUs.
    pub load: String,
}

/// One measurement: which server, at which load, with which tool, on which product.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Run {
    /// The server and how it is started.
    pub setup: Setup,
    /// The load.
    pub shape: Shape,
    /// What generates it.
    pub tool: Tool,
    /// Calls to make.
    pub calls: u64,
    /// The encoded size of the product every call fetches; `None` is the book's product.
    pub product_bytes: Option<usize>,
    /// CPUs for the server and the load generator; `None` lets the kernel schedule both.
    pub pinning: Option<Pinning>,
}

impl Run {
    /// `calls` calls of the book's product at `shape`, measured with `tool`, unpinned.
    pub fn new(setup: Setup, shape: Shape, tool: Tool, calls: u64) -> Self {
        Self {
            setup,
            shape,
            tool,
            calls,
            product_bytes: None,
            pinning: None,
        }
    }
}

/// One run's figures.
#[derive(Debug, serde::Serialize)]
pub struct UnaryResult {
    /// What was measured.
    #[serde(flatten)]
    pub run: Run,
    /// Bytes of the `Product` message each call answered with.
    pub response_bytes: usize,
    /// Calls per second.
    pub calls_per_second: f64,
    /// Mean latency, in microseconds.
    pub mean_latency_us: f64,
    /// Latency percentiles (p50, p99, p99.9) in microseconds; h2load does not report them.
    pub percentiles_us: Option<[f64; 3]>,
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
    /// p50, p99 and p99.9, in microseconds, when the tool reports them.
    pub percentiles_us: Option<[f64; 3]>,
    /// Maximum latency, in microseconds.
    pub max_latency_us: f64,
}

/// Starts a fresh server as `run.setup` says, stores the product, and makes `run.calls`
/// `getProduct` calls of it.
pub async fn measure(binaries: &Binaries, run: Run) -> anyhow::Result<UnaryResult> {
    let server_cpus = run.pinning.as_ref().map(|pinning| pinning.server.as_str());
    let server = run.setup.start(binaries, Work::Unary, server_cpus).await?;
    let (id, response_bytes) = store_product(server.addr(), run.product_bytes).await?;

    let load_cpus = run.pinning.as_ref().map(|pinning| pinning.load.as_str());
    let cpu_before = server.cpu_time()?;
    let measured = match run.tool {
        Tool::H2load => h2load(load_cpus, server.addr(), &id, run.shape, run.calls).await?,
        Tool::Ch07Loadtest => {
            let outcome = run_ch07_loadtest(
                binaries,
                load_cpus,
                server.addr(),
                Some(&id),
                run.shape,
                run.calls,
            )
            .await?;
            ensure!(
                outcome.failed == 0,
                "ch07-loadtest: {} of {} calls to {} were not OK",
                outcome.failed,
                run.calls,
                run.setup
            );
            outcome.measured
        }
    };
    let cpu = server.cpu_time()? - cpu_before;
    let server_peak_rss_kib = server.peak_rss_kib()?;
    server.stop().await?;

    Ok(UnaryResult {
        response_bytes,
        calls_per_second: measured.calls_per_second,
        mean_latency_us: measured.mean_latency_us,
        percentiles_us: measured.percentiles_us,
        max_latency_us: measured.max_latency_us,
        server_cpu_us_per_call: cpu.as_secs_f64() * 1e6 / measured.calls.max(1) as f64,
        server_peak_rss_kib,
        run,
    })
}

/// Adds the product every call will fetch, with chapter 2's client flow, which also reads it
/// back: every measured call must find it, because h2load sees only HTTP statuses and would
/// count a gRPC error as a success. The book's product, or one of `bytes` encoded bytes (its
/// description filled out). Returns the id and the size of the answer.
pub async fn store_product(addr: &str, bytes: Option<usize>) -> anyhow::Result<(String, usize)> {
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))?
        .connect()
        .await?;
    let mut client = ProductInfoClient::new(common::channel::guard(channel))
        .max_decoding_message_size(common::server::MAX_MESSAGE_SIZE);
    let product = bytes.map_or_else(book_product, product_of_size);
    let flow = add_then_get(&mut client, product, Deadline::after(SEED_TIMEOUT)).await?;
    Ok((flow.id.value, flow.product.encoded_len()))
}

/// The book's product with its description filled out so that, once the server has given it
/// a 36-character UUID, it encodes to `bytes` bytes (a byte less where the description's
/// length takes a shorter varint than `bytes`; its smallest size, if that is more).
fn product_of_size(bytes: usize) -> Product {
    let mut product = book_product();
    product.id = "0".repeat(36);
    product.description.clear();
    // The description costs a tag byte, its length as a varint (no longer than `bytes`'s),
    // and its bytes.
    let overhead = product.encoded_len() + 1 + encoded_len_varint(bytes as u64);
    let description = bytes.saturating_sub(overhead);
    product.id.clear();
    product.description = "x".repeat(description);
    product
}

/// h2load with the gRPC request written out by `wire::frame`: a 5-byte prefix (not
/// compressed, then the message length) and the encoded `ProductID`.
///
/// The load generators run as child processes awaited on the runtime, never blocking it:
/// the task that reads the server's log must keep reading, or the server would block on a
/// full pipe (or, with ch02-server's logger, drop lines instead of writing them).
async fn h2load(
    cpus: Option<&str>,
    addr: &str,
    id: &str,
    shape: Shape,
    calls: u64,
) -> anyhow::Result<Measured> {
    let body = wire::frame(&ProductId { value: id.into() }.encode_to_vec());
    let body_file = tempfile::NamedTempFile::new()?;
    std::fs::write(body_file.path(), body)?;

    let output = pinned(cpus, "h2load")
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
        percentiles_us: None,
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

/// What one `ch07-loadtest` run measured, failed calls included.
pub struct LoadtestRun {
    /// Throughput and latency.
    pub measured: Measured,
    /// Calls that ended with any status but OK.
    pub failed: u64,
}

/// Runs `ch07-loadtest --json` with the same calls in flight on the same number of
/// connections, fetching the product `id` (or the book's, which it adds first), and reads its
/// report. Calls that failed are counted, not an error: a soak reports them. An error is a
/// load test that could not run at all.
pub async fn run_ch07_loadtest(
    binaries: &Binaries,
    cpus: Option<&str>,
    addr: &str,
    id: Option<&str>,
    shape: Shape,
    calls: u64,
) -> anyhow::Result<LoadtestRun> {
    let mut command = pinned(cpus, binaries.path("ch07-loadtest"));
    command
        .args(["--addr", addr, "--json"])
        .args(["-n", &calls.to_string()])
        .args(["-c", &(shape.connections * shape.streams).to_string()])
        .args(["--connections", &shape.connections.to_string()]);
    if let Some(id) = id {
        command.args(["--product-id", id]);
    }
    let output = command.output().await.context("run ch07-loadtest")?;
    ensure!(
        output.status.success(),
        "ch07-loadtest failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let micros = |key: &str| {
        report[key]
            .as_f64()
            .map(|ms| ms * 1e3)
            .with_context(|| format!("ch07-loadtest's {key} in {report}"))
    };
    let ok = report["status_codes"]["OK"].as_u64().unwrap_or(0);
    Ok(LoadtestRun {
        measured: Measured {
            calls,
            calls_per_second: report["requests_per_sec"]
                .as_f64()
                .context("ch07-loadtest's requests_per_sec")?,
            mean_latency_us: micros("average_ms")?,
            percentiles_us: Some([micros("p50_ms")?, micros("p99_ms")?, micros("p999_ms")?]),
            max_latency_us: micros("slowest_ms")?,
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
