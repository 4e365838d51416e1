//! The chapter's server: chapter 2's ProductInfo and chapter 3's OrderManagement, secured.
//!
//! Every sample serves the same two services; only [`ServerSecurity`] changes. The book's
//! chapter 6 servers serve ProductInfo alone. OrderManagement is here because its streaming
//! methods show that call credentials are checked on every kind of call, not only on unary
//! ones.

use std::future::Future;

use book_proto::ecommerce::order_management_server::OrderManagementServer;
use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch02_productinfo::ProductInfoService;
use ch03_patterns::{OrderManagementService, OrderStore};
use tokio::net::TcpListener;
use tonic::service::interceptor::InterceptedService;
use tonic::service::{Routes, RoutesBuilder};
use tonic::transport::ServerTlsConfig;

use crate::auth::CallAuth;
use crate::roles::RoleChecked;

/// How a server secures its calls.
#[derive(Clone)]
pub struct ServerSecurity {
    /// The TLS handshake: the server's certificate, and whether clients must show one.
    pub tls: ServerTlsConfig,
    /// The check of every call's credentials, if the sample has call authentication.
    pub calls: Option<CallAuth>,
}

/// Serves ProductInfo and OrderManagement over TLS on `listener` until `shutdown`
/// completes, then lets the calls in flight finish.
///
/// A connection that fails its handshake (a plaintext client, no client certificate, a
/// certificate from another CA) is closed, and the server goes on serving the others.
pub async fn serve(
    listener: TcpListener,
    security: ServerSecurity,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    common::server::builder()
        .tls_config(security.tls)?
        .add_routes(services(security.calls))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}

/// The two services, each behind the credential check when there is one: the same
/// interceptor guards ProductInfo's unary calls and OrderManagement's streams, and the same
/// [`RoleChecked`] holds every method of both to the role policy.
fn services(calls: Option<CallAuth>) -> Routes {
    let products = ProductInfoService::default();
    let orders = OrderManagementService::new(OrderStore::book());
    let mut routes = RoutesBuilder::default();
    match calls {
        None => {
            routes
                .add_service(ProductInfoServer::new(products))
                .add_service(OrderManagementServer::new(orders));
        }
        Some(auth) => {
            routes
                .add_service(InterceptedService::new(
                    RoleChecked::new(ProductInfoServer::new(products)),
                    auth.clone(),
                ))
                .add_service(InterceptedService::new(
                    RoleChecked::new(OrderManagementServer::new(orders)),
                    auth,
                ));
        }
    }
    routes.routes()
}
