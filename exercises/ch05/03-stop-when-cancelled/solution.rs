//! Exercise ch05/03 · 취소되면 멈추기 (Stopping when the client goes away): a reference
//! solution.
//!
//! **Who notices that the client left.** When a client cancels a call, or drops its response
//! stream, its HTTP/2 stack resets the stream (RST_STREAM); tonic on the server then drops
//! the call's response stream, here the receiving end of the channel. Nothing tells the
//! producing task: it finds out the next time it hands an order over, because
//! `Sender::send` fails once the receiver is gone. So the task must look at what `send`
//! says, and stop on an error. (`Sender::closed()` is the same signal as a future, for a task
//! that waits on something else, say a database, between two sends.)
//!
//! **Why the channel must be bounded.** An unbounded channel never makes the task wait: it
//! finds and queues every match at once, maybe long before the client has read the first
//! two, and by the time the client leaves there is nothing left to stop. A bounded channel
//! (`CAPACITY`) makes the task wait until tonic takes an order, and tonic takes one only when
//! HTTP/2 flow control has room, that is, when the client reads. So the client's reading
//! paces the whole chain (backpressure), and when it stops reading and leaves, the task is
//! at most a few orders ahead.
//!
//! Chapter 3's own `searchOrders` needs none of this: it is a lazy stream that tonic polls
//! itself (`ch03_patterns::search`), so tonic's dropping it is the stop. A task of its own is
//! what a search needs when its work is async or blocking, and then stopping is its job.

use std::sync::Arc;

use book_proto::ecommerce::Order;
use ch03_patterns::OrderStore;
use ch03_patterns::search::Search;
use ch03_patterns::service::{OrderManagementService, Reply, ResponseStream};
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response};

/// How many found orders may wait in the channel for tonic to send them.
pub const CAPACITY: usize = 4;

/// What a search has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Production {
    /// The orders the search handed to the channel.
    pub produced: usize,
    /// Whether the search's task has finished, for whatever reason.
    pub stopped: bool,
}

/// Where a search reports its [`Production`], and where the tests (in a real server: a
/// metric, a log line) watch it. Clones share the report.
#[derive(Debug, Clone)]
pub struct Progress {
    report: Arc<watch::Sender<Production>>,
}

impl Progress {
    /// A report of nothing produced yet.
    pub fn new() -> Self {
        Self {
            report: Arc::new(watch::Sender::new(Production::default())),
        }
    }

    /// Counts one more order handed to the channel.
    pub fn produced_one(&self) {
        self.report
            .send_modify(|production| production.produced += 1);
    }

    /// Says that the search's task has finished.
    pub fn stopped(&self) {
        self.report
            .send_modify(|production| production.stopped = true);
    }

    /// A receiver that sees every change of the report.
    pub fn watch(&self) -> watch::Receiver<Production> {
        self.report.subscribe()
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}

/// Chapter 3's order service over `store`, with [`search_orders`] doing `searchOrders` and
/// reporting to `progress`.
pub fn service(store: OrderStore, progress: Progress) -> OrderManagementService {
    OrderManagementService::new(store)
        .with_search_orders(move |store, request| search_orders(store, request, progress.clone()))
}

/// Server streaming: every order with an item containing the query, by id, found by a task
/// of its own and sent on through a channel of [`CAPACITY`].
///
/// The task waits whenever the channel is full, and stops at the first `send` that fails:
/// the receiver is gone, so the client is.
pub async fn search_orders(
    store: OrderStore,
    request: Request<String>,
    progress: Progress,
) -> Reply<ResponseStream<Order>> {
    let query = request.into_inner();
    let (orders, received) = mpsc::channel(CAPACITY);
    tokio::spawn(async move {
        for order in Search::new(store, query) {
            if orders.send(Ok(order)).await.is_err() {
                break;
            }
            progress.produced_one();
        }
        progress.stopped();
    });
    Ok(Response::new(Box::pin(ReceiverStream::new(received))))
}
