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
//! * [`store`]: the orders, preloaded with the book's 102 to 106, safe under concurrent calls.
//! * [`service`]: the server side, one method per pattern; each streaming method returns a lazy
//!   stream, so a client that goes away stops the work at once.
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

/// Serves OrderManagement over `store` on `listener` until `shutdown` completes, then lets
/// the calls in flight finish.
pub async fn serve(
    listener: TcpListener,
    store: OrderStore,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    common::server::builder()
        .add_service(OrderManagementServer::new(OrderManagementService::new(
            store,
        )))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}
