//! Request logging: one line when a call comes in, one with its status when it leaves.

use std::task::{Context, Poll};
use std::time::Instant;

use futures::future::BoxFuture;
use tower::{Layer, Service};

/// Wraps a service with [`Logging`].
#[derive(Debug, Clone, Copy)]
pub struct LoggingLayer;

impl<S> Layer<S> for LoggingLayer {
    type Service = Logging<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Logging { inner }
    }
}

/// Logs `[logging] --> PATH` and `[logging] <-- PATH CODE (N ms)`.
#[derive(Debug, Clone)]
pub struct Logging<S> {
    inner: S,
}

impl<S, B, R> Service<http::Request<B>> for Logging<S>
where
    S: Service<http::Request<B>, Response = http::Response<R>> + Clone + Send + 'static,
    S::Future: Send,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        // The clone that was polled ready is the one to call; leave a fresh clone behind.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let path = request.uri().path().to_owned();
        Box::pin(async move {
            let started = Instant::now();
            tracing::info!("[logging] --> {path}");
            let response = inner.call(request).await?;
            tracing::info!(
                "[logging] <-- {path} {:?} ({} ms)",
                super::header_code(&response),
                started.elapsed().as_millis()
            );
            Ok(response)
        })
    }
}
