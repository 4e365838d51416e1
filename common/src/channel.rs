//! The channel every sample client calls through: tonic's, guarded against two ways a
//! server's answer can hurt a tonic 0.14 client.
//!
//! * **A `grpc-status-details-bin` that is not base64.** tonic decodes the header with
//!   `expect`, so one malformed trailer from a server (or anything between us and it) panics
//!   the client: `Status::from_header_map` in tonic's `status.rs`. The guard checks the value
//!   first, in the response headers and in the trailers, and drops it when tonic could not
//!   decode it; the call then fails with the server's code and message, without details.
//! * **A second message in the answer to a unary or client-streaming call.** tonic keeps the
//!   first message and silently discards the rest; grpc-go fails such a call with
//!   `INTERNAL`, and so does the guard, for the methods of `proto/` (which answer once is
//!   known when the protos are compiled: `book_proto::SINGLE_RESPONSE_METHODS`) and health
//!   checking's `Check`.
//!
//! * **A call the server never began, refused by its GOAWAY.** A server that shuts down
//!   gracefully sends GOAWAY naming the last stream it will process; a stream the client had
//!   opened after that one was never seen by the application, and `PROTOCOL-HTTP2.md` says
//!   the client reports it as `UNAVAILABLE`, which tells it (and its retry policy) that the
//!   call may safely be made again. tonic 0.14 reports it as `INTERNAL` "h2 protocol error",
//!   the code for a bug; the guard answers such a call `UNAVAILABLE` instead.
//! * **A call hyper never sent.** A call handed to a connection just as it closes (after a
//!   server's GOAWAY, at the end of a drain or of `max_connection_age`) is dropped from
//!   hyper's queue unsent, and tonic 0.14 reports it as `CANCELLED` "operation was canceled:
//!   connection closed": the code for a call its caller gave up on, which no client retries.
//!   Every `canceled` error of hyper's HTTP/2 client means the request never reached the
//!   connection, so the guard answers `UNAVAILABLE` here too. Chapter 5's drain sample lost
//!   about one call in three runs this way before it was guarded.
//!
//! All four are guarded here, once, rather than in each chapter: every client channel of the
//! workspace is a [`Channel`], made by [`guard`].

use std::task::{Context, Poll};

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use bytes::Bytes;
use futures::future::BoxFuture;
use http::{HeaderMap, Request, Response};
use http_body::Frame;
use tonic::Status;
use tonic::body::Body;
use tower::Service;

use wire::MessagePrefixes;
use wire::body::{Checked, FrameCheck};

/// A guarded tonic channel: what every client of the workspace calls through.
pub type Channel = Guarded<tonic::transport::Channel>;

/// Guards `channel` (see the module's comment).
pub fn guard(channel: tonic::transport::Channel) -> Channel {
    Guarded { inner: channel }
}

impl From<tonic::transport::Channel> for Channel {
    fn from(channel: tonic::transport::Channel) -> Self {
        guard(channel)
    }
}

/// The header tonic decodes with `expect`.
const STATUS_DETAILS: &str = "grpc-status-details-bin";

/// Health checking's unary method, whose proto is not in `proto/`.
const HEALTH_CHECK: &str = "/grpc.health.v1.Health/Check";

/// Base64 as tonic reads it: the standard alphabet, padding optional.
const TONIC_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A service (a tonic channel) whose responses are guarded.
#[derive(Debug, Clone)]
pub struct Guarded<S> {
    inner: S,
}

impl<S> Service<Request<Body>> for Guarded<S>
where
    S: Service<Request<Body>, Response = Response<Body>> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: std::error::Error + 'static,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Response<Body>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let path = request.uri().path();
        let single_response =
            path == HEALTH_CHECK || book_proto::SINGLE_RESPONSE_METHODS.contains(&path);
        let response = self.inner.call(request);
        Box::pin(async move {
            let mut response = match response.await {
                Ok(response) => response,
                Err(error) => match never_processed(&error) {
                    Some(why) => return Ok(Status::unavailable(why).into_http()),
                    None => return Err(error),
                },
            };
            drop_undecodable_details(response.headers_mut());
            Ok(response.map(|body| {
                Checked::wrap(
                    body,
                    ResponseCheck {
                        single_response,
                        messages: 0,
                        prefixes: MessagePrefixes::default(),
                    },
                )
            }))
        })
    }
}

/// Why a call failed before any server began it, if it did: the server's graceful GOAWAY
/// (reason `NO_ERROR`) refused its stream (h2 fails exactly those streams with that error), or
/// hyper dropped it unsent when the connection closed.
fn never_processed(error: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    let mut source = Some(error);
    while let Some(error) = source {
        if let Some(h2) = error.downcast_ref::<h2::Error>() {
            let refused =
                h2.is_go_away() && h2.is_remote() && h2.reason() == Some(h2::Reason::NO_ERROR);
            return refused
                .then_some("the server is shutting down and did not take the call (GOAWAY)");
        }
        // hyper wraps h2's errors, so a hyper error that is not its own `canceled` is looked
        // through, to the h2 error it may hold.
        if error
            .downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_canceled)
        {
            return Some("the connection closed before the call was sent");
        }
        source = error.source();
    }
    None
}

/// Removes a `grpc-status-details-bin` that tonic's decoder would panic on.
fn drop_undecodable_details(headers: &mut HeaderMap) {
    let undecodable = headers
        .get(STATUS_DETAILS)
        .is_some_and(|value| TONIC_BASE64.decode(value.as_bytes()).is_err());
    if undecodable {
        tracing::warn!("dropped a {STATUS_DETAILS} that is not base64");
        headers.remove(STATUS_DETAILS);
    }
}

/// What a response is checked for: trailers tonic could not decode, and, for a
/// single-response method, a second message.
struct ResponseCheck {
    single_response: bool,
    messages: usize,
    prefixes: MessagePrefixes,
}

impl FrameCheck for ResponseCheck {
    fn frame(&mut self, frame: Frame<Bytes>) -> Result<Frame<Bytes>, Status> {
        let frame = match frame.into_trailers() {
            Ok(mut trailers) => {
                drop_undecodable_details(&mut trailers);
                return Ok(Frame::trailers(trailers));
            }
            Err(frame) => frame,
        };
        if let (true, Some(data)) = (self.single_response, frame.data_ref()) {
            self.messages += self.prefixes.count(data);
            if self.messages > 1 {
                return Err(Status::internal(
                    "the server sent more than one message in answer to a call that takes one",
                ));
            }
        }
        Ok(frame)
    }
}
