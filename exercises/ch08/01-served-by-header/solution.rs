//! Exercise ch08/01 · 응답 헤더 미들웨어 (A middleware that tags every answer): a reference
//! solution.
//!
//! The header is put on the response as it comes back through the layer, so every answer
//! gets it, whatever produced it: a handler's message, a handler's error, or the router's
//! UNIMPLEMENTED for a method no service has. gRPC metadata is HTTP/2 headers, so on the
//! client it is `Response::metadata()` for an answer; for an error, tonic's `Status` carries
//! the headers of the (trailers-only) response in `Status::metadata()`.
//!
//! It goes in the headers, not the trailers: the headers are there for every call, an
//! answer's trailers come only after its messages, and a header is what proxies and load
//! balancers log.

use std::future::Future;
use std::task::{Context, Poll};

use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch02_productinfo::ProductInfoService;
use futures::future::BoxFuture;
use http::HeaderValue;
use http::header::{HeaderName, InvalidHeaderValue};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tower::{Layer, Service};

/// The header that names the server that answered.
pub const SERVED_BY: HeaderName = HeaderName::from_static("x-served-by");

/// Adds `x-served-by: <name>` to a server's answers.
#[derive(Debug, Clone)]
pub struct ServedByLayer {
    name: HeaderValue,
}

impl ServedByLayer {
    /// A layer naming the server `name`; fails when `name` cannot be a header value.
    pub fn new(name: &str) -> Result<Self, InvalidHeaderValue> {
        Ok(Self {
            name: HeaderValue::from_str(name)?,
        })
    }
}

impl<S> Layer<S> for ServedByLayer {
    type Service = ServedBy<S>;

    fn layer(&self, inner: S) -> ServedBy<S> {
        ServedBy {
            inner,
            name: self.name.clone(),
        }
    }
}

/// A service whose answers carry `x-served-by`.
#[derive(Debug, Clone)]
pub struct ServedBy<S> {
    inner: S,
    name: HeaderValue,
}

impl<S, B, R> Service<http::Request<B>> for ServedBy<S>
where
    S: Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let name = self.name.clone();
        let response = self.inner.call(request);
        Box::pin(async move {
            let mut response = response.await?;
            response.headers_mut().insert(SERVED_BY, name);
            Ok(response)
        })
    }
}

/// Serves chapter 2's ProductInfo on `listener`, as `name`, until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
    name: &str,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    Server::builder()
        .layer(ServedByLayer::new(name)?)
        .add_service(ProductInfoServer::new(ProductInfoService::default()))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await?;
    Ok(())
}
