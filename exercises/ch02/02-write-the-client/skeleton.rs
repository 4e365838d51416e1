//! Exercise ch02/02 · 클라이언트 작성하기 (Writing the client). The task is in `README.md`
//! beside this file; the checks are `tests/ch02_write_the_client.rs`.
//!
//! [`add_and_get`] is chapter 2's client as a library function: it gets a channel to a
//! ProductInfo server and a product, and should add the product and read it back with the
//! generated stub `ProductInfoClient`. For now it calls nothing.

use book_proto::ecommerce::Product;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use common::channel::Channel;
use tonic::Status;

/// Adds `product` over `channel`, then gets it back by the id the server gave it: the
/// product as the server stored it, or the status of the call that failed, unchanged.
pub async fn add_and_get(channel: Channel, product: Product) -> Result<Product, Status> {
    let client = ProductInfoClient::new(channel);
    // EXERCISE: call `client.add_product(product)` and take the `ProductId` out of its
    // response, then `client.get_product(id)` and answer with the product in its response.
    // A failed call's status goes back to the caller as it is (`?`), never a panic.
    let _ = (client, product);
    Err(Status::unimplemented("add_and_get calls nothing yet"))
}
