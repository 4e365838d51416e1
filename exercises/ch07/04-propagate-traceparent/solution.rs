//! Exercise ch07/04 · 추적 컨텍스트 전파하기 (Propagating the trace context): a reference
//! solution.
//!
//! A trace crosses a process in two steps, and a server in the middle does both: it
//! *extracts* the caller's span from the incoming metadata and makes it the parent of its
//! own span, then *injects* its own span into the outgoing metadata. The W3C `traceparent`
//! that leaves therefore keeps the trace id and the sampling decision that arrived, but
//! names the front's span as the parent (`00-<same trace id>-<front's span id>-<same
//! flags>`): the backend's span becomes the front's child, not the caller's, and the
//! tracing backend draws the three as one tree. `tracestate` (vendors' entries) rides along
//! unchanged.
//!
//! Copying the incoming header onto the outgoing request would keep the trace id too, but
//! it would make the backend a child of the caller and leave the front out of the tree.

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::product_info_server::ProductInfo;
use book_proto::ecommerce::{Product, ProductId};
use ch07_ops::telemetry::propagation;
use common::channel::Channel;
use opentelemetry::trace::{
    SpanKind, Status as SpanStatus, TraceContextExt, Tracer, TracerProvider as _,
};
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
        // No valid `traceparent` (none, or garbage) gives an empty context: the span then
        // starts a new trace, which is right for a call that came without one.
        let parent = propagation::extract(request.metadata().as_ref());
        let span = self
            .tracer
            .span_builder(format!("{SERVICE}/{method}"))
            .with_kind(SpanKind::Client)
            .start_with_context(&self.tracer, &parent);
        let cx = parent.with_span(span);
        // A fresh request: the incoming metadata (its `grpc-timeout`, `traceparent`, ...)
        // is the caller's and is not forwarded wholesale, only what the front means to pass.
        let mut onward = Request::new(request.into_inner());
        propagation::inject(&cx, onward.metadata_mut().as_mut());
        (onward, cx)
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
