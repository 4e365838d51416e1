//! Exercise ch07/02 · 호출 수 세기 (Counting calls in Prometheus): a reference solution.
//!
//! The call is counted when its response comes back through the layer, not when the
//! request goes in: only then is its status known. For a unary call that is as soon as the
//! response headers are there. A call that fails before answering is "trailers-only": its
//! `grpc-status` is in the headers. A call that answered has its status in the trailers,
//! after the message, and for a unary call that answered it is OK. (Streaming calls would
//! need the trailers read as they pass, as chapter 7's `MetricsLayer` does.)
//!
//! Counting before returning the response also means the count is there before the client
//! has its answer, so a scrape right after a call sees it.

use std::future::Future;
use std::task::{Context, Poll};

use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch02_productinfo::ProductInfoService;
use futures::future::BoxFuture;
use prometheus::{IntCounterVec, Opts, Registry};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Code, Status};
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
        let (service, method) = (service.to_owned(), method.to_owned());
        let calls = self.calls.clone();
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
            let code = code_label(status_code(&response));
            calls.with_label_values(&[&service, &method, code]).inc();
            Ok(response)
        })
    }
}

/// The code a unary call ended with: `grpc-status` in the response headers when it failed
/// before answering, OK otherwise.
fn status_code<R>(response: &http::Response<R>) -> Code {
    Status::from_header_map(response.headers()).map_or(Code::Ok, |status| status.code())
}

/// The code as grpc-go spells it (`codes.Code.String()`), which is what go-grpc-prometheus
/// puts in `grpc_code` and what dashboards written for it expect. tonic's `Debug` agrees
/// except for two: `Ok` is `OK` and `Cancelled` is `Canceled`.
fn code_label(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "Canceled",
        Code::Unknown => "Unknown",
        Code::InvalidArgument => "InvalidArgument",
        Code::DeadlineExceeded => "DeadlineExceeded",
        Code::NotFound => "NotFound",
        Code::AlreadyExists => "AlreadyExists",
        Code::PermissionDenied => "PermissionDenied",
        Code::ResourceExhausted => "ResourceExhausted",
        Code::FailedPrecondition => "FailedPrecondition",
        Code::Aborted => "Aborted",
        Code::OutOfRange => "OutOfRange",
        Code::Unimplemented => "Unimplemented",
        Code::Internal => "Internal",
        Code::Unavailable => "Unavailable",
        Code::DataLoss => "DataLoss",
        Code::Unauthenticated => "Unauthenticated",
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
