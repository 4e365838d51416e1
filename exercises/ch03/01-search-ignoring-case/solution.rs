//! Exercise ch03/01 · 대소문자 무시 검색 (A search that ignores case): a reference solution.
//!
//! Two things decide what the client sees:
//!
//! * An error returned by the method itself, before any stream exists, reaches the client as
//!   the call's status with no message at all (a Trailers-Only response). That is the right
//!   place for "your request is wrong": nothing has been searched yet.
//! * The stream is lazy. [`std::iter::from_fn`] finds the next match only when tonic asks
//!   for the next message, so a client that reads two results and goes away costs two
//!   lookups, not a scan of the whole store. [`OrderStore::next_matching`] takes the lock for
//!   one step at a time, as chapter 3's own search does.

use book_proto::ecommerce::Order;
use ch03_patterns::service::{Reply, ResponseStream};
use ch03_patterns::{OrderManagementService, OrderStore};
use tonic::{Request, Response, Status};

/// Chapter 3's service over `store`, whose `searchOrders` is [`search_orders`].
pub fn service(store: OrderStore) -> OrderManagementService {
    OrderManagementService::new(store).with_search_orders(search_orders)
}

/// Server streaming: every order with an item that contains the query, ignoring case, one
/// message per order, in order of id. An empty query is `INVALID_ARGUMENT`.
pub async fn search_orders(
    store: OrderStore,
    request: Request<String>,
) -> Reply<ResponseStream<Order>> {
    let query = request.into_inner();
    // Every item contains "", so an empty query would stream the whole store.
    if query.trim().is_empty() {
        return Err(Status::invalid_argument("the search query is empty"));
    }
    // Lower-cased once here, not once per item.
    let query = query.to_lowercase();
    let mut last_id: Option<String> = None;
    let results = std::iter::from_fn(move || {
        let found = store.next_matching(last_id.as_deref(), |order| {
            order
                .items
                .iter()
                .any(|item| item.to_lowercase().contains(&query))
        })?;
        tracing::info!("Matching Order Found : {}", found.id);
        last_id = Some(found.id.clone());
        Some(Ok(found))
    });
    Ok(Response::new(Box::pin(futures::stream::iter(results))))
}
