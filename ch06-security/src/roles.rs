//! Authorization: what an authenticated caller may do.
//!
//! Authentication ([`crate::auth`]) answers "who is calling?"; authorization answers "may
//! they do this?". The answer depends on the method, which a tonic interceptor cannot see
//! (it gets the call's metadata, not its path), so it is made here, around the service:
//! [`RoleChecked`] implements ProductInfo by asking the [`Caller`] the interceptor left in
//! the request, then handing the call to the real service (chapter 2's, unchanged).
//!
//! The rule, as the chapter's issue sets it: `addProduct` needs the `admin` role, and
//! `getProduct` any authenticated caller. A caller with another role gets
//! `PERMISSION_DENIED`, not `UNAUTHENTICATED`: the server knows who they are, and says no.

use book_proto::ecommerce::product_info_server::ProductInfo;
use book_proto::ecommerce::{Product, ProductId};
use tonic::{Request, Response, Status};

use crate::auth::{ADMIN_ROLE, Caller};

/// A ProductInfo service that lets only admins add products.
pub struct RoleChecked<S> {
    inner: S,
}

impl<S> RoleChecked<S> {
    /// Guards `inner`.
    pub fn new(inner: S) -> Self {
        Self { inner }
    }
}

#[tonic::async_trait]
impl<S: ProductInfo> ProductInfo for RoleChecked<S> {
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        let caller = caller(&request)?;
        if caller.role != ADMIN_ROLE {
            tracing::info!(
                "Permission denied: {} (role {}) may not add products",
                caller.subject,
                caller.role
            );
            return Err(Status::permission_denied(format!(
                "addProduct needs the {ADMIN_ROLE} role; {} has the {} role",
                caller.subject, caller.role
            )));
        }
        self.inner.add_product(request).await
    }

    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        caller(&request)?;
        self.inner.get_product(request).await
    }
}

/// The caller the authentication interceptor found. Without one the service was put behind
/// no interceptor by mistake; refusing then keeps the mistake from opening the door.
fn caller<T>(request: &Request<T>) -> Result<&Caller, Status> {
    request
        .extensions()
        .get::<Caller>()
        .ok_or_else(|| Status::unauthenticated("no authenticated caller"))
}
