//! Authorization: what an authenticated caller may do.
//!
//! Authentication ([`crate::auth`]) answers "who is calling?"; authorization answers "may
//! they do this?". The answer depends on the method, which a tonic interceptor cannot see
//! (it gets the call's metadata, not its path), so it is made one step further in, around
//! each service: [`RoleChecked`] reads the method from the request's path and the [`Caller`]
//! the interceptor left in its extensions, and looks both up in [`POLICY`], one table for
//! every method of both services. A method the table does not name is refused: a method added
//! to a service later stays closed until someone writes down who may call it.
//!
//! A caller whose role the table does not list for the method gets `PERMISSION_DENIED`, not
//! `UNAUTHENTICATED`: the server knows who they are, and says no.

use std::convert::Infallible;
use std::task::{Context, Poll};

use futures::future::{BoxFuture, FutureExt};
use http::{Request, Response};
use tonic::Status;
use tonic::body::Body;
use tonic::server::NamedService;
use tower::Service;

use crate::auth::{ADMIN_ROLE, Caller, VIEWER_ROLE};

/// Who may call what: each method's path and the roles allowed to call it. Reading is open
/// to viewers; anything that adds, changes or ships is for admins.
pub const POLICY: &[(&str, &[&str])] = &[
    ("/ecommerce.ProductInfo/addProduct", &[ADMIN_ROLE]),
    (
        "/ecommerce.ProductInfo/getProduct",
        &[ADMIN_ROLE, VIEWER_ROLE],
    ),
    ("/ecommerce.OrderManagement/addOrder", &[ADMIN_ROLE]),
    (
        "/ecommerce.OrderManagement/getOrder",
        &[ADMIN_ROLE, VIEWER_ROLE],
    ),
    (
        "/ecommerce.OrderManagement/searchOrders",
        &[ADMIN_ROLE, VIEWER_ROLE],
    ),
    ("/ecommerce.OrderManagement/updateOrders", &[ADMIN_ROLE]),
    ("/ecommerce.OrderManagement/processOrders", &[ADMIN_ROLE]),
];

/// The roles [`POLICY`] allows to call `path`: none for a path it does not name.
pub fn allowed_roles(path: &str) -> &'static [&'static str] {
    POLICY
        .iter()
        .find(|(method, _)| *method == path)
        .map_or(&[], |(_, roles)| roles)
}

/// A service (the server tonic generates) whose calls are checked against [`POLICY`].
///
/// It sits inside the authentication interceptor, so every call that reaches it carries a
/// [`Caller`]; one without is refused, which keeps a service put behind no interceptor by
/// mistake from opening the door.
#[derive(Debug, Clone)]
pub struct RoleChecked<S> {
    inner: S,
}

impl<S> RoleChecked<S> {
    /// Guards `inner`.
    pub fn new(inner: S) -> Self {
        Self { inner }
    }
}

impl<S: NamedService> NamedService for RoleChecked<S> {
    const NAME: &'static str = S::NAME;
}

impl<S> Service<Request<Body>> for RoleChecked<S>
where
    S: Service<Request<Body>, Response = Response<Body>, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        match authorize(request.uri().path(), request.extensions().get::<Caller>()) {
            Ok(()) => self.inner.call(request).boxed(),
            Err(status) => std::future::ready(Ok(status.into_http())).boxed(),
        }
    }
}

/// Whether `caller` may call `path`, or the status that refuses the call.
fn authorize(path: &str, caller: Option<&Caller>) -> Result<(), Status> {
    let Some(caller) = caller else {
        return Err(Status::unauthenticated("no authenticated caller"));
    };
    let roles = allowed_roles(path);
    if roles.contains(&caller.role.as_str()) {
        return Ok(());
    }
    let method = path.rsplit('/').next().unwrap_or(path);
    let has = match caller.role.as_str() {
        "" => "no role".to_owned(),
        role => format!("the {role} role"),
    };
    tracing::info!(
        "Permission denied: {} (role {}) may not call {method}",
        caller.subject,
        caller.role
    );
    Err(Status::permission_denied(match roles {
        [] => format!("{method} is open to no role"),
        [role] => format!(
            "{method} needs the {role} role; {} has {has}",
            caller.subject
        ),
        roles => format!(
            "{method} needs one of the roles {}; {} has {has}",
            roles.join(", "),
            caller.subject,
        ),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: &str) -> Caller {
        Caller {
            subject: "alice".into(),
            role: role.into(),
        }
    }

    #[test]
    fn every_method_of_both_services_is_in_the_policy() {
        use book_proto::ecommerce::order_management_server::OrderManagementServer;
        use book_proto::ecommerce::product_info_server::ProductInfoServer;
        type Products = ProductInfoServer<ch02_productinfo::ProductInfoService>;
        type Orders = OrderManagementServer<ch03_patterns::OrderManagementService>;
        let methods = book_proto::SINGLE_RESPONSE_METHODS
            .iter()
            .chain(&[
                "/ecommerce.OrderManagement/searchOrders",
                "/ecommerce.OrderManagement/processOrders",
            ])
            .filter(|path| {
                path.starts_with(&format!("/{}/", Products::NAME))
                    || path.starts_with(&format!("/{}/", Orders::NAME))
            })
            .collect::<Vec<_>>();
        assert_eq!(methods.len(), POLICY.len(), "{methods:?}");
        for path in methods {
            assert!(!allowed_roles(path).is_empty(), "{path} is not in POLICY");
        }
    }

    #[test]
    fn viewers_read_and_admins_write() {
        let get = "/ecommerce.ProductInfo/getProduct";
        let add = "/ecommerce.OrderManagement/addOrder";
        assert!(authorize(get, Some(&caller(VIEWER_ROLE))).is_ok());
        assert!(authorize(add, Some(&caller(ADMIN_ROLE))).is_ok());
        let refused = authorize(add, Some(&caller(VIEWER_ROLE))).expect_err("a viewer adds");
        assert_eq!(refused.code(), tonic::Code::PermissionDenied);
        assert_eq!(
            refused.message(),
            "addOrder needs the admin role; alice has the viewer role"
        );
        for role in ["", "Admin", "guest"] {
            let refused = authorize(get, Some(&caller(role))).expect_err(role);
            assert_eq!(refused.code(), tonic::Code::PermissionDenied, "{role:?}");
        }
        let no_role = authorize(add, Some(&caller(""))).expect_err("no role");
        assert_eq!(
            no_role.message(),
            "addOrder needs the admin role; alice has no role"
        );
        let unknown = authorize(
            "/ecommerce.OrderManagement/deleteOrder",
            Some(&caller("admin")),
        );
        assert_eq!(
            unknown.expect_err("unlisted").code(),
            tonic::Code::PermissionDenied
        );
        let anonymous = authorize(get, None).expect_err("no caller");
        assert_eq!(anonymous.code(), tonic::Code::Unauthenticated);
    }
}
