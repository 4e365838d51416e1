//! The tower layer that opens a span per call: the counterpart of grpc-go's OpenTelemetry
//! stats handlers (and of the book's `ocgrpc.ServerHandler` / `ClientHandler`), one layer
//! for both sides.
//!
//! On a client's channel the span's parent is the caller's current span, and the span goes
//! out in the call's metadata ([`propagation::inject`]). On a server's routes the parent is
//! what arrived in the metadata ([`propagation::extract`]), and the handler runs inside the
//! span, so spans it opens are its children. Either way the span is named
//! `package.Service/method` with the `rpc.*` attributes of OpenTelemetry's RPC conventions,
//! and ends when the call's `grpc-status` passes: in the response headers (an error with no
//! messages) or in the trailers after the last message.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use bytes::Bytes;
use http_body::Frame;
use opentelemetry::context::FutureExt as _;
use opentelemetry::trace::{SpanKind, Status, TraceContextExt, Tracer};
use opentelemetry::{Context, KeyValue};
use opentelemetry_sdk::trace::SdkTracer;
use tonic::Code;
use tonic::body::Body;
use tower::{Layer, Service};

use super::propagation;
use wire::status::status_in;

/// The attribute that holds the call's numeric status code.
pub const STATUS_CODE_ATTRIBUTE: &str = "rpc.grpc.status_code";

/// Opens a span per call on a server's routes ([`TracingLayer::server`]) or a client's
/// channel ([`TracingLayer::client`]).
#[derive(Debug, Clone)]
pub struct TracingLayer {
    tracer: SdkTracer,
    kind: SpanKind,
}

impl TracingLayer {
    /// For `Server::builder().layer(..)`: spans are children of the caller's.
    pub fn server(tracer: SdkTracer) -> Self {
        Self {
            tracer,
            kind: SpanKind::Server,
        }
    }

    /// For a client's channel: spans are children of the current span, and are sent along.
    pub fn client(tracer: SdkTracer) -> Self {
        Self {
            tracer,
            kind: SpanKind::Client,
        }
    }
}

impl<S> Layer<S> for TracingLayer {
    type Service = Traced<S>;

    fn layer(&self, inner: S) -> Traced<S> {
        Traced {
            inner,
            layer: self.clone(),
        }
    }
}

/// A service whose calls are traced.
#[derive(Debug, Clone)]
pub struct Traced<S> {
    inner: S,
    layer: TracingLayer,
}

impl<S> Service<http::Request<Body>> for Traced<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>>,
    S::Error: std::fmt::Display,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<Body>) -> Self::Future {
        let parent = match self.layer.kind {
            SpanKind::Server => propagation::extract(request.headers()),
            _ => Context::current(),
        };
        let path = request.uri().path().trim_start_matches('/');
        let (service, method) = path.split_once('/').unwrap_or((path, ""));
        let span = self
            .layer
            .tracer
            .span_builder(path.to_owned())
            .with_kind(self.layer.kind.clone())
            .with_attributes([
                KeyValue::new("rpc.system", "grpc"),
                KeyValue::new("rpc.service", service.to_owned()),
                KeyValue::new("rpc.method", method.to_owned()),
            ])
            .start_with_context(&self.layer.tracer, &parent);
        let call = Call {
            cx: parent.with_span(span),
            kind: self.layer.kind.clone(),
        };
        if call.kind == SpanKind::Client {
            propagation::inject(&call.cx, request.headers_mut());
        }
        // The handler (on a server) is called and polled inside the call's span.
        let response = {
            let _entered = call.cx.clone().attach();
            self.inner.call(request)
        };
        let in_span = call.cx.clone();
        Box::pin(
            async move {
                match response.await {
                    Ok(response) => match status_in(response.headers()) {
                        Some(status) => {
                            call.end(&status);
                            Ok(response)
                        }
                        None => Ok(response.map(|body| {
                            Body::new(WatchedBody {
                                body,
                                call: Some(call),
                            })
                        })),
                    },
                    Err(error) => {
                        // Only a client's channel fails here: the call never reached a server.
                        call.end(&tonic::Status::unavailable(error.to_string()));
                        Err(error)
                    }
                }
            }
            .with_context(in_span),
        )
    }
}

/// One call's span, waiting for the call's status.
struct Call {
    cx: Context,
    kind: SpanKind,
}

impl Call {
    /// Records how the call ended and ends its span.
    fn end(&self, status: &tonic::Status) {
        let span = self.cx.span();
        span.set_attribute(KeyValue::new(STATUS_CODE_ATTRIBUTE, status.code() as i64));
        if is_error(&self.kind, status.code()) {
            span.set_status(Status::error(format!(
                "{}: {}",
                wire::status::spec_name(status.code()),
                status.message()
            )));
        }
        span.end();
    }
}

/// Whether a code marks the span as failed, as OpenTelemetry's RPC conventions say: every
/// code but OK on a client; on a server only the codes that mean the server failed, so a
/// NOT_FOUND the server answered on purpose is not an error of the server's.
fn is_error(kind: &SpanKind, code: Code) -> bool {
    match kind {
        SpanKind::Server => matches!(
            code,
            Code::Unknown
                | Code::DeadlineExceeded
                | Code::Unimplemented
                | Code::Internal
                | Code::Unavailable
                | Code::DataLoss
        ),
        _ => code != Code::Ok,
    }
}

/// A response body that ends the call's span when the trailers pass, or when it is dropped
/// before they did (the call was cancelled or the connection lost).
struct WatchedBody {
    body: Body,
    call: Option<Call>,
}

impl http_body::Body for WatchedBody {
    type Data = Bytes;
    type Error = tonic::Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, tonic::Status>>> {
        let polled = Pin::new(&mut self.body).poll_frame(cx);
        let status = match &polled {
            Poll::Ready(Some(Ok(frame))) => frame.trailers_ref().map(|trailers| {
                status_in(trailers)
                    .unwrap_or_else(|| tonic::Status::unknown("trailers without grpc-status"))
            }),
            Poll::Ready(Some(Err(status))) => Some(status.clone()),
            Poll::Ready(None) | Poll::Pending => None,
        };
        if let Some(status) = status
            && let Some(call) = self.call.take()
        {
            call.end(&status);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

impl Drop for WatchedBody {
    fn drop(&mut self) {
        if let Some(call) = self.call.take() {
            call.end(&tonic::Status::cancelled(
                "the call ended before its status",
            ));
        }
    }
}
