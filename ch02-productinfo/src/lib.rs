//! Chapter 2, 「gRPC 시작」 (Getting Started with gRPC): the ProductInfo service.
//!
//! The book's first sample is an online store's product catalogue with two unary calls:
//! `addProduct` stores a product and answers with the id it gave it, `getProduct` answers
//! with the product for an id. The service definition is `proto/product_info.proto`; tonic
//! generates the server trait and the client stub from it at build time.
//!
//! What lives where:
//!
//! * [`service`]: the server side, the `ProductInfo` trait implemented over an in-memory
//!   catalogue ([`ProductInfoService`]).
//! * [`client`]: the book's client flow, add a product then get it back under one deadline.
//! * [`serve`]: runs the service on a listener until a shutdown signal, the one function
//!   that the server binary, the tests and the tour all call. It starts from
//!   `common::server::builder`, as every server of the workspace does: the limits a real
//!   service needs and the checks the gRPC spec asks of a server and tonic leaves out (a
//!   wrong content-type, a message over the size limit, a request cut short, an unknown
//!   method), which chapter 4 sends by hand.
//! * `src/bin/ch02-server.rs` and `src/bin/ch02-client.rs`: the two programs a reader runs
//!   in two terminals, as the book does with its Go server and client.

pub mod client;
pub mod service;

use std::future::Future;

use book_proto::ecommerce::product_info_server::ProductInfoServer;
use tokio::net::TcpListener;

pub use service::ProductInfoService;

pub use common::server::MAX_MESSAGE_SIZE;

/// Serves ProductInfo on `listener` until `shutdown` completes.
///
/// Shutdown is graceful: the server stops accepting connections, tells connected clients to
/// open no new calls (HTTP/2 GOAWAY), lets the calls in flight finish and then returns.
///
/// Requests that break the gRPC wire format get the statuses the spec calls for, from the
/// conformance layer `common::server::builder` puts in front of the service.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    common::server::builder()
        .add_service(
            ProductInfoServer::new(ProductInfoService::default())
                .max_decoding_message_size(MAX_MESSAGE_SIZE),
        )
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}
