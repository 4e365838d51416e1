//! Exercise ch07/02 · 호출 수 세기 (Counting calls in Prometheus). The task is in `README.md`
//! beside this file; the checks are `tests/ch07_call_counter.rs`.
//!
//! [`CallCounterLayer`] is a tower layer for a server's routes
//! (`Server::builder().layer(..)`): every call passes through [`CallCounter::call`] as an
//! HTTP request, and its answer comes back there as an HTTP response. The counter,
//! [`CALLS_TOTAL`], is registered; [`serve`] puts the layer in front of chapter 2's
//! ProductInfo. What is wrong is *when* the call is counted, and so with which code.

use std::future::Future;
use std::task::{Context, Poll};

use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch02_productinfo::ProductInfoService;
use futures::future::BoxFuture;
use prometheus::{IntCounterVec, Opts, Registry};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tower::{Layer, Service};

/// The counter's name: calls handled, per service, method and status code.
pub const CALLS_TOTAL: &str = "productinfo_calls_total";

/// Counts the calls of a server in [`CALLS_TOTAL`], labelled `grpc_service`,
/// `grpc_method` and `grpc_code` (go-grpc-prometheus's names: `OK`, `NotFound`, ...).
#[derive(Debug, Clone)]
pub struct CallCounterLayer {
    calls: IntCounterVec,
}

impl CallCounterLayer {
    /// Creates the counter and registers it in `registry`.
    pub fn register(registry: &Registry) -> prometheus::Result<Self> {
        let calls = IntCounterVec::new(
            Opts::new(CALLS_TOTAL, "Calls handled, per method and status code."),
            &["grpc_service", "grpc_method", "grpc_code"],
        )?;
        registry.register(Box::new(calls.clone()))?;
        Ok(Self { calls })
    }
}

impl<S> Layer<S> for CallCounterLayer {
    type Service = CallCounter<S>;

    fn layer(&self, inner: S) -> CallCounter<S> {
        CallCounter {
            inner,
            calls: self.calls.clone(),
        }
    }
}

/// A service whose calls are counted.
#[derive(Debug, Clone)]
pub struct CallCounter<S> {
    inner: S,
    calls: IntCounterVec,
}

impl<S, B, R> Service<http::Request<B>> for CallCounter<S>
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
        // "/ecommerce.ProductInfo/getProduct" -> ("ecommerce.ProductInfo", "getProduct").
        let path = request.uri().path().trim_start_matches('/');
        let (service, method) = path.split_once('/').unwrap_or((path, ""));
        // EXERCISE: this counts the call as it arrives, before anyone knows how it ends, so
        // every call reads as OK. Count it once its response is there, under the code it
        // ended with.
        self.calls.with_label_values(&[service, method, "OK"]).inc();
        let response = self.inner.call(request);
        Box::pin(response)
    }
}

/// Serves chapter 2's ProductInfo on `listener` behind `layer` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
    layer: CallCounterLayer,
) -> Result<(), tonic::transport::Error> {
    Server::builder()
        .layer(layer)
        .add_service(ProductInfoServer::new(ProductInfoService::default()))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await
}
