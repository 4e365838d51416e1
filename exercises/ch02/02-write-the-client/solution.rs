//! Exercise ch02/02 · 클라이언트 작성하기 (Writing the client): a reference solution.
//!
//! The generated stub does the gRPC work: `add_product` and `get_product` each build the
//! request, send it over the channel and decode the answer. What is left is the flow: the id
//! the first call answers with is the argument of the second. Both calls return
//! `Result<Response<_>, Status>`, so `?` hands a failed call's status to the caller as the
//! server sent it, and the caller decides what a `NOT_FOUND` means.

use book_proto::ecommerce::Product;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use common::channel::Channel;
use tonic::Status;

/// Adds `product` over `channel`, then gets it back by the id the server gave it: the
/// product as the server stored it, or the status of the call that failed, unchanged.
pub async fn add_and_get(channel: Channel, product: Product) -> Result<Product, Status> {
    // The stub takes `&mut self` for each call; cloning a channel is cheap, so a caller that
    // wants the channel for other calls keeps its own clone.
    let mut client = ProductInfoClient::new(channel);
    let id = client.add_product(product).await?.into_inner();
    let stored = client.get_product(id).await?.into_inner();
    Ok(stored)
}
