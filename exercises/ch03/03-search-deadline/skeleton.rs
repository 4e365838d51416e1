//! Exercise ch03/03 · 데드라인을 지키는 검색 (A search that honours the deadline). The task
//! is in `README.md` beside this file; the checks are `tests/ch03_search_deadline.rs`.
//!
//! [`service`] serves the book's OrderManagement over a slow source of orders, a
//! [`SlowSource`] that takes `pace` for every lookup (think of a database across the
//! ocean). It is chapter 3's service with this file's [`search_orders`] for `searchOrders`
//! (`OrderManagementService::with_search_orders`); every other method is chapter 3's. The
//! search streams every match however long it takes: the caller's deadline (the
//! `grpc-timeout` header) is ignored, and tonic does not enforce it once the response has
//! started.

use std::time::Duration;

use book_proto::ecommerce::Order;
use ch03_patterns::service::{Reply, ResponseStream};
use ch03_patterns::{OrderManagementService, OrderStore};
use tonic::{Request, Response};

/// A source of orders that is slow to answer: every lookup takes `pace`.
#[derive(Debug)]
pub struct SlowSource {
    store: OrderStore,
    pace: Duration,
}

impl SlowSource {
    /// The first order after `after` (by id; from the start when `None`) with an item that
    /// contains `query`, found after waiting `pace`.
    pub async fn next_matching(&self, after: Option<&str>, query: &str) -> Option<Order> {
        tokio::time::sleep(self.pace).await;
        self.store.next_matching(after, |order| {
            order.items.iter().any(|item| item.contains(query))
        })
    }
}

/// One search in progress: what it looks for, and where it is.
#[derive(Debug)]
struct Searching {
    source: SlowSource,
    query: String,
    last_id: Option<String>,
}

impl Searching {
    /// The next match, or `None` when there are no more.
    async fn next(&mut self) -> Option<Order> {
        let found = self
            .source
            .next_matching(self.last_id.as_deref(), &self.query)
            .await?;
        tracing::info!("Matching Order Found : {}", found.id);
        self.last_id = Some(found.id.clone());
        Some(found)
    }
}

/// Chapter 3's service over `store`, whose `searchOrders` is [`search_orders`] over `store`
/// as a [`SlowSource`] that takes `pace` per lookup.
pub fn service(store: OrderStore, pace: Duration) -> OrderManagementService {
    OrderManagementService::new(store).with_search_orders(move |store, request| {
        search_orders(SlowSource { store, pace }, request)
    })
}

/// Server streaming: every order with an item that contains the query, by id, until the
/// caller's deadline passes; then the stream ends with `DEADLINE_EXCEEDED`.
pub async fn search_orders(
    source: SlowSource,
    request: Request<String>,
) -> Reply<ResponseStream<Order>> {
    // EXERCISE: read the caller's deadline (`common::deadline::Deadline::of_call`, on the
    // request's metadata, before `into_inner` consumes it). While it has not passed,
    // stream as below; once it passes, even in the middle of a lookup, send
    // `tonic::Status::deadline_exceeded` as the last item and end the stream.
    let searching = Searching {
        source,
        query: request.into_inner(),
        last_id: None,
    };
    // Each step awaits the next match and hands the search on to the step after it.
    let results = futures::stream::unfold(searching, |mut searching| async move {
        let found = searching.next().await?;
        Some((Ok(found), searching))
    });
    Ok(Response::new(Box::pin(results)))
}
