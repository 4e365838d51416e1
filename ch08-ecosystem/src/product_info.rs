//! Chapter 2's ProductInfo service, spoken in chapter 8's proto.
//!
//! The book's chapter 8 samples define ProductInfo with `google.protobuf.StringValue` for the
//! id (`proto/ch08/product_info.proto`) where chapter 2 has `ecommerce.ProductID`. On the wire
//! the two are the same bytes, so any client of either works with this server; what changes
//! is what a reader sees: reflection describes `google.protobuf.StringValue`, and the gateway
//! answers `POST /v1/product` with a bare JSON string, as the book shows. The service itself
//! is chapter 2's, reused: this only converts the id.

use book_proto::ch08::ecommerce::product_info_server::{ProductInfo, ProductInfoServer};
use book_proto::ecommerce::product_info_server::ProductInfo as Ch02ProductInfo;
use book_proto::ecommerce::{Product, ProductId};
use ch02_productinfo::{MAX_MESSAGE_SIZE, ProductInfoService};
use tonic::{Request, Response, Status};

/// Chapter 2's service behind chapter 8's proto.
#[derive(Debug, Default)]
pub struct BookProductInfo {
    inner: ProductInfoService,
}

/// The server type chapter 8 serves ProductInfo as.
pub type Server = ProductInfoServer<BookProductInfo>;

/// ProductInfo, ready to add to a server, with chapter 2's message size limit.
pub fn server() -> Server {
    ProductInfoServer::new(BookProductInfo::default()).max_decoding_message_size(MAX_MESSAGE_SIZE)
}

#[tonic::async_trait]
impl ProductInfo for BookProductInfo {
    async fn add_product(&self, request: Request<Product>) -> Result<Response<String>, Status> {
        let id = self.inner.add_product(request).await?;
        Ok(id.map(|id| id.value))
    }

    async fn get_product(&self, request: Request<String>) -> Result<Response<Product>, Status> {
        self.inner
            .get_product(request.map(|value| ProductId { value }))
            .await
    }
}
