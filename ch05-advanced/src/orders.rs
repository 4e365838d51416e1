//! Chapter 3's OrderManagement service, with a sample's own twist on one or two methods.
//!
//! Most chapter 5 samples change one thing about the order service: `addOrder` sleeps (the
//! deadline sample), checks the id (error handling), reads and sends metadata (metadata). The
//! book copies the whole Go server into each sample; here each sample implements
//! [`SampleOrders`] for just the methods it changes, and [`OrderService`] passes every other
//! call to chapter 3's [`OrderManagementService`] unchanged. Chapter 3's exercises change
//! `searchOrders` and `updateOrders` the same way.

use book_proto::ecommerce::order_management_server::{OrderManagement, OrderManagementServer};
use book_proto::ecommerce::{CombinedShipment, Order};
use ch03_patterns::service::ResponseStream;
use ch03_patterns::{OrderManagementService, OrderStore};
use tokio::net::TcpListener;
use tonic::{Request, Response, Status, Streaming};

/// What a sample changes about the order service. Every method defaults to chapter 3's.
#[tonic::async_trait]
pub trait SampleOrders: Send + Sync + 'static {
    /// `addOrder`; `orders` is chapter 3's service, to delegate to.
    async fn add_order(
        &self,
        orders: &OrderManagementService,
        request: Request<Order>,
    ) -> Result<Response<String>, Status> {
        orders.add_order(request).await
    }

    /// `searchOrders`; `orders` is chapter 3's service, to delegate to.
    async fn search_orders(
        &self,
        orders: &OrderManagementService,
        request: Request<String>,
    ) -> Result<Response<ResponseStream<Order>>, Status> {
        orders.search_orders(request).await
    }

    /// `updateOrders`; `orders` is chapter 3's service, to delegate to.
    async fn update_orders(
        &self,
        orders: &OrderManagementService,
        request: Request<Streaming<Order>>,
    ) -> Result<Response<String>, Status> {
        orders.update_orders(request).await
    }
}

/// Serves the order service of `sample` on `listener` until `shutdown` completes.
pub async fn serve<S: SampleOrders>(
    listener: TcpListener,
    sample: S,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    common::server::builder()
        .add_service(OrderService::book(sample))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}

/// Chapter 3's service with `S`'s changes.
pub struct OrderService<S> {
    orders: OrderManagementService,
    sample: S,
}

impl<S: SampleOrders> OrderService<S> {
    /// The order service over the book's orders, changed by `sample`, ready to add to a server.
    pub fn book(sample: S) -> OrderManagementServer<Self> {
        Self::over(OrderStore::book(), sample)
    }

    /// The order service over `store`, changed by `sample`, ready to add to a server.
    pub fn over(store: OrderStore, sample: S) -> OrderManagementServer<Self> {
        OrderManagementServer::new(Self {
            orders: OrderManagementService::new(store),
            sample,
        })
    }
}

#[tonic::async_trait]
impl<S: SampleOrders> OrderManagement for OrderService<S> {
    async fn add_order(&self, request: Request<Order>) -> Result<Response<String>, Status> {
        self.sample.add_order(&self.orders, request).await
    }

    async fn get_order(&self, request: Request<String>) -> Result<Response<Order>, Status> {
        self.orders.get_order(request).await
    }

    type searchOrdersStream = ResponseStream<Order>;

    async fn search_orders(
        &self,
        request: Request<String>,
    ) -> Result<Response<Self::searchOrdersStream>, Status> {
        self.sample.search_orders(&self.orders, request).await
    }

    async fn update_orders(
        &self,
        request: Request<Streaming<Order>>,
    ) -> Result<Response<String>, Status> {
        self.sample.update_orders(&self.orders, request).await
    }

    type processOrdersStream = ResponseStream<CombinedShipment>;

    async fn process_orders(
        &self,
        request: Request<Streaming<String>>,
    ) -> Result<Response<Self::processOrdersStream>, Status> {
        self.orders.process_orders(request).await
    }
}
