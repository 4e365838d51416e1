//! Exercise ch06/04 · 메서드별 권한 (Roles per method): a reference solution.
//!
//! **Why a tower layer, and not an interceptor.** Authorization asks "may this caller call
//! this method?", so it needs the method. A tonic `Interceptor` gets the call's metadata and
//! extensions as a `Request<()>`, and nothing of the HTTP request's path, where the method
//! is: `/ecommerce.OrderManagement/addOrder`. A tower layer gets the whole
//! `http::Request`: the path in `request.uri()` and the metadata in `request.headers()`.
//! Chapter 6's own server (`ch06_security::roles`) splits the work: an interceptor
//! authenticates, and a service wrapper reading the path authorizes. Here one layer does
//! both, for every service on the server.
//!
//! **Two refusals, two codes.** A call without a token the server knows is
//! `UNAUTHENTICATED`: the server does not know who is calling, and the client should get
//! (better) credentials. A known caller whose role may not call the method is
//! `PERMISSION_DENIED`: the server knows who it is, and says no; new credentials for the
//! same caller would not help.
//!
//! **Deny by default.** A path that [`POLICY`] does not name is open to no one, an admin
//! included: a method added to a service later stays closed until someone writes down who
//! may call it. The opposite default opens every new method to everyone, silently.
//!
//! **Before the body.** The layer decides on the headers alone, so a refused streaming call
//! is refused before any of its messages reaches the service.

use std::task::{Context, Poll};

use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::{OrderManagementService, OrderStore};
pub use ch06_security::auth::{ADMIN_ROLE, VIEWER_ROLE};
pub use common::secret::BOOK_TOKEN;
use common::secret::same_secret;
use futures::future::BoxFuture;
use http::HeaderMap;
use tokio::net::TcpListener;
use tonic::Status;
use tonic::body::Body;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tower::{Layer, Service};

/// A token that stands for a viewer.
pub const VIEWER_TOKEN: &str = "viewer-token";

/// Who bears each token the server knows: the book's token is an admin's, as in chapter 6.
/// A call shows its token as `authorization: Bearer <token>`.
pub const TOKENS: &[(&str, &str)] = &[(BOOK_TOKEN, ADMIN_ROLE), (VIEWER_TOKEN, VIEWER_ROLE)];

/// Who may call what: each method's path and the roles allowed to call it. Reading is open
/// to viewers; anything that adds, changes or ships orders is for admins.
pub const POLICY: &[(&str, &[&str])] = &[
    (
        "/ecommerce.OrderManagement/getOrder",
        &[ADMIN_ROLE, VIEWER_ROLE],
    ),
    (
        "/ecommerce.OrderManagement/searchOrders",
        &[ADMIN_ROLE, VIEWER_ROLE],
    ),
    ("/ecommerce.OrderManagement/addOrder", &[ADMIN_ROLE]),
    ("/ecommerce.OrderManagement/updateOrders", &[ADMIN_ROLE]),
    ("/ecommerce.OrderManagement/processOrders", &[ADMIN_ROLE]),
];

/// The layer that puts [`RolePerMethod`] around a server's services.
#[derive(Debug, Clone, Copy, Default)]
pub struct RolePerMethodLayer;

impl<S> Layer<S> for RolePerMethodLayer {
    type Service = RolePerMethod<S>;

    fn layer(&self, inner: S) -> RolePerMethod<S> {
        RolePerMethod { inner }
    }
}

/// A server's services (tonic's router), behind the check of [`POLICY`].
#[derive(Debug, Clone)]
pub struct RolePerMethod<S> {
    inner: S,
}

impl<S> Service<http::Request<Body>> for RolePerMethod<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    /// Runs once per call, with the call's path (`request.uri().path()`) and headers (its
    /// metadata), before the body (its messages) is read.
    ///
    /// A call that may not go on ends here, answered as tonic answers an `Err(status)`
    /// (`Status::into_http`); the service never sees it.
    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let decision =
            role_of(request.headers()).and_then(|role| authorize(role, request.uri().path()));
        match decision {
            Ok(()) => Box::pin(self.inner.call(request)),
            Err(status) => Box::pin(std::future::ready(Ok(status.into_http()))),
        }
    }
}

/// The role of the bearer token in `authorization: Bearer <token>`, or `UNAUTHENTICATED`.
///
/// Every known token is compared, in constant time, whichever matches: the time a refusal
/// takes says nothing about how close a guess came to any of them.
fn role_of(headers: &HeaderMap) -> Result<&'static str, Status> {
    let value = headers
        .get("authorization")
        .ok_or_else(|| Status::unauthenticated("no authorization header"))?
        .to_str()
        .map_err(|_| Status::unauthenticated("the authorization header is not printable ASCII"))?;
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("Bearer") => token.trim(),
        _ => return Err(Status::unauthenticated("expected a Bearer token")),
    };
    let mut role = None;
    for (known, known_role) in TOKENS {
        if same_secret(token.as_bytes(), known.as_bytes()) {
            role = Some(*known_role);
        }
    }
    role.ok_or_else(|| Status::unauthenticated("unknown token"))
}

/// Whether `role` may call `path`, or the `PERMISSION_DENIED` that names the method.
fn authorize(role: &str, path: &str) -> Result<(), Status> {
    let allowed = POLICY
        .iter()
        .find(|(method, _)| *method == path)
        .map_or(&[][..], |(_, roles)| roles);
    if allowed.contains(&role) {
        return Ok(());
    }
    let method = path.rsplit('/').next().unwrap_or(path);
    Err(Status::permission_denied(match allowed {
        [] => format!("{method} is open to no role"),
        roles => format!(
            "{method} needs the role {}; the caller has the {role} role",
            roles.join(" or ")
        ),
    }))
}

/// Serves chapter 3's order service behind [`RolePerMethodLayer`] on `listener` until
/// `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    Server::builder()
        .layer(RolePerMethodLayer)
        .add_service(OrderManagementServer::new(OrderManagementService::new(
            OrderStore::book(),
        )))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await
}
