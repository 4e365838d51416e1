//! Chapter 3, 「gRPC 통신 패턴」 (gRPC Communication Patterns): one service, four patterns.
//!
//! The book's OrderManagement service has a method for each way gRPC can carry messages:
//!
//! | pattern | method | messages |
//! |---|---|---|
//! | simple (unary) RPC | `addOrder`, `getOrder` | one request, one response |
//! | server streaming | `searchOrders` | one request, a stream of responses |
//! | client streaming | `updateOrders` | a stream of requests, one response |
//! | bidirectional streaming | `processOrders` | two independent streams |
//!
//! What lives where:
//!
//! * [`store`]: the orders, preloaded with the book's 102 to 106, safe under concurrent calls,
//!   and the builder of the book's orders that every chapter uses.
//! * [`service`]: the server side, one method per pattern; each streaming method returns a lazy
//!   stream, so a client that goes away stops the work at once. It is the one order service
//!   of the book: chapter 5's samples and chapter 3's and 5's exercises configure it, each
//!   putting its own `addOrder`, `searchOrders` or `updateOrders` in place of chapter 3's
//!   (`OrderManagementService::with_add_order` and its siblings), and reuse the rest.
//! * [`search`]: the server-streaming search, stopped as soon as the client goes away.
//! * [`shipments`]: the bidirectional call's logic, grouping orders into combined shipments.
//! * [`client`]: the book's client flow, one function per call, used by `ch03-client`, the
//!   tests and the tour.
//! * [`text`]: orders and shipments printed the way the book's Go client logs them.
//! * [`serve`]: runs the service on a listener until a shutdown signal.
//! * `src/bin/ch03-server.rs` and `src/bin/ch03-client.rs`: the two programs of the chapter.

pub mod client;
pub mod search;
pub mod service;
pub mod shipments;
pub mod store;
pub mod text;

use std::future::Future;

use book_proto::ecommerce::order_management_server::OrderManagementServer;
use tokio::net::TcpListener;

pub use service::OrderManagementService;
pub use store::OrderStore;

/// Serves `orders` on `listener` until `shutdown` completes, then lets the calls in flight
/// finish. `orders` is an [`OrderStore`], served as the book does, or an
/// [`OrderManagementService`] a sample or an exercise configured.
pub async fn serve(
    listener: TcpListener,
    orders: impl Into<OrderManagementService>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    common::server::builder()
        .add_service(OrderManagementServer::new(orders.into()))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}
