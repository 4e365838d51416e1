//! Exercise ch03/02 · 있는 주문만 수정하기 (Updating known orders only). The task is in
//! `README.md` beside this file; the checks are `tests/ch03_update_known_orders.rs`.
//!
//! [`service`] serves the book's OrderManagement: chapter 3's service, with this file's
//! [`update_orders`] for `updateOrders` (`OrderManagementService::with_update_orders`); every
//! other method is chapter 3's. That `updateOrders` reads the client's stream like chapter 3's
//! does and stores every order it gets, so an order with an id nobody ever added is quietly
//! created instead of refused.

use book_proto::ecommerce::Order;
use ch03_patterns::service::Reply;
use ch03_patterns::{OrderManagementService, OrderStore};
use tonic::{Request, Response, Status, Streaming};

/// Chapter 3's service over `store`, whose `updateOrders` is [`update_orders`].
pub fn service(store: OrderStore) -> OrderManagementService {
    OrderManagementService::new(store).with_update_orders(update_orders)
}

/// Client streaming: replaces every streamed order that exists and, once the client
/// half-closes, answers with the ids it updated. The first order that does not exist
/// ends the call with `NOT_FOUND`; the orders before it stay updated.
pub async fn update_orders(store: OrderStore, request: Request<Streaming<Order>>) -> Reply<String> {
    let mut orders = request.into_inner();
    let mut updated = Vec::new();
    while let Some(order) = orders.message().await? {
        if order.id.is_empty() {
            return Err(Status::invalid_argument(format!(
                "Order id is empty; updated before it: [{}]",
                updated.join(", ")
            )));
        }
        // EXERCISE: an order that is not in `store` must not be stored: end the call
        // with `Status::not_found`, naming its id and the ids updated before it.
        tracing::info!("Order ID : {} - Updated", order.id);
        updated.push(order.id.clone());
        store.upsert(order);
    }
    Ok(Response::new(format!(
        "Orders processed Updated Order IDs : {}",
        updated.join(", ")
    )))
}
