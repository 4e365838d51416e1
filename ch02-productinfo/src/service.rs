//! The server side of ProductInfo (book section "서비스 구현", Implementing the service).
//!
//! The book's Go server keeps its products in a plain map that every call reads and writes
//! from its own goroutine: a data race. Here the map sits behind a [`RwLock`], so any number
//! of `getProduct` calls read at once and an `addProduct` briefly excludes them. The lock is a
//! std lock on purpose: it is held only for a map lookup or insert, never across an `.await`,
//! so an async lock would only add overhead.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use book_proto::ecommerce::product_info_server::ProductInfo;
use book_proto::ecommerce::{Product, ProductId};
use tonic::{Request, Response, Status};
use uuid::Uuid;

/// ProductInfo over an in-memory catalogue, keyed by product id.
#[derive(Debug, Default)]
pub struct ProductInfoService {
    products: RwLock<HashMap<String, Product>>,
}

#[tonic::async_trait]
impl ProductInfo for ProductInfoService {
    /// Gives the product a fresh random (version 4) UUID, stores it and answers with the id.
    /// An id sent by the client is replaced, as in the book.
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        let mut product = request.into_inner();
        product.id = Uuid::new_v4().to_string();
        let id = ProductId {
            value: product.id.clone(),
        };
        tracing::info!("Product {} : {} - Added.", product.id, product.name);
        self.write().insert(product.id.clone(), product);
        Ok(Response::new(id))
    }

    /// Answers with the product stored under the id, or `NOT_FOUND` naming the id.
    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        let id = request.into_inner().value;
        let found = self.read().get(&id).cloned();
        match found {
            Some(product) => {
                tracing::info!("Product {} : {} - Retrieved.", product.id, product.name);
                Ok(Response::new(product))
            }
            None => Err(Status::not_found(format!("Product does not exist: {id}"))),
        }
    }
}

impl ProductInfoService {
    // A panic while holding the lock cannot leave the map half-written (insert and get do not
    // panic midway), so a poisoned lock is still safe to use.
    fn read(&self) -> RwLockReadGuard<'_, HashMap<String, Product>> {
        self.products.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, HashMap<String, Product>> {
        self.products
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
