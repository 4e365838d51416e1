//! Exercise ch02/01 · 입력 검증하기 (Refusing bad input). The task is in `README.md` beside
//! this file; the checks are `tests/ch02_validate_product.rs`.
//!
//! [`ValidatingProductInfo`] serves ProductInfo by handing every call to chapter 2's
//! `ProductInfoService`, so it already adds and gets products. What it lacks is a look at
//! the product before it is stored.

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
        // EXERCISE: look at `request.get_ref()` and return `Err(Status::invalid_argument(..))`
        // for a product without a name, or whose price is not a number of zero or more.
        self.catalogue.add_product(request).await
    }

    /// Unchanged: chapter 2's `getProduct`.
    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        self.catalogue.get_product(request).await
    }
}
