//! The tower layer that keeps the [`GrpcMetrics`]: the counterpart of go-grpc-prometheus's
//! interceptors, one layer for both sides.
//!
//! It works at the HTTP level, so it sees every call, including those that fail before any
//! handler runs (an unknown method, a bad message). A call is *started* when its request
//! arrives (or leaves, on a client); each message is counted as its 5-byte prefix passes in the
//! request and response bodies; the call is *handled* when its `grpc-status` is known: in the
//! response headers (a "trailers-only" error) or in the trailers after the last message.
//! Both readings of the wire are the `wire` crate's ([`MessagePrefixes`], `wire::status`),
//! the same the conformance layer and the client guard use.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http_body::Frame;
use prost::Message;
use tonic::Code;
use tonic::body::Body;
use tower::{Layer, Service};

use super::grpc::{GrpcMetrics, Side};
use wire::MessagePrefixes;
use wire::body::{Checked, FrameCheck};
use wire::status::status_in;

/// Adds [`GrpcMetrics`] to a server's routes (`Server::builder().layer(..)`) or a client's
/// channel (`ServiceBuilder::new().layer(..).service(channel)`).
#[derive(Debug, Clone)]
pub struct MetricsLayer {
    metrics: GrpcMetrics,
    types: Arc<HashMap<String, &'static str>>,
}

impl MetricsLayer {
    /// A layer feeding `metrics`. Each method's `grpc_type` (`unary`, `server_stream`, ...)
    /// is read from the protos' descriptors, the book's and the health service's, as
    /// go-grpc-prometheus reads it from the registered services.
    pub fn new(metrics: GrpcMetrics) -> Self {
        let mut types = call_types(book_proto::FILE_DESCRIPTOR_SET);
        types.extend(call_types(tonic_health::pb::FILE_DESCRIPTOR_SET));
        Self {
            metrics,
            types: Arc::new(types),
        }
    }
}

/// The value of every label of a call to a method no descriptor names.
pub const UNKNOWN: &str = "unknown";

/// Maps `/package.Service/Method` to its gRPC call type.
fn call_types(descriptor_set: &[u8]) -> HashMap<String, &'static str> {
    let files = prost_types::FileDescriptorSet::decode(descriptor_set)
        .expect("the build wrote a valid descriptor set")
        .file;
    let mut types = HashMap::new();
    for file in files {
        for service in &file.service {
            for method in &service.method {
                let kind = match (method.client_streaming(), method.server_streaming()) {
                    (false, false) => "unary",
                    (true, false) => "client_stream",
                    (false, true) => "server_stream",
                    (true, true) => "bidi_stream",
                };
                let path = format!("/{}.{}/{}", file.package(), service.name(), method.name());
                types.insert(path, kind);
            }
        }
    }
    types
}

impl<S> Layer<S> for MetricsLayer {
    type Service = Metered<S>;

    fn layer(&self, inner: S) -> Metered<S> {
        Metered {
            inner,
            layer: self.clone(),
        }
    }
}

/// A service whose calls are counted.
#[derive(Debug, Clone)]
pub struct Metered<S> {
    inner: S,
    layer: MetricsLayer,
}

impl<S> Service<http::Request<Body>> for Metered<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>>,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let path = request.uri().path();
        let call = Arc::new(Call::start(&self.layer, path));
        let request = request.map(|body| Counted::wrap(body, call.clone(), Direction::Request));
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = match response.await {
                Ok(response) => response,
                Err(error) => {
                    // Only a client's channel fails here: the call never reached a server.
                    call.finish(Code::Unavailable);
                    return Err(error);
                }
            };
            if let Some(status) = status_in(response.headers()) {
                call.finish(status.code());
            }
            Ok(response.map(|body| Counted::wrap(body, call, Direction::Response)))
        })
    }
}

#[derive(Debug, Clone, Copy)]
enum Direction {
    Request,
    Response,
}

/// One call's labels and clock.
struct Call {
    metrics: GrpcMetrics,
    labels: [String; 3],
    started: Instant,
    finished: AtomicBool,
}

impl Call {
    fn start(layer: &MetricsLayer, path: &str) -> Self {
        // The labels come from the descriptors, never from the path as sent: a path is
        // whatever the peer writes, and a label value per made-up path would let any client
        // grow the series (and /metrics) without bound. Every unknown path counts as one.
        let labels = match layer.types.get(path) {
            Some(kind) => {
                let (service, method) = path
                    .trim_start_matches('/')
                    .split_once('/')
                    .unwrap_or_default();
                [kind.to_string(), service.to_owned(), method.to_owned()]
            }
            None => [UNKNOWN; 3].map(str::to_owned),
        };
        let call = Call {
            metrics: layer.metrics.clone(),
            labels,
            started: Instant::now(),
            finished: AtomicBool::new(false),
        };
        call.metrics.started.with_label_values(&call.labels).inc();
        call
    }

    fn message(&self, direction: Direction, count: u64) {
        let received = matches!(
            (self.metrics.side, direction),
            (Side::Server, Direction::Request) | (Side::Client, Direction::Response)
        );
        let series = if received {
            &self.metrics.received
        } else {
            &self.metrics.sent
        };
        series.with_label_values(&self.labels).inc_by(count as f64);
    }

    /// Records the call's status and time, once.
    fn finish(&self, code: Code) {
        // The first caller flips the flag and records; any later one sees it set.
        if self.finished.swap(true, Ordering::Relaxed) {
            return;
        }
        let [kind, service, method] = &self.labels;
        self.metrics
            .handled
            .with_label_values(&[kind, service, method, &code_name(code)])
            .inc();
        self.metrics
            .handling_seconds
            .with_label_values(&self.labels)
            .observe(self.started.elapsed().as_secs_f64());
    }
}

/// What a body's frames tell the metrics: its gRPC messages are counted as they pass, and
/// the trailers (or an error) end the call.
struct Counted {
    call: Arc<Call>,
    direction: Direction,
    prefixes: MessagePrefixes,
}

impl Counted {
    fn wrap(inner: Body, call: Arc<Call>, direction: Direction) -> Body {
        Checked::wrap(
            inner,
            Self {
                call,
                direction,
                prefixes: MessagePrefixes::default(),
            },
        )
    }
}

impl FrameCheck for Counted {
    fn frame(&mut self, frame: Frame<Bytes>) -> Result<Frame<Bytes>, tonic::Status> {
        if let Some(data) = frame.data_ref() {
            let messages = self.prefixes.count(data);
            if messages > 0 {
                self.call.message(self.direction, messages as u64);
            }
        } else if let (Direction::Response, Some(trailers)) = (self.direction, frame.trailers_ref())
        {
            self.call
                .finish(status_in(trailers).map_or(Code::Unknown, |status| status.code()));
        }
        Ok(frame)
    }

    fn failed(&mut self, status: &tonic::Status) {
        self.call.finish(status.code());
    }
}

/// The code as go-grpc-prometheus writes it in `grpc_code`: `OK`, `NotFound`, ...
fn code_name(code: Code) -> String {
    match code {
        Code::Ok => "OK".to_owned(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_types_come_from_the_protos() {
        let types = call_types(book_proto::FILE_DESCRIPTOR_SET);
        assert_eq!(types["/ecommerce.ProductInfo/addProduct"], "unary");
        assert_eq!(
            types["/ecommerce.OrderManagement/searchOrders"],
            "server_stream"
        );
        assert_eq!(
            types["/ecommerce.OrderManagement/processOrders"],
            "bidi_stream"
        );
        let health = call_types(tonic_health::pb::FILE_DESCRIPTOR_SET);
        assert_eq!(health["/grpc.health.v1.Health/Watch"], "server_stream");
    }
}
