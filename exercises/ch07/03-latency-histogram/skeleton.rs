//! Exercise ch07/03 · 호출 지연 시간 히스토그램 (Call latency in a histogram). The task is in
//! `README.md` beside this file; the checks are `tests/ch07_latency_histogram.rs`.
//!
//! [`LatencyLayer`] goes one step past exercise ch07/02's counter: it already waits for each
//! call's response and reads the code the call ended with, but instead of counting the call
//! it should record how long the call took, in the Prometheus histogram [`CALL_SECONDS`].
//! Two things are missing: the time itself, and buckets that suit a call on one machine.

use std::task::{Context, Poll};

use futures::future::BoxFuture;
use prometheus::{HistogramOpts, HistogramVec, Registry};
use tonic::Code;
use tower::{Layer, Service};

/// The histogram's name: seconds per call, by method and status code.
pub const CALL_SECONDS: &str = "productinfo_call_duration_seconds";

/// Records the time every call of a server takes in [`CALL_SECONDS`], labelled `method`
/// (`getProduct`) and `code` (the spec's name: `OK`, `NOT_FOUND`, ...).
#[derive(Debug, Clone)]
pub struct LatencyLayer {
    seconds: HistogramVec,
}

impl LatencyLayer {
    /// Creates the histogram and registers it in `registry`.
    pub fn register(registry: &Registry) -> prometheus::Result<Self> {
        let seconds = HistogramVec::new(
            // EXERCISE: these are Prometheus' default buckets, 5 ms to 10 s. Choose bounds
            // that tell apart calls on one machine, from half a millisecond to a second.
            HistogramOpts::new(
                CALL_SECONDS,
                "Time taken by calls, per method and status code.",
            ),
            &["method", "code"],
        )?;
        registry.register(Box::new(seconds.clone()))?;
        Ok(Self { seconds })
    }
}

impl<S> Layer<S> for LatencyLayer {
    type Service = Latency<S>;

    fn layer(&self, inner: S) -> Latency<S> {
        Latency {
            inner,
            seconds: self.seconds.clone(),
        }
    }
}

/// A service whose calls are timed.
#[derive(Debug, Clone)]
pub struct Latency<S> {
    inner: S,
    seconds: HistogramVec,
}

impl<S, B, R> Service<http::Request<B>> for Latency<S>
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
        // "/ecommerce.ProductInfo/getProduct" -> "getProduct".
        let method = request
            .uri()
            .path()
            .rsplit_once('/')
            .map_or("", |(_, method)| method)
            .to_owned();
        let seconds = self.seconds.clone();
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
            // Trailers-only: a call that failed before answering has its code in the headers.
            let code = wire::status::code_in(response.headers()).unwrap_or(Code::Ok);
            seconds
                .with_label_values(&[method.as_str(), &wire::status::spec_name(code)])
                // EXERCISE: every call is recorded as taking no time at all. Record the
                // seconds from the request's arrival in `call` to this response.
                .observe(0.0);
            Ok(response)
        })
    }
}
