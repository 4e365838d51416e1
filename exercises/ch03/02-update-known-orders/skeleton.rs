//! Exercise ch03/02 · 있는 주문만 수정하기 (Updating known orders only). The task is in
//! `README.md` beside this file; the checks are `tests/ch03_update_known_orders.rs`.
//!
//! [`KnownOrdersOnly`] serves the book's OrderManagement: `updateOrders` is its own, every
//! other method is chapter 3's, served by `ch05_advanced::orders::OrderService`. Its
//! `updateOrders` reads the client's stream like chapter 3's does and stores every order it
//! gets, so an order with an id nobody ever added is quietly created instead of refused.

use book_proto::ecommerce::Order;
use ch03_patterns::{OrderManagementService, OrderStore};
use ch05_advanced::orders::SampleOrders;
use tonic::{Request, Response, Status, Streaming};

/// OrderManagement whose `updateOrders` updates orders that exist, and nothing else.
#[derive(Debug, Clone)]
pub struct KnownOrdersOnly {
    /// The orders.
    store: OrderStore,
}

impl KnownOrdersOnly {
    /// The service over `store`.
    pub fn new(store: OrderStore) -> Self {
        Self { store }
    }
}

#[tonic::async_trait]
impl SampleOrders for KnownOrdersOnly {
    /// Client streaming: replaces every streamed order that exists and, once the client
    /// half-closes, answers with the ids it updated. The first order that does not exist
    /// ends the call with `NOT_FOUND`; the orders before it stay updated.
    async fn update_orders(
        &self,
        _orders: &OrderManagementService,
        request: Request<Streaming<Order>>,
    ) -> Result<Response<String>, Status> {
        let mut orders = request.into_inner();
        let mut updated = Vec::new();
        while let Some(order) = orders.message().await? {
            if order.id.is_empty() {
                return Err(Status::invalid_argument(format!(
                    "Order id is empty; updated before it: [{}]",
                    updated.join(", ")
                )));
            }
            // EXERCISE: an order that is not in `self.store` must not be stored: end the call
            // with `Status::not_found`, naming its id and the ids updated before it.
            tracing::info!("Order ID : {} - Updated", order.id);
            updated.push(order.id.clone());
            self.store.upsert(order);
        }
        Ok(Response::new(format!(
            "Orders processed Updated Order IDs : {}",
            updated.join(", ")
        )))
    }
}
