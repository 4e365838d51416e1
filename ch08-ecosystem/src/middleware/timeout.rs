//! Timeouts: no call runs longer than a fixed limit, whatever deadline the client set.
//!
//! A client's deadline protects the client; this protects the server from a handler stuck
//! on a slow dependency, freeing its resources after the limit.

use std::task::{Context, Poll};
use std::time::Duration;

use futures::future::BoxFuture;
use tonic::Status;
use tower::{Layer, Service};

/// Wraps a service with [`TimeLimited`].
#[derive(Debug, Clone, Copy)]
pub struct TimeoutLayer {
    limit: Duration,
}

impl TimeoutLayer {
    /// A layer that gives each call at most `limit`.
    pub fn new(limit: Duration) -> Self {
        Self { limit }
    }
}

impl<S> Layer<S> for TimeoutLayer {
    type Service = TimeLimited<S>;

    fn layer(&self, inner: S) -> Self::Service {
        TimeLimited {
            inner,
            limit: self.limit,
        }
    }
}

/// Answers DEADLINE_EXCEEDED when the inner service has not answered within the limit.
#[derive(Debug, Clone)]
pub struct TimeLimited<S> {
    inner: S,
    limit: Duration,
}

impl<S, B, R> Service<http::Request<B>> for TimeLimited<S>
where
    S: Service<http::Request<B>, Response = http::Response<R>> + Clone + Send + 'static,
    S::Future: Send,
    B: Send + 'static,
    R: Default,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let limit = self.limit;
        Box::pin(async move {
            tracing::info!("[timeout] limit {limit:?}");
            match tokio::time::timeout(limit, inner.call(request)).await {
                Ok(answered) => answered,
                Err(_) => {
                    tracing::warn!("[timeout] no answer within {limit:?}");
                    let status = Status::deadline_exceeded(format!(
                        "the server's {limit:?} limit for a call was exceeded"
                    ));
                    Ok(status.into_http())
                }
            }
        })
    }
}
