//! One protocol, measured: a server on loopback, a counted client, warm-up, then bytes per
//! call and timed `getProduct` calls, first one caller after another, then many at once.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Product, ProductId};
use ch02_productinfo::client::book_product;
use common::args::ClientAddr;
use common::channel::Channel;
use common::local::LocalServer;
use hdrhistogram::Histogram;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tonic::transport::Endpoint;

use crate::counting::{Counted, Counts, Traffic};
use crate::rest::RestClient;

/// Calls of each method made before anything is measured: connections, HPACK tables and
/// allocators settle.
pub const WARM_UP: u64 = 20;

/// Calls of each method whose bytes are averaged.
pub const BYTES_CALLS: u64 = 100;

/// How long a new connection is left alone before its setup bytes are read: long enough for
/// HTTP/2's SETTINGS and their acknowledgements to cross loopback.
const SETTLE: Duration = Duration::from_millis(100);

/// The two ways to call ProductInfo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// HTTP/1.1 with JSON bodies, served by axum.
    RestJson,
    /// gRPC: HTTP/2 with protobuf bodies, chapter 2's tonic server.
    Grpc,
}

impl Protocol {
    /// Both, in the order the table lists them.
    pub const ALL: [Protocol; 2] = [Protocol::RestJson, Protocol::Grpc];

    /// The name in the table: one word, so the rows are easy to read by program too.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::RestJson => "HTTP/1.1+JSON",
            Protocol::Grpc => "gRPC",
        }
    }
}

/// How much to measure.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// `getProduct` calls timed in each load.
    pub calls: u64,
    /// Callers at once in the concurrent load.
    pub concurrency: u64,
}

/// Average bytes of one call, after warm-up.
#[derive(Debug, Clone, Copy)]
pub struct PerCall {
    /// Request bytes.
    pub sent: f64,
    /// Response bytes.
    pub received: f64,
}

impl PerCall {
    fn of(traffic: Traffic, calls: u64) -> Self {
        Self {
            sent: traffic.sent as f64 / calls as f64,
            received: traffic.received as f64 / calls as f64,
        }
    }
}

/// Timed calls under one load.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Callers at once.
    pub callers: u64,
    /// Calls made.
    pub calls: u64,
    /// Calls completed per second of wall time.
    pub calls_per_second: f64,
    /// Latency in microseconds.
    pub mean_us: f64,
    /// Median latency in microseconds.
    pub p50_us: f64,
    /// 99th percentile latency in microseconds.
    pub p99_us: f64,
}

/// Everything measured for one protocol.
#[derive(Debug, Clone, Copy)]
pub struct Figures {
    /// Which protocol.
    pub protocol: Protocol,
    /// Bytes exchanged on connecting, before the first call.
    pub setup: Traffic,
    /// One `addProduct`.
    pub add: PerCall,
    /// One `getProduct`.
    pub get: PerCall,
    /// One caller, one call after another.
    pub sequential: Timing,
    /// [`Plan::concurrency`] callers at once.
    pub concurrent: Timing,
}

/// Starts `protocol`'s server on `127.0.0.1:0` and measures it under `plan`.
pub async fn measure(protocol: Protocol, plan: Plan) -> anyhow::Result<Figures> {
    let server = LocalServer::start(|listener, shutdown| async move {
        match protocol {
            Protocol::RestJson => crate::rest::serve(listener, shutdown.wait())
                .await
                .map_err(anyhow::Error::from),
            Protocol::Grpc => ch02_productinfo::serve(listener, shutdown.wait())
                .await
                .map_err(anyhow::Error::from),
        }
    })
    .await?;
    let counts = Arc::new(Counts::default());
    let dialer = Dialer::new(protocol, server.addr(), counts.clone()).await?;

    let mut caller = dialer.caller().await?;
    tokio::time::sleep(SETTLE).await;
    let setup = counts.snapshot();

    let product = book_product();
    let mut id = String::new();
    for _ in 0..WARM_UP {
        id = caller.add(&product).await?;
        caller.get(&id).await?;
    }
    let start = counts.snapshot();
    for _ in 0..BYTES_CALLS {
        caller.add(&product).await?;
    }
    let added = counts.snapshot();
    for _ in 0..BYTES_CALLS {
        caller.get(&id).await?;
    }
    let got = counts.snapshot();

    let sequential = timed(vec![caller], plan.calls, &id).await?;
    let mut callers = Vec::new();
    for _ in 0..plan.concurrency.max(1) {
        let mut caller = dialer.caller().await?;
        // A new HTTP/1.1 connection's first call is not what the load measures.
        caller.get(&id).await?;
        callers.push(caller);
    }
    let concurrent = timed(callers, plan.calls, &id).await?;
    server.stop().await?;

    Ok(Figures {
        protocol,
        setup,
        add: PerCall::of(added - start, BYTES_CALLS),
        get: PerCall::of(got - added, BYTES_CALLS),
        sequential,
        concurrent,
    })
}

/// Makes callers: for gRPC, clients sharing one HTTP/2 connection (calls multiplex on it);
/// for REST, a keep-alive connection each (HTTP/1.1 has one call in flight per connection).
enum Dialer {
    Rest {
        addr: SocketAddr,
        counts: Arc<Counts>,
    },
    Grpc(Channel),
}

impl Dialer {
    async fn new(
        protocol: Protocol,
        addr: SocketAddr,
        counts: Arc<Counts>,
    ) -> anyhow::Result<Self> {
        Ok(match protocol {
            Protocol::RestJson => Dialer::Rest { addr, counts },
            Protocol::Grpc => {
                let uri = ClientAddr {
                    addr: addr.to_string(),
                }
                .http_uri();
                // tonic's own connector, but over a counted stream.
                let connector = tower::service_fn(move |_| {
                    let counts = counts.clone();
                    async move {
                        let stream = TcpStream::connect(addr).await?;
                        stream.set_nodelay(true)?;
                        Ok::<_, std::io::Error>(TokioIo::new(Counted::new(stream, counts)))
                    }
                });
                let channel = Endpoint::from_shared(uri)?
                    .connect_with_connector(connector)
                    .await
                    .context("connecting to the gRPC server")?;
                Dialer::Grpc(common::channel::guard(channel))
            }
        })
    }

    async fn caller(&self) -> anyhow::Result<Caller> {
        Ok(match self {
            Dialer::Rest { addr, counts } => {
                Caller::Rest(RestClient::connect(*addr, counts.clone()).await?)
            }
            Dialer::Grpc(channel) => Caller::Grpc(ProductInfoClient::new(channel.clone())),
        })
    }
}

/// One caller of either protocol.
enum Caller {
    Rest(RestClient),
    Grpc(ProductInfoClient<Channel>),
}

impl Caller {
    async fn add(&mut self, product: &Product) -> anyhow::Result<String> {
        match self {
            Caller::Rest(client) => client.add(product).await,
            Caller::Grpc(client) => Ok(client
                .add_product(product.clone())
                .await?
                .into_inner()
                .value),
        }
    }

    async fn get(&mut self, id: &str) -> anyhow::Result<Product> {
        match self {
            Caller::Rest(client) => client.get(id).await,
            Caller::Grpc(client) => {
                let id = ProductId {
                    value: id.to_owned(),
                };
                Ok(client.get_product(id).await?.into_inner())
            }
        }
    }
}

/// `calls` `getProduct` calls of `id`, shared out among `callers` running at once.
async fn timed(callers: Vec<Caller>, calls: u64, id: &str) -> anyhow::Result<Timing> {
    let count = callers.len() as u64;
    let each = calls.div_ceil(count).max(1);
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for mut caller in callers {
        let id = id.to_owned();
        tasks.spawn(async move {
            let mut latencies = nanosecond_histogram();
            for _ in 0..each {
                let call = Instant::now();
                caller.get(&id).await?;
                latencies.saturating_record(call.elapsed().as_nanos() as u64);
            }
            anyhow::Ok(latencies)
        });
    }
    let mut latencies = nanosecond_histogram();
    while let Some(done) = tasks.join_next().await {
        latencies.add(done??)?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    Ok(Timing {
        callers: count,
        calls: latencies.len(),
        calls_per_second: latencies.len() as f64 / elapsed,
        mean_us: latencies.mean() / 1e3,
        p50_us: latencies.value_at_quantile(0.5) as f64 / 1e3,
        p99_us: latencies.value_at_quantile(0.99) as f64 / 1e3,
    })
}

/// Latencies from 1 ns to a minute, to three significant digits.
fn nanosecond_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000_000, 3).expect("the bounds are valid")
}
