//! Exercise ch07/04 · 추적 컨텍스트 전파하기 (Propagating the trace context). The task is in
//! `README.md` beside this file; the checks are `tests/ch07_propagate_traceparent.rs`.
//!
//! [`FrontProductInfo`] is a server that calls another server: it serves ProductInfo by
//! handing each call on to a backend ProductInfo. It opens a span for each call it hands
//! on, but that span starts a trace of its own, and nothing of it reaches the backend: a
//! tracing backend shows the caller, the front and the backend as three unrelated traces.

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::product_info_server::ProductInfo;
use book_proto::ecommerce::{Product, ProductId};
use common::channel::Channel;
use opentelemetry::trace::{Status as SpanStatus, TraceContextExt, Tracer, TracerProvider as _};
use opentelemetry::{Context, KeyValue};
use opentelemetry_sdk::trace::{SdkTracer, SdkTracerProvider};
use tonic::{Request, Response, Status};

/// The service the front serves and calls, for its spans' names.
const SERVICE: &str = "ecommerce.ProductInfo";

/// ProductInfo served by handing every call on to a backend.
#[derive(Debug, Clone)]
pub struct FrontProductInfo {
    backend: ProductInfoClient<Channel>,
    tracer: SdkTracer,
}

impl FrontProductInfo {
    /// A front for the ProductInfo server at the other end of `backend`.
    ///
    /// Its spans go nowhere (the provider has no exporter; chapter 7's `Telemetry` is what
    /// a binary would use), but they are sampled and have real ids, which is all that
    /// propagation needs.
    pub fn new(backend: Channel) -> Self {
        let provider = SdkTracerProvider::builder().build();
        Self {
            backend: ProductInfoClient::new(backend),
            tracer: provider.tracer("exercises-ch07-front"),
        }
    }

    /// The request to send to the backend for the incoming `request`, and the context of
    /// the span opened for the onward call (`method` names it).
    fn onward<T>(&self, method: &str, request: Request<T>) -> (Request<T>, Context) {
        // EXERCISE: the span's parent should be the caller's span, read from the incoming
        // `traceparent` (and `tracestate`); and the onward request should carry this span
        // in its own `traceparent`. Chapter 7's `telemetry::propagation` reads and writes
        // them.
        let span = self.tracer.start(format!("{SERVICE}/{method}"));
        let cx = Context::new().with_span(span);
        (Request::new(request.into_inner()), cx)
    }
}

/// Records how the onward call ended in its span, and ends the span.
fn finish<T>(cx: &Context, answer: &Result<Response<T>, Status>) {
    let span = cx.span();
    if let Err(status) = answer {
        span.set_attribute(KeyValue::new("rpc.grpc.status_code", status.code() as i64));
        span.set_status(SpanStatus::error(status.message().to_owned()));
    }
    span.end();
}

#[tonic::async_trait]
impl ProductInfo for FrontProductInfo {
    /// Hands the call on to the backend.
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        let (onward, cx) = self.onward("addProduct", request);
        let answer = self.backend.clone().add_product(onward).await;
        finish(&cx, &answer);
        answer
    }

    /// Hands the call on to the backend.
    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        let (onward, cx) = self.onward("getProduct", request);
        let answer = self.backend.clone().get_product(onward).await;
        finish(&cx, &answer);
        answer
    }
}
