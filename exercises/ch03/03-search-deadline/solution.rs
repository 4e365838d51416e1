//! Exercise ch03/03 · 데드라인을 지키는 검색 (A search that honours the deadline): a
//! reference solution.
//!
//! The deadline travels as the `grpc-timeout` request header: the time the caller still
//! gives the call. [`Deadline::of_call`] turns it back into a point in time on the server.
//! tonic checks that header only until the response starts (the method returning its
//! stream), so a server stream must keep the deadline itself.
//!
//! [`Deadline::run`] races each lookup against the deadline: a lookup that is still running
//! when the time is up is dropped (its future is never polled again) and the stream's last
//! item is `DEADLINE_EXCEEDED`, which tonic sends as the call's status in the trailers.
//! Checking `has_passed()` between two lookups only would not do: one slow lookup would
//! still keep the caller waiting long after it gave up. After the status the stream ends, so
//! tonic drops it, and the search with it: no work goes on for a caller that is gone.

use std::time::Duration;

use book_proto::ecommerce::Order;
use ch03_patterns::service::{Reply, ResponseStream};
use ch03_patterns::{OrderManagementService, OrderStore};
use common::deadline::Deadline;
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
    // Read before `into_inner`, which drops the metadata. `None`: the caller set no
    // deadline, and the search may take as long as it takes.
    let deadline = Deadline::of_call(request.metadata());
    let searching = Searching {
        source,
        query: request.into_inner(),
        last_id: None,
    };
    // The state is `None` once the status is sent, which ends the stream.
    let results = futures::stream::unfold(Some(searching), move |state| async move {
        let mut searching = state?;
        let found = match deadline {
            None => searching.next().await,
            Some(deadline) => match deadline.run(async { Ok(searching.next().await) }).await {
                Ok(found) => found,
                Err(status) => {
                    tracing::info!(
                        "searchOrders {:?}: the caller's deadline passed",
                        searching.query
                    );
                    return Some((Err(status), None));
                }
            },
        };
        Some((Ok(found?), Some(searching)))
    });
    Ok(Response::new(Box::pin(results)))
}
