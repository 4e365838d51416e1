//! Exercise ch03/01 · 대소문자 무시 검색 (A search that ignores case). The task is in
//! `README.md` beside this file; the checks are `tests/ch03_search_ignoring_case.rs`.
//!
//! [`CaseInsensitiveSearch`] serves the book's OrderManagement: `searchOrders` is its own,
//! every other method is chapter 3's, served by `ch05_advanced::orders::OrderService`. Its
//! search works like chapter 3's: case-sensitive, so `"google"` finds nothing, and an empty query finds
//! every order (every item contains `""`). That search is the one to change.

use book_proto::ecommerce::Order;
use ch03_patterns::service::ResponseStream;
use ch03_patterns::{OrderManagementService, OrderStore};
use ch05_advanced::orders::SampleOrders;
use tonic::{Request, Response, Status};

/// OrderManagement whose `searchOrders` ignores case.
#[derive(Debug, Clone)]
pub struct CaseInsensitiveSearch {
    /// The orders.
    store: OrderStore,
}

impl CaseInsensitiveSearch {
    /// The service over `store`.
    pub fn new(store: OrderStore) -> Self {
        Self { store }
    }
}

#[tonic::async_trait]
impl SampleOrders for CaseInsensitiveSearch {
    /// Server streaming: every order with an item that contains the query, ignoring case, one
    /// message per order, in order of id. An empty query is `INVALID_ARGUMENT`.
    async fn search_orders(
        &self,
        _orders: &OrderManagementService,
        request: Request<String>,
    ) -> Result<Response<ResponseStream<Order>>, Status> {
        let query = request.into_inner();
        // EXERCISE: refuse an empty (or blank) query with `Status::invalid_argument` before
        // anything is streamed, and make the match below ignore case (compare lower case with
        // lower case).
        let store = self.store.clone();
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
}
