//! Server streaming (book section "서버 스트리밍 RPC"): `searchOrders`.
//!
//! One request, a stream of responses: every order with an item containing the query, one
//! message per order, in order of id. The search is an [`Iterator`] that finds the next match
//! only when tonic asks for the next message, and tonic asks only while the client is there
//! and HTTP/2 flow control has room. When the client goes away tonic drops the stream, the
//! search with it, and the work stops between two orders; [`Drop`] logs that it did.

use book_proto::ecommerce::Order;

use crate::store::OrderStore;

/// A search in progress over the store.
pub struct Search {
    store: OrderStore,
    query: String,
    last_id: Option<String>,
    sent: usize,
    finished: bool,
}

impl Search {
    /// A search for orders with an item containing `query`.
    pub fn new(store: OrderStore, query: String) -> Self {
        Self {
            store,
            query,
            last_id: None,
            sent: 0,
            finished: false,
        }
    }
}

impl Iterator for Search {
    type Item = Order;

    fn next(&mut self) -> Option<Order> {
        let query = &self.query;
        let found = self.store.next_matching(self.last_id.as_deref(), |order| {
            order.items.iter().any(|item| item.contains(query.as_str()))
        });
        match &found {
            Some(order) => {
                tracing::info!("Matching Order Found : {}", order.id);
                self.last_id = Some(order.id.clone());
                self.sent += 1;
            }
            None => self.finished = true,
        }
        found
    }
}

impl Drop for Search {
    fn drop(&mut self) {
        if !self.finished {
            tracing::info!(
                "searchOrders {:?} stopped after {} orders: the client went away",
                self.query,
                self.sent
            );
        }
    }
}
