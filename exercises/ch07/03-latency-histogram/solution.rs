//! Exercise ch07/03 · 호출 지연 시간 히스토그램 (Call latency in a histogram): a reference solution.
//!
//! Chapter 7's counter (exercise ch07/02) says how many calls ended how; this layer also says
//! how long they took. A latency is not one number to add up but a distribution, so it goes
//! in a Prometheus histogram: a count per bucket (`le`, "less than or equal"), plus the sum
//! and the count of all observations. A dashboard reads percentiles from the buckets
//! (`histogram_quantile(0.99, ...)`) and the mean from `_sum / _count`.
//!
//! Three things make it right:
//!
//! * the clock starts when the request reaches the layer and stops when the response comes
//!   back through it, so the time is the handler's work plus tonic's decoding and routing;
//! * the labels are the method and the code the call ended with. A unary call that fails
//!   before answering is "trailers-only": its `grpc-status` is in the response headers,
//!   where [`wire::status::code_in`] reads it. A call that answered has its status in the
//!   trailers, after the message, and for a unary call that answered it is OK. (A streaming
//!   call would need the body wrapped, to stop the clock and read the code as its trailers
//!   pass, as chapter 7's `MetricsLayer` does.)
//! * the buckets fit what is measured. Prometheus' default buckets start at 5 ms, so every
//!   call on one machine (well under a millisecond) lands in the first bucket and the
//!   histogram says nothing; [`LOCAL_CALL_BUCKETS`] starts at 0.5 ms.

use std::task::{Context, Poll};

use futures::future::BoxFuture;
use prometheus::{HistogramOpts, HistogramVec, Registry};
use tokio::time::Instant;
use tonic::Code;
use tower::{Layer, Service};

/// The histogram's name: seconds per call, by method and status code.
pub const CALL_SECONDS: &str = "productinfo_call_duration_seconds";

/// Bucket bounds, in seconds, for calls between processes on one machine or one data centre:
/// 0.5 ms to 1 s, each about twice the one before, so a slowdown from 1 ms to 3 ms shows as
/// clearly as one from 100 ms to 300 ms. A call slower than a second lands in `+Inf` only,
/// which is all a dashboard needs to know about it.
pub const LOCAL_CALL_BUCKETS: [f64; 11] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
];

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
            HistogramOpts::new(
                CALL_SECONDS,
                "Time taken by calls, per method and status code.",
            )
            .buckets(LOCAL_CALL_BUCKETS.to_vec()),
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
        // The clock starts here, before the inner service sees the request.
        let started = Instant::now();
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
            let elapsed = started.elapsed();
            // Trailers-only: a call that failed before answering has its code in the headers.
            let code = wire::status::code_in(response.headers()).unwrap_or(Code::Ok);
            seconds
                .with_label_values(&[method.as_str(), &wire::status::spec_name(code)])
                .observe(elapsed.as_secs_f64());
            Ok(response)
        })
    }
}
