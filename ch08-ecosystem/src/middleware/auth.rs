//! Authentication: only calls carrying `authorization: Bearer <token>` get through.
//!
//! Chapter 6 checks the token in a tonic interceptor on one service; as a layer it guards
//! every service of the server, and a rejected call never reaches the layers below it.
//!
//! The layer is tower-http's [`ValidateRequestHeaderLayer`]; the check, [`BearerToken`], is
//! ours, because the one tower-http ships (`ValidateRequestHeaderLayer::bearer`) does two
//! things a gRPC server must not. It compares the token with `==`, so a wrong guess is
//! refused sooner the earlier it goes wrong, and timing many refusals would find the token
//! byte by byte; ours uses [`same_secret`], in constant time. And it answers a bare HTTP 401
//! without `grpc-status`: a client infers UNAUTHENTICATED from that (the gRPC spec maps HTTP
//! codes to statuses) but gets no message, and the layers above, which read a call's outcome
//! from `grpc-status`, would count and log it as OK. Ours answers a gRPC status. Every refusal
//! has the same words, so the answer does not tell a missing header from a wrong token. The
//! scheme is matched without regard to case (`bearer` too), as HTTP says and as chapter 6
//! does.

use std::marker::PhantomData;
use std::sync::Arc;

use common::secret::same_secret;
use tonic::Status;
use tower_http::validate_request::{ValidateRequest, ValidateRequestHeaderLayer};

/// tower-http's header check with [`BearerToken`], admitting calls that bear `token`; `R` is
/// the response body of the service it wraps.
pub fn layer<R>(token: &str) -> ValidateRequestHeaderLayer<BearerToken<R>> {
    ValidateRequestHeaderLayer::custom(BearerToken {
        expected: token.into(),
        body: PhantomData,
    })
}

/// Admits a request whose `authorization` header holds the expected bearer token; answers
/// any other UNAUTHENTICATED, with a response body of type `R`.
pub struct BearerToken<R> {
    expected: Arc<str>,
    /// The refusal's body type; `fn() -> R`, so that the check is `Send` and `Sync` whatever
    /// `R` is.
    body: PhantomData<fn() -> R>,
}

// By hand, as `derive` would ask for `R: Clone`, which a body type need not be.
impl<R> Clone for BearerToken<R> {
    fn clone(&self) -> Self {
        Self {
            expected: self.expected.clone(),
            body: PhantomData,
        }
    }
}

/// Never prints the token: a layer stack printed for debugging must not hand it out.
impl<R> std::fmt::Debug for BearerToken<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

impl<B, R: Default> ValidateRequest<B> for BearerToken<R> {
    type ResponseBody = R;

    fn validate(&mut self, request: &mut http::Request<B>) -> Result<(), http::Response<R>> {
        let admitted = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split_once(' '))
            .is_some_and(|(scheme, token)| {
                scheme.eq_ignore_ascii_case("Bearer")
                    && same_secret(token.as_bytes(), self.expected.as_bytes())
            });
        if admitted {
            tracing::info!("[auth] token accepted");
            Ok(())
        } else {
            tracing::info!("[auth] rejected: missing or invalid token");
            Err(Status::unauthenticated("missing or invalid token").into_http())
        }
    }
}
