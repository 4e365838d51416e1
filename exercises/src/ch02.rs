//! Chapter 2, 「gRPC 시작」 (Getting Started with gRPC): change the ProductInfo service.
//!
//! 1. [`validate_product`]: refuse bad input with `INVALID_ARGUMENT`, by wrapping the
//!    chapter's service.
//! 2. [`write_the_client`]: chapter 2's client as a library function, with the generated
//!    stub: add a product, read it back by the id the server gave, pass a failure on as it is.
//! 3. [`delete_product`]: add a `deleteProduct` method to the service definition's v2, and
//!    show that the book's clients still work against it.
//! 4. [`safe_catalogue`]: a catalogue that gives every product its own id under concurrent
//!    calls, where a lock around each step is not enough.

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
    path = "../ch02/02-write-the-client/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch02/02-write-the-client/solution.rs")]
pub mod write_the_client;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch02/03-delete-product/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch02/03-delete-product/solution.rs")]
pub mod delete_product;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch02/04-safe-catalogue/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch02/04-safe-catalogue/solution.rs")]
pub mod safe_catalogue;
