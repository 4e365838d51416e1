//! Exercise ch02/03 · 메서드 추가하기 (Adding a method): `deleteProduct`. The task is in
//! `README.md` beside this file; the checks are `tests/ch02_delete_product.rs`.
//!
//! [`ProductCatalogue`] implements version 2 of the ProductInfo service
//! (`exercises/proto/product_info_v2.proto`): the book's `addProduct` and `getProduct`,
//! already written here as in chapter 2, and the new `deleteProduct`, which is not.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use tonic::{Request, Response, Status};
use uuid::Uuid;

use crate::ch02::proto::product_info_server::ProductInfo;
use crate::ch02::proto::{Product, ProductId};

/// ProductInfo v2 over an in-memory catalogue, keyed by product id.
#[derive(Debug, Default)]
pub struct ProductCatalogue {
    products: RwLock<HashMap<String, Product>>,
}

#[tonic::async_trait]
impl ProductInfo for ProductCatalogue {
    /// Stores the product under a fresh id, as in chapter 2.
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        let mut product = request.into_inner();
        product.id = Uuid::new_v4().to_string();
        let id = ProductId {
            value: product.id.clone(),
        };
        self.products
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(product.id.clone(), product);
        Ok(Response::new(id))
    }

    /// Answers with the stored product, or `NOT_FOUND`, as in chapter 2.
    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        let id = request.into_inner().value;
        let products = self.products.read().unwrap_or_else(PoisonError::into_inner);
        match products.get(&id) {
            Some(product) => Ok(Response::new(product.clone())),
            None => Err(Status::not_found(format!("Product does not exist: {id}"))),
        }
    }

    /// Removes the product; `NOT_FOUND` when there is none with that id.
    async fn delete_product(&self, _request: Request<ProductId>) -> Result<Response<()>, Status> {
        // EXERCISE: remove the product from `self.products` and answer with `()`, or with
        // NOT_FOUND naming the id when nothing was stored under it.
        Err(Status::unimplemented("deleteProduct is the exercise"))
    }
}
