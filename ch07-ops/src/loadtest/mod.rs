//! A load tester for ProductInfo (book section "부하 테스트", Load Testing), ghz's counterpart.
//!
//! `concurrency` workers share `connections` HTTP/2 connections (worker `i` uses connection
//! `i % connections`, as ghz does). Each worker sends one call at a time and records its
//! latency in its own HDR histogram, so the hot path shares nothing but two atomic counters;
//! the histograms are merged once at the end.
//!
//! * [`plan`]: what to run: the method, when to stop, how fast.
//! * [`wire`]: one call, made straight on HTTP/2 with a request encoded once.
//! * [`report`]: what came back: counts by status, throughput, percentiles, histogram.

pub mod plan;
pub mod report;
pub mod wire;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use book_proto::ecommerce::ProductId;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use bytes::Bytes;
use ch02_productinfo::client::book_product;
use hdrhistogram::Histogram;
use tonic::transport::Endpoint;

use self::wire::Connection;

pub use plan::{Method, Plan, Stop};
pub use report::Report;

/// How long the tester waits for each connection before it gives up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a load test could not start.
#[derive(Debug)]
pub enum LoadTestError {
    /// The target is not a valid `HOST:PORT`.
    InvalidTarget(String),
    /// A connection to the target failed.
    Connect(String),
    /// `getProduct` needs a product to get; adding it failed.
    Seed(tonic::Status),
}

impl std::fmt::Display for LoadTestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadTestError::InvalidTarget(target) => write!(f, "invalid target {target:?}"),
            LoadTestError::Connect(error) => write!(f, "cannot connect to {error}"),
            LoadTestError::Seed(status) => write!(
                f,
                "cannot add the product to get: {}",
                common::status::RpcError(status)
            ),
        }
    }
}

impl std::error::Error for LoadTestError {}

/// Progress as the test runs: calls finished so far. The binary draws a bar from it.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
}

impl Progress {
    /// Calls finished so far.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }
}

/// What one worker saw.
struct Tally {
    latencies: Histogram<u64>,
    /// Calls by status code, keyed by the code's number (tonic's `Code` is not `Ord`).
    codes: BTreeMap<i32, u64>,
}

/// Runs `plan` against the server at `addr` (`HOST:PORT`) and reports what came back.
pub async fn run(
    addr: &str,
    plan: &Plan,
    progress: Arc<Progress>,
) -> Result<Report, LoadTestError> {
    let uri: http::Uri = format!("http://{addr}{}", plan.method.path())
        .parse()
        .map_err(|_| LoadTestError::InvalidTarget(addr.to_owned()))?;
    let body = request_body(plan, addr).await?;
    let mut connections = Vec::with_capacity(plan.connections);
    for _ in 0..plan.connections {
        connections.push(
            Connection::open(addr, CONNECT_TIMEOUT)
                .await
                .map_err(LoadTestError::Connect)?,
        );
    }

    let issued = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let workers: Vec<_> = (0..plan.concurrency)
        .map(|i| {
            let worker = Worker {
                connection: connections[i % connections.len()].clone(),
                uri: uri.clone(),
                body: body.clone(),
                plan: plan.clone(),
                start,
                issued: issued.clone(),
                progress: progress.clone(),
            };
            tokio::spawn(worker.run())
        })
        .collect();

    let mut latencies = report::new_histogram();
    let mut codes = BTreeMap::new();
    for worker in workers {
        let tally = worker.await.expect("a load-test worker does not panic");
        latencies
            .add(&tally.latencies)
            .expect("histograms of the same bounds merge");
        for (code, count) in tally.codes {
            *codes.entry(code).or_insert(0) += count;
        }
    }
    Ok(Report::new(start.elapsed(), latencies, codes))
}

/// The request every call sends, framed once. `getProduct` gets the plan's product or else
/// the book's, added with chapter 2's client before the clock starts (as ghz's users seed
/// data first), so every call has something to find.
async fn request_body(plan: &Plan, addr: &str) -> Result<Bytes, LoadTestError> {
    match (plan.method, &plan.product_id) {
        (Method::AddProduct, _) => Ok(wire::frame(&book_product())),
        (Method::GetProduct, Some(id)) => Ok(wire::frame(&ProductId { value: id.clone() })),
        (Method::GetProduct, None) => {
            let channel = Endpoint::from_shared(format!("http://{addr}"))
                .map_err(|_| LoadTestError::InvalidTarget(addr.to_owned()))?
                .connect_timeout(CONNECT_TIMEOUT)
                .connect()
                .await
                .map_err(|error| LoadTestError::Connect(format!("{addr}: {error}")))?;
            let id = ProductInfoClient::new(common::channel::guard(channel))
                .add_product(book_product())
                .await
                .map_err(LoadTestError::Seed)?
                .into_inner();
            Ok(wire::frame(&id))
        }
    }
}

struct Worker {
    connection: Connection,
    uri: http::Uri,
    body: Bytes,
    plan: Plan,
    start: Instant,
    issued: Arc<AtomicU64>,
    progress: Arc<Progress>,
}

impl Worker {
    async fn run(self) -> Tally {
        let mut tally = Tally {
            latencies: report::new_histogram(),
            codes: BTreeMap::new(),
        };
        // Each call takes a ticket; the ticket number says whether the plan still wants it
        // and, under a rate limit, when it may start.
        loop {
            let ticket = self.issued.fetch_add(1, Ordering::Relaxed);
            match self.plan.stop {
                Stop::Total(total) if ticket >= total => break,
                Stop::Duration(duration) if self.start.elapsed() >= duration => break,
                _ => {}
            }
            if let Some(rate) = self.plan.rate {
                let due = Duration::from_secs_f64(ticket as f64 / f64::from(rate));
                if matches!(self.plan.stop, Stop::Duration(duration) if due >= duration) {
                    break;
                }
                tokio::time::sleep_until((self.start + due).into()).await;
            }
            let sent = Instant::now();
            let code = self.connection.call(&self.uri, &self.body).await;
            tally
                .latencies
                .saturating_record(report::micros(sent.elapsed()));
            *tally.codes.entry(code as i32).or_insert(0) += 1;
            self.progress.done.fetch_add(1, Ordering::Relaxed);
        }
        tally
    }
}
