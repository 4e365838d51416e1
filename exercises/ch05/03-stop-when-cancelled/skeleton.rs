//! Exercise ch05/03 · 취소되면 멈추기 (Stopping when the client goes away). The task is in
//! `README.md` beside this file; the checks are `tests/ch05_stop_when_cancelled.rs`.
//!
//! [`service`] is chapter 3's OrderManagement with its own `searchOrders`,
//! [`search_orders`]: the search runs in a task of its own, as work does that reads a
//! database or another service, and hands the orders it finds to tonic through a channel.
//! [`Progress`] counts what it produced and says when it stopped. For now the task finds and
//! queues every match, whether anyone is still reading or not. Making it stop is the exercise.

use std::sync::Arc;

use book_proto::ecommerce::Order;
use ch03_patterns::OrderStore;
use ch03_patterns::search::Search;
use ch03_patterns::service::{OrderManagementService, Reply, ResponseStream};
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::UnboundedReceiverStream;
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
/// of its own and sent on through a channel.
pub async fn search_orders(
    store: OrderStore,
    request: Request<String>,
    progress: Progress,
) -> Reply<ResponseStream<Order>> {
    let query = request.into_inner();
    // EXERCISE: a channel that holds at most `CAPACITY` orders, so that the task waits for
    // tonic to take them; and a task that stops as soon as nobody can receive any more.
    let (orders, received) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        for order in Search::new(store, query) {
            let _ = orders.send(Ok(order));
            progress.produced_one();
        }
        progress.stopped();
    });
    Ok(Response::new(Box::pin(UnboundedReceiverStream::new(
        received,
    ))))
}
