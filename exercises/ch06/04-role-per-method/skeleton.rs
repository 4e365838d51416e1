//! Exercise ch06/04 · 메서드별 권한 (Roles per method): a server layer. The task is in
//! `README.md` beside this file; the checks are `tests/ch06_role_per_method.rs`.
//!
//! [`serve`] runs chapter 3's order service, unchanged, behind [`RolePerMethodLayer`], a tower
//! layer: every call, whatever its kind, reaches [`RolePerMethod::call`] as an HTTP request,
//! with its path (`/ecommerce.OrderManagement/addOrder`) and its headers, before any service
//! sees it. [`TOKENS`] says which role each bearer token stands for. For now the layer lets
//! every call through and [`POLICY`] is empty: filling in the policy and enforcing it is the
//! exercise.

use std::task::{Context, Poll};

use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::{OrderManagementService, OrderStore};
pub use ch06_security::auth::{ADMIN_ROLE, VIEWER_ROLE};
pub use common::secret::BOOK_TOKEN;
use futures::future::BoxFuture;
use tokio::net::TcpListener;
use tonic::body::Body;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tower::{Layer, Service};

/// A token that stands for a viewer.
pub const VIEWER_TOKEN: &str = "viewer-token";

/// Who bears each token the server knows: the book's token is an admin's, as in chapter 6.
/// A call shows its token as `authorization: Bearer <token>`.
pub const TOKENS: &[(&str, &str)] = &[(BOOK_TOKEN, ADMIN_ROLE), (VIEWER_TOKEN, VIEWER_ROLE)];

/// Who may call what: each method's path and the roles allowed to call it.
// EXERCISE: a row for each method of OrderManagement, as the README's table says.
pub const POLICY: &[(&str, &[&str])] = &[];

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
    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        // EXERCISE: find the caller's role from the bearer token in the `authorization`
        // header (`UNAUTHENTICATED` if there is none, or the token is not in `TOKENS`), then
        // refuse the call with `PERMISSION_DENIED`, naming the method, unless `POLICY` lets
        // that role call this path.
        Box::pin(self.inner.call(request))
    }
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
