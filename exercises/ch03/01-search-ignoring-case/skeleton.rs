//! Exercise ch03/01 · 대소문자 무시 검색 (A search that ignores case). The task is in
//! `README.md` beside this file; the checks are `tests/ch03_search_ignoring_case.rs`.
//!
//! [`service`] serves the book's OrderManagement: chapter 3's service, with this file's
//! [`search_orders`] for `searchOrders` (`OrderManagementService::with_search_orders`); every
//! other method is chapter 3's. The search works like chapter 3's: case-sensitive, so
//! `"google"` finds nothing, and an empty query finds every order (every item contains `""`).
//! That search is the one to change.

use book_proto::ecommerce::Order;
use ch03_patterns::service::{Reply, ResponseStream};
use ch03_patterns::{OrderManagementService, OrderStore};
use tonic::{Request, Response};

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
    // EXERCISE: refuse an empty (or blank) query with `tonic::Status::invalid_argument`
    // before anything is streamed, and make the match below ignore case (compare lower case
    // with lower case).
    let mut last_id: Option<String> = None;
    // Lazy: the next match is looked up only when tonic asks for the next message.
    let results = std::iter::from_fn(move || {
        let found = store.next_matching(last_id.as_deref(), |order| {
            order.items.iter().any(|item| item.contains(&query))
        })?;
        tracing::info!("Matching Order Found : {}", found.id);
        last_id = Some(found.id.clone());
        Some(Ok(found))
    });
    Ok(Response::new(Box::pin(futures::stream::iter(results))))
}
