//! The server side of OrderManagement: one method per communication pattern.
//!
//! The unary methods and the client-streaming `updateOrders` are here; the server-streaming
//! search is in [`crate::search`] and the bidirectional processing in [`crate::shipments`].
//! Log lines use the book's Go server's words.
//!
//! This is the one order service of the whole book. The book's chapter 5 samples copy this
//! server and change one or two methods each (`addOrder` sleeps, checks the id, reads
//! metadata); chapter 3's exercises change `searchOrders` or `updateOrders`. Here they
//! configure it instead of copying it: [`OrderManagementService`] holds what `addOrder`,
//! `searchOrders` and `updateOrders` do as values, chapter 3's own [`add_order`],
//! [`search_orders`] and [`update_orders`] unless a `with_*` method puts another function in
//! their place. That function gets the store and the request, and may call chapter 3's own
//! to do the book's work around its own.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;

use book_proto::ecommerce::order_management_server::OrderManagement;
use book_proto::ecommerce::{CombinedShipment, Order};
use futures::Stream;
use futures::future::BoxFuture;
use tonic::{Request, Response, Status, Streaming};

use crate::search::Search;
use crate::shipments;
use crate::store::OrderStore;

/// The response stream type of the streaming methods: any stream of messages or a status.
pub type ResponseStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// What a method answers: a response, or the status the call fails with.
pub type Reply<T> = Result<Response<T>, Status>;

/// What one method does: given the store and the request, the reply.
type Method<Req, Res> =
    Arc<dyn Fn(OrderStore, Request<Req>) -> BoxFuture<'static, Reply<Res>> + Send + Sync>;

/// Boxes an async function of the store and the request into a [`Method`].
fn method<Req, Res, F, Fut>(method: F) -> Method<Req, Res>
where
    F: Fn(OrderStore, Request<Req>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply<Res>> + Send + 'static,
{
    Arc::new(move |store, request| Box::pin(method(store, request)))
}

/// OrderManagement over an [`OrderStore`]: chapter 3's methods, or the ones a sample or an
/// exercise put in with the `with_*` methods. Clones share the store.
#[derive(Clone)]
pub struct OrderManagementService {
    store: OrderStore,
    add_order: Method<Order, String>,
    search_orders: Method<String, ResponseStream<Order>>,
    update_orders: Method<Streaming<Order>, String>,
}

impl OrderManagementService {
    /// The book's service over `store`.
    pub fn new(store: OrderStore) -> Self {
        Self {
            store,
            add_order: method(add_order),
            search_orders: method(search_orders),
            update_orders: method(update_orders),
        }
    }

    /// The same service, with `add_order` doing `addOrder`.
    pub fn with_add_order<F, Fut>(mut self, add_order: F) -> Self
    where
        F: Fn(OrderStore, Request<Order>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply<String>> + Send + 'static,
    {
        self.add_order = method(add_order);
        self
    }

    /// The same service, with `search_orders` doing `searchOrders`.
    pub fn with_search_orders<F, Fut>(mut self, search_orders: F) -> Self
    where
        F: Fn(OrderStore, Request<String>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply<ResponseStream<Order>>> + Send + 'static,
    {
        self.search_orders = method(search_orders);
        self
    }

    /// The same service, with `update_orders` doing `updateOrders`.
    pub fn with_update_orders<F, Fut>(mut self, update_orders: F) -> Self
    where
        F: Fn(OrderStore, Request<Streaming<Order>>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply<String>> + Send + 'static,
    {
        self.update_orders = method(update_orders);
        self
    }
}

impl From<OrderStore> for OrderManagementService {
    fn from(store: OrderStore) -> Self {
        Self::new(store)
    }
}

impl fmt::Debug for OrderManagementService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrderManagementService")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

/// Simple RPC: stores the order (replacing one with the same id) and answers
/// `Order Added: <id>`.
pub async fn add_order(store: OrderStore, request: Request<Order>) -> Reply<String> {
    let order = request.into_inner();
    if order.id.is_empty() {
        return Err(Status::invalid_argument("Order id is empty"));
    }
    tracing::info!("Order Added. ID : {}", order.id);
    let reply = format!("Order Added: {}", order.id);
    store.upsert(order);
    Ok(Response::new(reply))
}

/// Server streaming: every order with an item containing the query, by id.
pub async fn search_orders(
    store: OrderStore,
    request: Request<String>,
) -> Reply<ResponseStream<Order>> {
    let search = Search::new(store, request.into_inner());
    Ok(Response::new(Box::pin(futures::stream::iter(
        search.map(Ok),
    ))))
}

/// Client streaming: upserts every order the client streams and, once the client
/// half-closes, answers with the ids it updated.
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
        tracing::info!("Order ID : {} - Updated", order.id);
        updated.push(order.id.clone());
        store.upsert(order);
    }
    Ok(Response::new(format!(
        "Orders processed Updated Order IDs : {}",
        updated.join(", ")
    )))
}

#[tonic::async_trait]
impl OrderManagement for OrderManagementService {
    async fn add_order(&self, request: Request<Order>) -> Reply<String> {
        (self.add_order)(self.store.clone(), request).await
    }

    /// Simple RPC: the order with this id, or `NOT_FOUND` naming the id.
    async fn get_order(&self, request: Request<String>) -> Reply<Order> {
        let id = request.into_inner();
        match self.store.get(&id) {
            Some(order) => Ok(Response::new(order)),
            None => Err(Status::not_found(format!("Order does not exist: {id}"))),
        }
    }

    type searchOrdersStream = ResponseStream<Order>;

    async fn search_orders(&self, request: Request<String>) -> Reply<Self::searchOrdersStream> {
        (self.search_orders)(self.store.clone(), request).await
    }

    async fn update_orders(&self, request: Request<Streaming<Order>>) -> Reply<String> {
        (self.update_orders)(self.store.clone(), request).await
    }

    type processOrdersStream = ResponseStream<CombinedShipment>;

    /// Bidirectional streaming: combined shipments, every three orders and at the end.
    async fn process_orders(
        &self,
        request: Request<Streaming<String>>,
    ) -> Reply<Self::processOrdersStream> {
        let shipments = shipments::process(self.store.clone(), request.into_inner());
        Ok(Response::new(Box::pin(shipments)))
    }
}
