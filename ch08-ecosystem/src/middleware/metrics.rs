//! Metrics: calls counted per method and status code, the numbers a dashboard would chart.
//!
//! This layer is written by hand: tower-http's only metrics layer counts the requests in
//! flight, and nothing in tower or tower-http reads a gRPC status to count calls by it
//! (chapter 7's server exports such counts to Prometheus; here they stay in memory, for the
//! tests and the tour to read). On the way out it also labels the response with the call's
//! [`MethodPath`], for the logging layer outside it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use tonic::Code;
use tower::{Layer, Service};

use super::MethodPath;

/// Call counts, shared between the layer and whoever reads them.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    counts: Arc<Mutex<HashMap<(String, Code), u64>>>,
}

impl Metrics {
    /// How many calls of `method` (a path like `/ecommerce.ProductInfo/getProduct`) ended
    /// with `code`.
    pub fn count(&self, method: &str, code: Code) -> u64 {
        let counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts.get(&(method.to_owned(), code)).copied().unwrap_or(0)
    }

    fn record(&self, method: String, code: Code) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        *counts.entry((method, code)).or_default() += 1;
    }
}

/// Wraps a service with [`Metered`], counting into the given [`Metrics`].
#[derive(Debug, Clone)]
pub struct MetricsLayer {
    metrics: Metrics,
}

impl MetricsLayer {
    /// A layer that counts into `metrics`.
    pub fn new(metrics: Metrics) -> Self {
        Self { metrics }
    }
}

impl<S> Layer<S> for MetricsLayer {
    type Service = Metered<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Metered {
            inner,
            metrics: self.metrics.clone(),
        }
    }
}

/// Counts each call by method and the status code in its response headers.
#[derive(Debug, Clone)]
pub struct Metered<S> {
    inner: S,
    metrics: Metrics,
}

impl<S, B, R> Service<http::Request<B>> for Metered<S>
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
        let metrics = self.metrics.clone();
        let path = request.uri().path().to_owned();
        tracing::info!("[metrics] --> {path}");
        let answer = self.inner.call(request);
        Box::pin(async move {
            let mut response = answer.await?;
            let code = super::header_code(&response);
            tracing::info!("[metrics] <-- counted {path} {code:?}");
            metrics.record(path.clone(), code);
            response.extensions_mut().insert(MethodPath(path));
            Ok(response)
        })
    }
}
