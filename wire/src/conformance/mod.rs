//! What the gRPC spec asks of a server that tonic 0.14 leaves to the application.
//!
//! tonic accepts a request whatever its `content-type`, reports a request message over the
//! size limit as `OUT_OF_RANGE`, answers a method it does not know with `UNIMPLEMENTED` and
//! no message, and says only "Unexpected EOF decoding stream." of a request cut short.
//! [`ConformanceLayer`] wraps the whole server so that:
//!
//! * a request whose `content-type` is not `application/grpc` (or `application/grpc+…`) gets
//!   HTTP 415, as `PROTOCOL-HTTP2.md` says, with `INVALID_ARGUMENT` and a message for gRPC
//!   clients, as grpc-go sends; no service sees it;
//! * a request message over the size limit fails with `RESOURCE_EXHAUSTED`, as
//!   `statuscodes.md` says, as soon as its length prefix arrives (see [`request`]);
//! * a request that ends inside a message, or sends a second message to a method that
//!   takes one, fails with `INTERNAL` saying so;
//! * a `grpc-timeout` that is not 1 to 8 digits and a unit fails with `INTERNAL` "malformed
//!   grpc-timeout", as grpc-go answers (tonic ignores it, and the call runs with no deadline
//!   at all), and a timeout of zero with `DEADLINE_EXCEEDED` before any handler runs (tonic
//!   races the handler against it, so the answer would depend on which is faster);
//! * an `UNIMPLEMENTED` answer without a message gets `Method not found: <path>`.
//!
//! It lives beside the framing and status code because it is made of them: the checks are
//! about the wire, not about any chapter's service. The one thing it must be told about a
//! server is which of its methods take a single request message, since that is in the
//! server's protos; `common::server::builder` passes the book's and puts the layer first on
//! every server of the workspace.
//!
//! Chapter 4 (`ch04-internals`) sends each of these requests by hand and checks the answers.

pub mod request;
mod timeout;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::{HeaderValue, Request, Response, StatusCode};
use tonic::Status;
use tonic::body::Body;
use tower::{Layer, Service};

use self::request::FramingCheck;
use crate::body::Checked;

/// Wraps a server's services with the checks above.
#[derive(Debug, Clone, Copy)]
pub struct ConformanceLayer {
    max_message_size: usize,
    single_request_methods: &'static [&'static str],
}

impl ConformanceLayer {
    /// Checks with a limit of `max_message_size` bytes per request message, and one request
    /// message for the methods at `single_request_methods` (`/package.Service/Method`: the
    /// unary and server-streaming methods) and for health checking's `Check` and `Watch`.
    pub fn new(max_message_size: usize, single_request_methods: &'static [&'static str]) -> Self {
        Self {
            max_message_size,
            single_request_methods,
        }
    }

    /// Whether the method at `path` takes exactly one request message.
    fn takes_one_message(&self, path: &str) -> bool {
        const HEALTH: [&str; 2] = [
            "/grpc.health.v1.Health/Check",
            "/grpc.health.v1.Health/Watch",
        ];
        HEALTH.contains(&path) || self.single_request_methods.contains(&path)
    }
}

impl<S> Layer<S> for ConformanceLayer {
    type Service = Conformance<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Conformance {
            inner,
            layer: *self,
        }
    }
}

/// The service [`ConformanceLayer`] makes.
#[derive(Debug, Clone)]
pub struct Conformance<S> {
    inner: S,
    layer: ConformanceLayer,
}

type ResponseFuture<E> = Pin<Box<dyn Future<Output = Result<Response<Body>, E>> + Send>>;

impl<S> Service<Request<Body>> for Conformance<S>
where
    S: Service<Request<Body>, Response = Response<Body>> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let content_type = request.headers().get(http::header::CONTENT_TYPE);
        if !is_grpc(content_type) {
            let response = unsupported_media_type(content_type);
            return Box::pin(async move { Ok(response) });
        }

        if let Some(refusal) = timeout::refusal(request.headers()) {
            let response = refusal.into_http::<Body>();
            return Box::pin(async move { Ok(response) });
        }

        let path = request.uri().path().to_owned();
        let max_message_size = self.layer.max_message_size;
        let single_message = self.layer.takes_one_message(&path);
        let request = request
            .map(|body| Checked::wrap(body, FramingCheck::new(max_message_size, single_message)));
        // The clone that was not polled ready stays here; the ready one serves this call.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            let mut response = inner.call(request).await?;
            name_unknown_method(&mut response, &path);
            Ok(response)
        })
    }
}

/// `application/grpc`, alone or followed by `+format` or `;parameters`, in any case.
fn is_grpc(content_type: Option<&HeaderValue>) -> bool {
    const GRPC: &[u8] = b"application/grpc";
    let Some(value) = content_type.map(HeaderValue::as_bytes) else {
        return false;
    };
    value.len() >= GRPC.len()
        && value[..GRPC.len()].eq_ignore_ascii_case(GRPC)
        && matches!(value.get(GRPC.len()), None | Some(b'+' | b';'))
}

/// HTTP 415, so that a plain HTTP client does not take the answer for a success, carrying
/// the gRPC status a gRPC client reads.
fn unsupported_media_type(content_type: Option<&HeaderValue>) -> Response<Body> {
    let content_type = content_type
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .unwrap_or_default();
    tracing::debug!(%content_type, "refused a request that is not gRPC");
    let status = Status::invalid_argument(format!(
        "invalid gRPC request content-type {content_type:?}"
    ));
    let mut response = status.into_http::<Body>();
    *response.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
    response
}

/// tonic answers a path it does not route with `UNIMPLEMENTED` and no message; say which
/// path it was, as grpc-java does.
fn name_unknown_method(response: &mut Response<Body>, path: &str) {
    let headers = response.headers_mut();
    let unimplemented = headers
        .get(Status::GRPC_STATUS)
        .is_some_and(|code| code.as_bytes() == b"12");
    if unimplemented && !headers.contains_key(Status::GRPC_MESSAGE) {
        let status = Status::unimplemented(format!("Method not found: {path}"));
        if let Err(error) = status.add_header(headers) {
            tracing::warn!(%error, "cannot name the unknown method");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_content_types_are_recognised() {
        for grpc in [
            "application/grpc",
            "application/grpc+proto",
            "application/grpc;charset=utf-8",
            "Application/GRPC",
        ] {
            assert!(is_grpc(Some(&HeaderValue::from_static(grpc))), "{grpc}");
        }
        for other in [
            "application/json",
            "application/grpcx",
            "application/grp",
            "",
        ] {
            assert!(!is_grpc(Some(&HeaderValue::from_static(other))), "{other}");
        }
        assert!(!is_grpc(None));
    }
}
