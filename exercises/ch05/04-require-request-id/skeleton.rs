//! Exercise ch05/04 · 요청 ID 강제하기 (Requiring a request id): a server layer. The task is
//! in `README.md` beside this file; the checks are `tests/ch05_require_request_id.rs`.
//!
//! [`serve`] runs chapter 3's order service, unchanged (the layer is the whole exercise),
//! behind [`RequireRequestIdLayer`], a tower layer: every call, whatever its kind, reaches
//! [`RequireRequestId::call`] as an HTTP request before any service sees it, and its
//! response passes back through the same place. For now the layer hands every request on and
//! every response back untouched. What it should check and add is the exercise.

use std::task::{Context, Poll};

use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::{OrderManagementService, OrderStore};
use futures::future::BoxFuture;
use tokio::net::TcpListener;
use tonic::body::Body;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tower::{Layer, Service};

/// The metadata key that carries a call's id: an HTTP/2 header like any other metadata.
pub const REQUEST_ID: &str = "x-request-id";

/// The layer that puts [`RequireRequestId`] around a server's services.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequireRequestIdLayer;

impl<S> Layer<S> for RequireRequestIdLayer {
    type Service = RequireRequestId<S>;

    fn layer(&self, inner: S) -> RequireRequestId<S> {
        RequireRequestId { inner }
    }
}

/// A server's services (tonic's router), behind the request id check.
#[derive(Debug, Clone)]
pub struct RequireRequestId<S> {
    inner: S,
}

impl<S> Service<http::Request<Body>> for RequireRequestId<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    /// Runs once per call, with the request's headers (the call's metadata); the body (the
    /// messages) streams on behind them.
    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        // EXERCISE: refuse a request without a (non-empty) `x-request-id` header with the
        // README's status, before `self.inner` sees it; and copy the id into the headers of
        // the response of every call that goes through.
        Box::pin(self.inner.call(request))
    }
}

/// Serves chapter 3's order service behind [`RequireRequestIdLayer`] on `listener` until
/// `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    Server::builder()
        .layer(RequireRequestIdLayer)
        .add_service(OrderManagementServer::new(OrderManagementService::new(
            OrderStore::book(),
        )))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await
}
