//! Authentication: only calls carrying `authorization: Bearer <token>` get through.
//!
//! Chapter 6 checks the token in a tonic interceptor on one service; as a layer it guards
//! every service of the server, and a rejected call never reaches the layers below it.
//!
//! The token is compared with [`same_secret`], in constant time: with `==`, a wrong guess is
//! refused sooner the earlier it goes wrong, and timing many refusals would find the token
//! byte by byte. Every refusal has the same words, so the answer does not tell a missing
//! header from a wrong token either. The scheme is matched without regard to case
//! (`bearer` too), as HTTP says and as chapter 6 does.

use std::sync::Arc;
use std::task::{Context, Poll};

use common::secret::same_secret;
use futures::future::BoxFuture;
use tonic::Status;
use tower::{Layer, Service};

/// Wraps a service with [`Authenticated`], accepting one bearer token.
#[derive(Clone)]
pub struct AuthLayer {
    expected: Arc<str>,
}

impl AuthLayer {
    /// A layer that admits calls bearing `token`.
    pub fn new(token: &str) -> Self {
        Self {
            expected: token.into(),
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
#[derive(Clone)]
pub struct Authenticated<S> {
    inner: S,
    expected: Arc<str>,
}

/// Never prints the token: a layer stack printed for debugging must not hand it out.
impl std::fmt::Debug for AuthLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthLayer(token: <redacted>)")
    }
}

/// Never prints the token, as [`AuthLayer`].
impl<S: std::fmt::Debug> std::fmt::Debug for Authenticated<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticated")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
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
        let admitted = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split_once(' '))
            .is_some_and(|(scheme, token)| {
                scheme.eq_ignore_ascii_case("Bearer")
                    && same_secret(token.as_bytes(), self.expected.as_bytes())
            });
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
