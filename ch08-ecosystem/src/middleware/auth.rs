//! Authentication: only calls carrying `authorization: Bearer <token>` get through.
//!
//! Chapter 6 checks the token in a tonic interceptor on one service; as a layer it guards
//! every service of the server, and a rejected call never reaches the layers below it.

use std::sync::Arc;
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use tonic::Status;
use tower::{Layer, Service};

/// Wraps a service with [`Authenticated`], accepting one bearer token.
#[derive(Debug, Clone)]
pub struct AuthLayer {
    expected: Arc<str>,
}

impl AuthLayer {
    /// A layer that admits calls bearing `token`.
    pub fn new(token: &str) -> Self {
        Self {
            expected: format!("Bearer {token}").into(),
        }
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = Authenticated<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Authenticated {
            inner,
            expected: self.expected.clone(),
        }
    }
}

/// Answers UNAUTHENTICATED unless the `authorization` header holds the expected token.
#[derive(Debug, Clone)]
pub struct Authenticated<S> {
    inner: S,
    expected: Arc<str>,
}

impl<S, B, R> Service<http::Request<B>> for Authenticated<S>
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
        let presented = request.headers().get(http::header::AUTHORIZATION);
        let admitted = presented.is_some_and(|value| value.as_bytes() == self.expected.as_bytes());
        Box::pin(async move {
            if !admitted {
                tracing::info!("[auth] rejected: missing or invalid token");
                return Ok(Status::unauthenticated("missing or invalid token").into_http());
            }
            tracing::info!("[auth] token accepted");
            inner.call(request).await
        })
    }
}
