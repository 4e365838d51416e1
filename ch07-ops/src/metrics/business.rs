//! The book's business metric: how many products of each name were added.

use book_proto::ecommerce::product_info_server::ProductInfo;
use book_proto::ecommerce::{Product, ProductId};
use ch02_productinfo::ProductInfoService;
use prometheus::{CounterVec, Opts, Registry};
use tonic::{Request, Response, Status};

/// Chapter 2's service, counting `addProduct` calls by product name in
/// `product_mgt_server_handle_count{name}`, as the book's Go server does.
#[derive(Debug)]
pub struct CountedProductInfo {
    inner: ProductInfoService,
    handled: CounterVec,
}

impl CountedProductInfo {
    /// A fresh catalogue whose counter is registered in `registry`.
    pub fn register(registry: &Registry) -> prometheus::Result<Self> {
        let handled = CounterVec::new(
            Opts::new(
                "product_mgt_server_handle_count",
                "Total number of RPCs handled on the server.",
            ),
            &["name"],
        )?;
        registry.register(Box::new(handled.clone()))?;
        Ok(Self {
            inner: ProductInfoService::default(),
            handled,
        })
    }
}

#[tonic::async_trait]
impl ProductInfo for CountedProductInfo {
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        self.handled
            .with_label_values(&[request.get_ref().name.as_str()])
            .inc();
        self.inner.add_product(request).await
    }

    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        self.inner.get_product(request).await
    }
}
