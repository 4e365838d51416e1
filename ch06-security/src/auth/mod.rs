//! Authenticating calls (book section "gRPC 호출 인증"): who is making this call?
//!
//! TLS tells the client it reached the right server, and mutual TLS tells the server which
//! machine connected. Applications usually want more: which user or service is calling, on
//! each call. gRPC carries that in call metadata, and every mechanism here uses the same
//! HTTP header, `authorization: <scheme> <credentials>`:
//!
//! * [`basic`]: `Basic base64(username:password)`, the book's `admin` / `admin`;
//! * [`bearer`]: `Bearer some-secret-token`, the book's OAuth 2.0 access token;
//! * [`jwt`]: `Bearer <JSON Web Token>`, a token the server checks on its own, without asking
//!   anyone: a signature, an issuer, an audience, an expiry and the caller's role.
//!
//! On the server, [`CallAuth`] checks the header before the call reaches the service, as a
//! tonic interceptor. An interceptor sees the call's metadata and nothing else, which is all
//! it needs, and tonic runs it for every kind of call: unary, client, server and bidirectional
//! streaming. (The book's Go servers install a unary interceptor only, so their streaming
//! calls would go unchecked.) A call without valid credentials ends with `UNAUTHENTICATED`
//! before the service sees it; a call with them carries a [`Caller`] in its extensions, for
//! the service to decide what this caller may do (see [`crate::roles`]).
//!
//! On the client, [`credentials::CallCredentials`] adds the header to every call, like
//! grpc-go's `PerRPCCredentials`.

pub mod basic;
pub mod bearer;
pub mod credentials;
mod header;
pub mod jwt;

use std::sync::Arc;

use tonic::metadata::MetadataMap;
use tonic::service::Interceptor;
use tonic::{Request, Status};

/// The role that may call every method (see [`crate::roles::POLICY`]).
pub const ADMIN_ROLE: &str = "admin";

/// The role that may read products and orders, and change nothing.
pub const VIEWER_ROLE: &str = "viewer";

/// Who made a call, as its credentials proved: put into the request's extensions by
/// [`CallAuth`] for the service to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The user or service the credentials belong to.
    pub subject: String,
    /// What it may do, by [`crate::roles::POLICY`]: [`ADMIN_ROLE`] everything,
    /// [`VIEWER_ROLE`] reading.
    pub role: String,
}

/// The server's check of every call's credentials, one variant per mechanism.
///
/// Cloning is cheap (tonic clones the interceptor for every call).
#[derive(Clone)]
pub enum CallAuth {
    /// HTTP Basic: a username and password.
    Basic(Arc<basic::BasicAuth>),
    /// An OAuth 2.0 bearer token the server knows.
    Token(Arc<bearer::KnownToken>),
    /// A JSON Web Token signed by the issuer the server trusts.
    Jwt(Arc<jwt::TokenVerifier>),
}

impl CallAuth {
    /// Who the call's credentials say is calling, or the `UNAUTHENTICATED` status that ends it.
    pub fn authenticate(&self, metadata: &MetadataMap) -> Result<Caller, Status> {
        match self {
            Self::Basic(basic) => basic.authenticate(metadata),
            Self::Token(token) => token.authenticate(metadata),
            Self::Jwt(verifier) => verifier.authenticate(metadata),
        }
    }
}

impl Interceptor for CallAuth {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        match self.authenticate(request.metadata()) {
            Ok(caller) => {
                tracing::debug!(subject = %caller.subject, role = %caller.role, "authenticated");
                request.extensions_mut().insert(caller);
                Ok(request)
            }
            Err(status) => {
                // The Java samples' words, and the reason, for whoever reads the server's log.
                tracing::info!(
                    "Verification failed - Unauthenticated! {}",
                    status.message()
                );
                Err(status)
            }
        }
    }
}
