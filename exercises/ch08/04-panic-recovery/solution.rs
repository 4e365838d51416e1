//! Exercise ch08/04 · 패닉 복구 미들웨어 (Recovering from a panicking handler): a reference
//! solution.
//!
//! A service can panic in two places: in `call`, while it builds its future (a layer that
//! checks something up front, say), and in the future, while the call is handled (tonic's
//! generated servers run the handler there). `std::panic::catch_unwind` catches the first,
//! `FutureExt::catch_unwind` the second; both answer the same INTERNAL status.
//!
//! The status is an ordinary gRPC answer, so the layers above (metrics, logging) see an
//! INTERNAL call like any other, and the connection, with the other calls on it, lives on.
//! The panic's message goes to the log and nowhere else.
//!
//! Both catches need the caught code to be `UnwindSafe`, which a service and its future
//! in general are not, so they are wrapped in `AssertUnwindSafe`. That is sound here: what
//! panicked is dropped with the panic and never used again, so nothing half-updated is
//! observed afterwards. (State shared beyond the call, behind a `Mutex`, is the service's
//! own business: a std `Mutex` poisons, which is why chapter 2's service recovers from it.)

use std::any::Any;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::task::{Context, Poll};

use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch08_ecosystem::middleware::fragile::FragileProductInfo;
use ch08_ecosystem::middleware::metrics::{Metrics, MetricsLayer};
use futures::FutureExt as _;
use futures::future::BoxFuture;
use tokio::net::TcpListener;
use tonic::Status;
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
        let called = panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(request)));
        match called {
            Ok(future) => Box::pin(async move {
                match AssertUnwindSafe(future).catch_unwind().await {
                    Ok(answered) => answered,
                    Err(payload) => Ok(recovered(payload.as_ref())),
                }
            }),
            // The answer is made inside the future: it need not be `Send`, the payload is.
            Err(payload) => Box::pin(async move { Ok(recovered(payload.as_ref())) }),
        }
    }
}

/// Logs the panic and makes the INTERNAL answer.
fn recovered<R: Default>(payload: &(dyn Any + Send)) -> http::Response<R> {
    tracing::error!("[recovery] handler panicked: {}", panic_message(payload));
    Status::internal(INTERNAL_MESSAGE).into_http()
}

/// A panic's message: `panic!("literal")` carries a `&'static str`, `panic!("{x}")` (and
/// most panics of the standard library, like an index out of bounds) a `String`.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "(a panic without a message)"
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
