//! Chapter 2, 「gRPC 시작」 (Getting Started with gRPC): change the ProductInfo service.
//!
//! 1. [`validate_product`]: refuse bad input with `INVALID_ARGUMENT`, by wrapping the
//!    chapter's service.
//! 2. [`delete_product`]: add a `deleteProduct` method to the service definition's v2, and
//!    show that the book's clients still work against it.

/// The ProductInfo service with a third method, `deleteProduct` (`proto/product_info_v2.proto`).
#[allow(missing_docs, clippy::all)]
pub mod proto {
    tonic::include_proto!("ecommerce");
}

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch02/01-validate-product/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch02/01-validate-product/solution.rs")]
pub mod validate_product;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch02/02-delete-product/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch02/02-delete-product/solution.rs")]
pub mod delete_product;
