//! Flow control made visible (「흐름 제어 (Flow control)」 · 책 밖의 내용): a slow reader of
//! chapter 3's `searchOrders`, and a server whose sends wait for it.
//!
//! HTTP/2 lets a receiver say how much it is ready to take: each stream and the connection
//! as a whole have a *window*, the bytes the sender may send before the receiver hands out
//! more with WINDOW_UPDATE frames. gRPC builds backpressure on it: a client that stops reading
//! a stream stops releasing window, the server's HTTP/2 layer stops taking data, and the
//! server's code waits in its send. Nothing is lost and nothing piles up without bound in
//! the server's memory.
//!
//! The sample shows each link of that chain:
//! * the client reads the first orders, then pauses (a slow reader), then reads the rest
//!   ([`slow_reader`]);
//! * the server's `searchOrders` is chapter 3's search (`ch03_patterns::search::Search`) run
//!   by a producing task that hands each order to tonic through a bounded channel
//!   ([`Producer`]). When the client's window is full, hyper stops polling tonic's response
//!   body, tonic stops taking orders from the channel, the channel fills, and the producer's
//!   send waits. The producer logs how far it got and how long it waited:
//!   `sent 208 orders (214 KiB) before the window closed; waiting…`, then
//!   `resumed after 2.0 s when the client read`;
//! * the windows are set on both sides ([`Windows`]: tonic's `initial_stream_window_size`
//!   and `initial_connection_window_size` on the `Server` and the `Endpoint`) with adaptive
//!   windows (hyper's BDP probing, which grows windows to fit the link) off, and printed.
//!   The client's windows are the ones that hold the server's sends back.
//!
//! How far the producer gets before it waits ([`max_ahead`]): the client's window, plus what
//! sits in between: the bounded channel, tonic's encoded chunk in hyper and h2's send buffer,
//! and the frame tonic's decoder on the client has taken but the client not yet read.
//!
//! grpc-go has the same windows (`grpc.WithInitialWindowSize`,
//! `grpc.WithInitialConnWindowSize`, `grpc.InitialWindowSize` on the server; setting them
//! turns grpc-go's BDP estimation off, as here), and its `stream.Send` blocks the same way
//! once the window is used up. grpc-go has no example of it; this is the one.

use std::fmt;
use std::time::Duration;

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::client::Client;
use ch03_patterns::search::Search;
use ch03_patterns::service::{Reply, ResponseStream};
use ch03_patterns::store::order;
use ch03_patterns::{OrderManagementService, OrderStore};
use common::args::InvalidAddr;
use common::deadline::Deadline;
use futures::StreamExt as _;
use prost::Message as _;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::Endpoint;
use tonic::{Request, Response, Status};

/// The HTTP/2 flow-control windows one side advertises for what it receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct Windows {
    /// Each stream's window, in bytes (SETTINGS_INITIAL_WINDOW_SIZE), 65535 to 2147483647.
    #[arg(
        long = "stream-window",
        value_name = "BYTES",
        default_value_t = WINDOWS.stream,
        value_parser = clap::value_parser!(u32).range(WINDOW_RANGE),
    )]
    pub stream: u32,
    /// The connection's window, shared by all its streams, in bytes, 65535 to 2147483647.
    #[arg(
        long = "connection-window",
        value_name = "BYTES",
        default_value_t = WINDOWS.connection,
        value_parser = clap::value_parser!(u32).range(WINDOW_RANGE),
    )]
    pub connection: u32,
}

/// The windows the flags accept: from HTTP/2's default (a connection's window starts there
/// and can only grow) to HTTP/2's largest.
const WINDOW_RANGE: std::ops::RangeInclusive<i64> = 65_535..=2_147_483_647;

/// The sample's windows: 64 KiB per stream (HTTP/2's default is 64 KiB less one byte) and
/// 1 MiB for the connection, so one stream's window is what runs out.
pub const WINDOWS: Windows = Windows {
    stream: 64 * 1024,
    connection: 1024 * 1024,
};

impl fmt::Display for Windows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "stream window {}, connection window {}, adaptive window (BDP probing) off",
            Size(self.stream as usize),
            Size(self.connection as usize)
        )
    }
}

/// How many orders wait in the channel between the producing task and tonic.
pub const CHANNEL_CAPACITY: usize = 16;

/// A send that waits longer than this is waiting for the client, not for tonic to get round
/// to the channel: it is logged as a stall.
pub const STALL_AFTER: Duration = Duration::from_millis(100);

/// How many orders the server streams by default: at [`DESCRIPTION_BYTES`] each, about 4 MiB.
pub const ORDERS: usize = 4000;

/// The padding of each order, so that orders are big enough for the window to matter.
pub const DESCRIPTION_BYTES: usize = 1000;

/// The search the client makes: every order of [`catalogue`] matches it.
pub const QUERY: &str = "Google";

/// How many orders the client reads before it pauses.
pub const READ_FIRST: usize = 100;

/// How long the client binary pauses: the simulated slowness.
pub const PAUSE: Duration = Duration::from_secs(2);

/// How long the client gives the whole stream, its pause included.
pub const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// The size of the frames tonic's decoder takes from h2 at a time: HTTP/2's default
/// SETTINGS_MAX_FRAME_SIZE, which neither side changes.
pub const MAX_FRAME_SIZE: usize = 16 * 1024;

/// How many bytes tonic's encoder gathers before it hands a chunk to hyper: tonic's
/// `DEFAULT_YIELD_THRESHOLD` (the last message can take a chunk past it).
pub const TONIC_CHUNK: usize = 32 * 1024;

/// The 5 bytes in front of every gRPC message: compressed flag and length.
const GRPC_PREFIX: usize = 5;

/// `count` orders, `100000` upwards, each padded to [`DESCRIPTION_BYTES`] and each matching
/// [`QUERY`]. Their ids have the same length, so every message has the same size.
pub fn catalogue(count: usize) -> OrderStore {
    OrderStore::with_orders((0..count).map(|n| {
        let mut order = order(
            &(100_000 + n).to_string(),
            &["Google Pixel 3A"],
            "Mountain View, CA",
            449.0,
        );
        order.description = "a padded order for the flow-control sample; "
            .chars()
            .cycle()
            .take(DESCRIPTION_BYTES)
            .collect();
        order
    }))
}

/// The bytes one order takes in the stream: its protobuf encoding and the gRPC prefix.
pub fn message_bytes(order: &Order) -> usize {
    order.encoded_len() + GRPC_PREFIX
}

/// The most bytes the producer can have handed to tonic beyond what the client has read,
/// for messages of `message` bytes.
///
/// The client's windows hold what the server sent and the client has not read; on the way
/// there are also the channel, the chunk tonic's encoder gave hyper, the one h2 still holds
/// to send, and the frame tonic's decoder took from h2 for the client but the client has not
/// read yet.
pub fn max_ahead(windows: Windows, capacity: usize, message: usize) -> usize {
    let window = windows.stream.min(windows.connection) as usize;
    window + capacity * message + 2 * (TONIC_CHUNK + message) + MAX_FRAME_SIZE
}

/// What the producer has handed to tonic so far, on the latest call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Orders sent.
    pub sent: usize,
    /// Their bytes, as in the stream ([`message_bytes`]).
    pub bytes: usize,
    /// Whether a send has been waiting longer than [`STALL_AFTER`].
    pub stalled: bool,
    /// Whether the search has sent its last order.
    pub finished: bool,
}

/// The server's `searchOrders`: chapter 3's search, run by a task that sends each order to
/// tonic through a channel of `capacity` and measures how long each send waits.
#[derive(Debug, Clone)]
pub struct Producer {
    capacity: usize,
    progress: watch::Sender<Progress>,
}

impl Producer {
    /// A producer with a channel of `capacity` orders.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            progress: watch::Sender::new(Progress::default()),
        }
    }

    /// The progress of the latest `searchOrders`, as it changes.
    pub fn progress(&self) -> watch::Receiver<Progress> {
        self.progress.subscribe()
    }

    /// Chapter 3's service over `store`, with this producer's `searchOrders`.
    pub fn service(&self, store: OrderStore) -> OrderManagementService {
        let producer = self.clone();
        OrderManagementService::new(store).with_search_orders(move |store, request| {
            producer.clone().search_orders(store, request)
        })
    }

    async fn search_orders(
        self,
        store: OrderStore,
        request: Request<String>,
    ) -> Reply<ResponseStream<Order>> {
        let (orders, to_tonic) = mpsc::channel(self.capacity);
        tokio::spawn(self.produce(Search::new(store, request.into_inner()), orders));
        Ok(Response::new(Box::pin(
            ReceiverStream::new(to_tonic).map(Ok),
        )))
    }

    /// Sends every order of `search` into `orders`, logging each send that waits for the
    /// client. It stops when tonic drops the other end: the client went away.
    async fn produce(self, search: Search, orders: mpsc::Sender<Order>) {
        let mut progress = Progress::default();
        self.progress.send_replace(progress);
        let mut waited = Duration::ZERO;
        for order in search {
            let bytes = message_bytes(&order);
            let asked = Instant::now();
            let permit = match tokio::time::timeout(STALL_AFTER, orders.reserve()).await {
                Ok(Ok(permit)) => permit,
                Ok(Err(_client_gone)) => return,
                Err(_stalled) => {
                    tracing::info!(
                        "sent {} orders ({}) before the window closed; waiting…",
                        progress.sent,
                        Size(progress.bytes)
                    );
                    progress.stalled = true;
                    self.progress.send_replace(progress);
                    let Ok(permit) = orders.reserve().await else {
                        return;
                    };
                    let stall = asked.elapsed();
                    waited += stall;
                    tracing::info!(
                        "resumed after {:.1} s when the client read",
                        stall.as_secs_f64()
                    );
                    progress.stalled = false;
                    permit
                }
            };
            permit.send(order);
            progress.sent += 1;
            progress.bytes += bytes;
            self.progress.send_replace(progress);
        }
        progress.finished = true;
        self.progress.send_replace(progress);
        tracing::info!(
            "sent {} orders ({}); the sends waited {:.1} s for the client",
            progress.sent,
            Size(progress.bytes),
            waited.as_secs_f64()
        );
    }
}

/// Serves `producer`'s `searchOrders` over `store`, advertising `windows`.
pub async fn serve(
    listener: TcpListener,
    store: OrderStore,
    producer: Producer,
    windows: Windows,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    tracing::info!(
        "HTTP/2 flow control: {windows}; {} orders wait in the channel to tonic",
        producer.capacity
    );
    common::server::builder()
        .initial_stream_window_size(windows.stream)
        .initial_connection_window_size(windows.connection)
        .http2_adaptive_window(Some(false))
        .add_service(OrderManagementServer::new(producer.service(store)))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}

/// An endpoint for the server at `addr` (`HOST:PORT`) whose connection advertises `windows`.
pub fn endpoint(addr: &str, windows: Windows) -> Result<Endpoint, InvalidAddr> {
    let endpoint = Endpoint::from_shared(format!("http://{addr}"))
        .map_err(|_| InvalidAddr(addr.to_owned()))?;
    Ok(endpoint
        .initial_stream_window_size(windows.stream)
        .initial_connection_window_size(windows.connection)
        .http2_adaptive_window(false))
}

/// The slow reader: searches for `query`, reads `read_first` orders, waits for `pause`, then
/// reads the rest, printing its progress. Answers the ids read, in the order they came.
pub async fn slow_reader(
    client: &mut Client,
    query: &str,
    read_first: usize,
    pause: impl Future<Output = ()>,
    mut print: impl FnMut(String),
) -> Result<Vec<String>, Status> {
    let deadline = Deadline::after(READ_TIMEOUT);
    deadline
        .run(async {
            let mut orders = client
                .search_orders(deadline.request(query.to_owned()))
                .await?
                .into_inner();
            let mut ids = Vec::new();
            let mut bytes = 0;
            while ids.len() < read_first {
                let Some(order) = orders.message().await? else {
                    break;
                };
                bytes += message_bytes(&order);
                ids.push(order.id);
            }
            print(format!(
                "read {} orders ({}); pausing (a slow reader)…",
                ids.len(),
                Size(bytes)
            ));
            let paused = Instant::now();
            pause.await;
            print(format!(
                "reading on after {:.1} s",
                paused.elapsed().as_secs_f64()
            ));
            while let Some(order) = orders.message().await? {
                bytes += message_bytes(&order);
                ids.push(order.id);
                if ids.len() % 1000 == 0 {
                    print(format!("read {} orders ({})", ids.len(), Size(bytes)));
                }
            }
            let in_order = ids.is_sorted();
            print(format!(
                "read {} orders ({}), {}",
                ids.len(),
                Size(bytes),
                if in_order {
                    "all in order"
                } else {
                    "not in id order"
                }
            ));
            Ok(ids)
        })
        .await
}

/// A byte count as people read it: `900 B`, `64 KiB`, `4.1 MiB`.
#[derive(Debug, Clone, Copy)]
pub struct Size(pub usize);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const KIB: usize = 1024;
        match self.0 {
            bytes if bytes < KIB => write!(f, "{bytes} B"),
            bytes if bytes < KIB * KIB => write!(f, "{} KiB", bytes / KIB),
            bytes => write!(f, "{:.1} MiB", bytes as f64 / (KIB * KIB) as f64),
        }
    }
}
