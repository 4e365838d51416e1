//! Exercise ch05/04 · 요청 ID 강제하기 (Requiring a request id): a reference solution.
//!
//! **Why a tower layer.** A tonic `Interceptor` could do the refusing half: tonic runs it for
//! every kind of call, streaming ones included, as long as it is installed on every service
//! (`with_interceptor`). It cannot do the other half: it sees the request's metadata and
//! never the response, so it cannot echo the id back. A tower layer around the whole server
//! (`Server::builder().layer(..)`) sees both, for every service on the server at once, so a
//! service added later cannot be forgotten.
//!
//! **Why `INVALID_ARGUMENT`.** The call is malformed: a piece of it the server requires is
//! missing, whatever the server's state and whoever the caller is, and sending it again
//! unchanged cannot succeed. That is `INVALID_ARGUMENT`. The neighbours would mislead the
//! client: `FAILED_PRECONDITION` is for a system not in the state the call needs (the call
//! might work later, or after another call); `UNAUTHENTICATED` and `PERMISSION_DENIED` are
//! about credentials, and would send a well-behaved client off to refresh its token; and
//! `UNAVAILABLE` invites a retry that fails again.
//!
//! **How the refusal looks on the wire.** A layer below tonic's codecs speaks HTTP, so it
//! answers with what tonic would send for an `Err(status)`: HTTP 200 with `grpc-status` and
//! `grpc-message` in the headers and no body (a "trailers-only" response).
//! `Status::into_http` builds exactly that. Because the refusal happens before the request
//! body is read, a streaming call is refused before any of its messages reaches the service.

use std::task::{Context, Poll};

use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::{OrderManagementService, OrderStore};
use futures::future::BoxFuture;
use http::HeaderValue;
use tokio::net::TcpListener;
use tonic::Status;
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
    ///
    /// A call without a usable id ends here with `INVALID_ARGUMENT`; any other goes on, and
    /// its response, success or error, carries the id back in its headers.
    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let Some(id) = request_id(&request) else {
            let refusal = Status::invalid_argument(format!(
                "every call needs {REQUEST_ID} metadata, and this one has none"
            ));
            return Box::pin(std::future::ready(Ok(refusal.into_http())));
        };
        let response = self.inner.call(request);
        Box::pin(async move {
            let mut response = response.await?;
            response.headers_mut().insert(REQUEST_ID, id);
            Ok(response)
        })
    }
}

/// The call's `x-request-id`, if it has one that is not blank.
fn request_id(request: &http::Request<Body>) -> Option<HeaderValue> {
    request
        .headers()
        .get(REQUEST_ID)
        .filter(|id| !id.as_bytes().trim_ascii().is_empty())
        .cloned()
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
