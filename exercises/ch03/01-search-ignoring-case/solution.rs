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

use book_proto::ecommerce::order_management_server::OrderManagement;
use book_proto::ecommerce::{CombinedShipment, Order};
use ch03_patterns::service::ResponseStream;
use ch03_patterns::{OrderManagementService, OrderStore};
use tonic::{Request, Response, Status, Streaming};

/// OrderManagement whose `searchOrders` ignores case.
#[derive(Debug, Clone)]
pub struct CaseInsensitiveSearch {
    /// The orders, shared with `book`.
    store: OrderStore,
    /// Chapter 3's service over the same orders, for every other method.
    book: OrderManagementService,
}

impl CaseInsensitiveSearch {
    /// The service over `store`.
    pub fn new(store: OrderStore) -> Self {
        Self {
            book: OrderManagementService::new(store.clone()),
            store,
        }
    }
}

#[tonic::async_trait]
impl OrderManagement for CaseInsensitiveSearch {
    /// Unchanged: chapter 3's `addOrder`.
    async fn add_order(&self, request: Request<Order>) -> Result<Response<String>, Status> {
        self.book.add_order(request).await
    }

    /// Unchanged: chapter 3's `getOrder`.
    async fn get_order(&self, request: Request<String>) -> Result<Response<Order>, Status> {
        self.book.get_order(request).await
    }

    type searchOrdersStream = ResponseStream<Order>;

    /// Server streaming: every order with an item that contains the query, ignoring case, one
    /// message per order, in order of id. An empty query is `INVALID_ARGUMENT`.
    async fn search_orders(
        &self,
        request: Request<String>,
    ) -> Result<Response<Self::searchOrdersStream>, Status> {
        let query = request.into_inner();
        // Every item contains "", so an empty query would stream the whole store.
        if query.trim().is_empty() {
            return Err(Status::invalid_argument("the search query is empty"));
        }
        // Lower-cased once here, not once per item.
        let query = query.to_lowercase();
        let store = self.store.clone();
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

    /// Unchanged: chapter 3's `updateOrders`.
    async fn update_orders(
        &self,
        request: Request<Streaming<Order>>,
    ) -> Result<Response<String>, Status> {
        self.book.update_orders(request).await
    }

    type processOrdersStream = ResponseStream<CombinedShipment>;

    /// Unchanged: chapter 3's `processOrders`.
    async fn process_orders(
        &self,
        request: Request<Streaming<String>>,
    ) -> Result<Response<Self::processOrdersStream>, Status> {
        self.book.process_orders(request).await
    }
}
