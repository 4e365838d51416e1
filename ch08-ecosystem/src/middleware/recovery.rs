//! Recovery: a handler that panics becomes an INTERNAL status, and the server lives on.
//!
//! Without it, a panic in a handler unwinds out of the task serving the call: tonic resets
//! the HTTP/2 stream and the client sees an odd transport error rather than a status.
//! grpc-go's recovery interceptor does the same job for Go panics.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::task::{Context, Poll};

use futures::FutureExt;
use futures::future::BoxFuture;
use tonic::Status;
use tower::{Layer, Service};

/// Wraps a service with [`Recovering`].
#[derive(Debug, Clone, Copy)]
pub struct RecoveryLayer;

impl<S> Layer<S> for RecoveryLayer {
    type Service = Recovering<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Recovering { inner }
    }
}

/// Catches a panic of the inner service's future and answers INTERNAL instead.
#[derive(Debug, Clone)]
pub struct Recovering<S> {
    inner: S,
}

impl<S, B, R> Service<http::Request<B>> for Recovering<S>
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
        Box::pin(async move {
            tracing::info!("[recovery] watching for panics");
            // The handler's state is dropped with the panic and nothing of it is reused, so
            // observing it half-updated is impossible: asserting unwind safety is sound.
            match AssertUnwindSafe(inner.call(request)).catch_unwind().await {
                Ok(answered) => answered,
                Err(panic) => {
                    let message = panic_message(panic.as_ref());
                    tracing::error!("[recovery] handler panicked: {message}");
                    Ok(Status::internal("the server hit an internal error").into_http())
                }
            }
        })
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(not a string)")
}
