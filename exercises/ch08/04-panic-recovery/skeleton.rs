//! Exercise ch08/04 · 패닉 복구 미들웨어 (Recovering from a panicking handler). The task is in
//! `README.md` beside this file; the checks are `tests/ch08_panic_recovery.rs`.
//!
//! [`RecoveryLayer`] is a tower layer for a server's routes (`Server::builder().layer(..)`),
//! meant to sit innermost, right around the services. For now it only hands each call on:
//! a handler that panics takes the call down with it, and the client gets a transport
//! error instead of a gRPC status. [`serve`] puts it under chapter 8's metrics layer, in
//! front of chapter 8's `FragileProductInfo`, whose `addProduct` panics on an empty name.

use std::future::Future;
use std::task::{Context, Poll};

use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch08_ecosystem::middleware::fragile::FragileProductInfo;
use ch08_ecosystem::middleware::metrics::{Metrics, MetricsLayer};
use futures::future::BoxFuture;
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tower::{Layer, Service};

/// The message a client gets for a call whose handler panicked. It says nothing of the
/// panic: what went wrong inside is for the server's log, not for every client.
pub const INTERNAL_MESSAGE: &str = "the server hit an internal error";

/// Wraps a service with [`Recovering`].
#[derive(Debug, Clone, Copy, Default)]
pub struct RecoveryLayer;

impl<S> Layer<S> for RecoveryLayer {
    type Service = Recovering<S>;

    fn layer(&self, inner: S) -> Recovering<S> {
        Recovering { inner }
    }
}

/// Answers INTERNAL for a call whose service panicked, and logs the panic.
#[derive(Debug, Clone)]
pub struct Recovering<S> {
    inner: S,
}

impl<S, B, R> Service<http::Request<B>> for Recovering<S>
where
    S: Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
    R: Default,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        // EXERCISE: a panic in the inner service, whether in `call` itself or while its
        // future runs, must become an INTERNAL status with `INTERNAL_MESSAGE`, and the panic's
        // message must be logged at ERROR level (`tracing::error!`).
        Box::pin(self.inner.call(request))
    }
}

/// Serves chapter 8's `FragileProductInfo` on `listener` until `shutdown` completes, behind
/// chapter 8's metrics layer (counting into `metrics`) and then the recovery layer.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
    metrics: Metrics,
) -> Result<(), tonic::transport::Error> {
    Server::builder()
        .layer(MetricsLayer::new(metrics))
        .layer(RecoveryLayer)
        .add_service(ProductInfoServer::new(FragileProductInfo::default()))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await
}
