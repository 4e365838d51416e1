//! The server side of OrderManagement: one method per communication pattern.
//!
//! The unary methods and the client-streaming `updateOrders` are here; the server-streaming
//! search is in [`crate::search`] and the bidirectional processing in [`crate::shipments`].
//! Log lines use the book's Go server's words.

use std::pin::Pin;

use book_proto::ecommerce::order_management_server::OrderManagement;
use book_proto::ecommerce::{CombinedShipment, Order};
use futures::Stream;
use tonic::{Request, Response, Status, Streaming};

use crate::search::Search;
use crate::shipments;
use crate::store::OrderStore;

/// The response stream type of the streaming methods: any stream of messages or a status.
pub type ResponseStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// OrderManagement over an [`OrderStore`].
#[derive(Debug, Clone)]
pub struct OrderManagementService {
    store: OrderStore,
}

impl OrderManagementService {
    /// The service over `store`.
    pub fn new(store: OrderStore) -> Self {
        Self { store }
    }
}

#[tonic::async_trait]
impl OrderManagement for OrderManagementService {
    /// Simple RPC: stores the order (replacing one with the same id) and answers
    /// `Order Added: <id>`.
    async fn add_order(&self, request: Request<Order>) -> Result<Response<String>, Status> {
        let order = request.into_inner();
        if order.id.is_empty() {
            return Err(Status::invalid_argument("Order id is empty"));
        }
        tracing::info!("Order Added. ID : {}", order.id);
        let reply = format!("Order Added: {}", order.id);
        self.store.upsert(order);
        Ok(Response::new(reply))
    }

    /// Simple RPC: the order with this id, or `NOT_FOUND` naming the id.
    async fn get_order(&self, request: Request<String>) -> Result<Response<Order>, Status> {
        let id = request.into_inner();
        match self.store.get(&id) {
            Some(order) => Ok(Response::new(order)),
            None => Err(Status::not_found(format!("Order does not exist: {id}"))),
        }
    }

    type searchOrdersStream = ResponseStream<Order>;

    /// Server streaming: every order with an item containing the query, by id.
    async fn search_orders(
        &self,
        request: Request<String>,
    ) -> Result<Response<Self::searchOrdersStream>, Status> {
        let search = Search::new(self.store.clone(), request.into_inner());
        Ok(Response::new(Box::pin(futures::stream::iter(
            search.map(Ok),
        ))))
    }

    /// Client streaming: upserts every order the client streams and, once the client
    /// half-closes, answers with the ids it updated.
    async fn update_orders(
        &self,
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
            tracing::info!("Order ID : {} - Updated", order.id);
            updated.push(order.id.clone());
            self.store.upsert(order);
        }
        Ok(Response::new(format!(
            "Orders processed Updated Order IDs : {}",
            updated.join(", ")
        )))
    }

    type processOrdersStream = ResponseStream<CombinedShipment>;

    /// Bidirectional streaming: combined shipments, every three orders and at the end.
    async fn process_orders(
        &self,
        request: Request<Streaming<String>>,
    ) -> Result<Response<Self::processOrdersStream>, Status> {
        let shipments = shipments::process(self.store.clone(), request.into_inner());
        Ok(Response::new(Box::pin(shipments)))
    }
}
