//! ProductInfo with a planted bug, for the recovery layer to catch.
//!
//! It is chapter 2's service, unchanged, behind one extra line in `addProduct`: the product
//! is filed on a shelf named by the first byte of its name. A product with an empty name
//! makes that slice panic: the kind of bug recovery middleware exists for.

use book_proto::ecommerce::product_info_server::ProductInfo;
use book_proto::ecommerce::{Product, ProductId};
use ch02_productinfo::ProductInfoService;
use tonic::{Request, Response, Status};

/// Chapter 2's ProductInfo whose `addProduct` panics on an empty product name.
#[derive(Debug, Default)]
pub struct FragileProductInfo {
    inner: ProductInfoService,
}

#[tonic::async_trait]
impl ProductInfo for FragileProductInfo {
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        let shelf = &request.get_ref().name[..1];
        tracing::info!("Filing on shelf {shelf:?}");
        self.inner.add_product(request).await
    }

    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        self.inner.get_product(request).await
    }
}
