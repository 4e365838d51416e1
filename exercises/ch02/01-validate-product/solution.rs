//! Exercise ch02/01 · 입력 검증하기 (Refusing bad input): a reference solution.
//!
//! The check runs before the product reaches the catalogue, so a refused product is never
//! stored and never logged as added. `INVALID_ARGUMENT` (not `FAILED_PRECONDITION` or
//! `INTERNAL`) is the code for a request that is wrong whatever the server's state: the
//! client must change the request, and retrying it unchanged cannot help.

use book_proto::ecommerce::product_info_server::ProductInfo;
use book_proto::ecommerce::{Product, ProductId};
use ch02_productinfo::ProductInfoService;
use tonic::{Request, Response, Status};

/// Chapter 2's ProductInfo service, behind a check of what `addProduct` receives.
#[derive(Debug, Default)]
pub struct ValidatingProductInfo {
    catalogue: ProductInfoService,
}

#[tonic::async_trait]
impl ProductInfo for ValidatingProductInfo {
    /// Stores a valid product; refuses an invalid one with `INVALID_ARGUMENT`.
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        validate(request.get_ref())?;
        self.catalogue.add_product(request).await
    }

    /// Unchanged: chapter 2's `getProduct`.
    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        self.catalogue.get_product(request).await
    }
}

/// A product needs a name, and a price that is a number of zero or more.
fn validate(product: &Product) -> Result<(), Status> {
    if product.name.trim().is_empty() {
        return Err(Status::invalid_argument("product name is required"));
    }
    // `price < 0.0` alone lets NaN through: every comparison with NaN is false.
    if product.price.is_nan() || product.price < 0.0 {
        return Err(Status::invalid_argument(format!(
            "price must be a number of zero or more, not {}",
            product.price
        )));
    }
    Ok(())
}
