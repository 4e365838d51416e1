//! Request logging: one line when a call comes in, one with its status when it leaves.
//!
//! The layer is tower-http's [`TraceLayer`] for gRPC, which times each call and hands the
//! request and then the response to callbacks; ours, [`LogRequest`] and [`LogResponse`],
//! print the book's two lines. Its span stays tower-http's default, at DEBUG, so the lines
//! read as the book's at the default level, and `RUST_LOG=info,tower_http=debug` shows each
//! line of a call under its method and URI. Its own reports of failures and of the end of
//! each stream are turned off: the `<--` line already gives the status.
//!
//! A response does not say which call it answers, and `TraceLayer` gives the response
//! callback nothing but the response, its latency and the span; the path comes from the
//! [`MethodPath`] that the metrics layer, just inside this one, puts on every response.

use std::time::Duration;

use tower_http::trace::{
    DefaultMakeSpan, DefaultOnBodyChunk, GrpcMakeClassifier, OnRequest, OnResponse, TraceLayer,
};
use tracing::Span;

use super::MethodPath;

/// tower-http's [`TraceLayer`] that logs `[logging] --> PATH` and
/// `[logging] <-- PATH CODE (N ms)`.
pub type LoggingLayer = TraceLayer<
    GrpcMakeClassifier,
    DefaultMakeSpan,
    LogRequest,
    LogResponse,
    DefaultOnBodyChunk,
    (),
    (),
>;

/// The logging layer.
pub fn layer() -> LoggingLayer {
    TraceLayer::new_for_grpc()
        .on_request(LogRequest)
        .on_response(LogResponse)
        .on_eos(())
        .on_failure(())
}

/// Logs `[logging] --> PATH` as a call comes in.
#[derive(Debug, Clone, Copy)]
pub struct LogRequest;

impl<B> OnRequest<B> for LogRequest {
    fn on_request(&mut self, request: &http::Request<B>, _: &Span) {
        tracing::info!("[logging] --> {}", request.uri().path());
    }
}

/// Logs `[logging] <-- PATH CODE (N ms)` as its response leaves.
#[derive(Debug, Clone, Copy)]
pub struct LogResponse;

impl<B> OnResponse<B> for LogResponse {
    fn on_response(self, response: &http::Response<B>, latency: Duration, _: &Span) {
        let path = response
            .extensions()
            .get::<MethodPath>()
            .map_or("?", |MethodPath(path)| path.as_str());
        tracing::info!(
            "[logging] <-- {path} {:?} ({} ms)",
            super::header_code(response),
            latency.as_millis()
        );
    }
}
