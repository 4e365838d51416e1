//! Exercise ch03/02 · 있는 주문만 수정하기 (Updating known orders only): a reference solution.
//!
//! A client stream is read one message at a time, and each one is applied as it arrives:
//! the server never holds the whole stream. So when an unknown id turns up, the orders before
//! it are already stored, and the answer says which ones they were. The orders after it are
//! never read: returning `Err` ends the call, and what the client still sends is dropped
//! unread.
//!
//! `OrderStore` never removes an order, so "it exists" cannot turn false between the
//! [`OrderStore::get`] and the [`OrderStore::upsert`] below. A store with deletes would need
//! the check and the write under one lock (an "update if present" operation).

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
        // An update must not create an order: `addOrder` does that.
        if store.get(&order.id).is_none() {
            return Err(Status::not_found(format!(
                "Order does not exist: {}; updated before it: [{}]",
                order.id,
                updated.join(", ")
            )));
        }
        tracing::info!("Order ID : {} - Updated", order.id);
        updated.push(order.id.clone());
        store.upsert(order);
    }
    Ok(Response::new(format!(
        "Orders processed Updated Order IDs : {}",
        updated.join(", ")
    )))
}
