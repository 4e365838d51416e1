//! Exercise ch02/04 · 동시 호출에 안전한 카탈로그 (A catalogue safe under concurrent calls). The
//! task is in `README.md` beside this file; the checks are `tests/ch02_safe_catalogue.rs`.
//!
//! The book's Go server writes one map from every call's goroutine without a lock: a data
//! race. Rust refuses to compile that, so [`Catalogue`] locks its data. Yet it is still wrong
//! under concurrent calls: it reads the next id under one lock and writes it back under
//! another, and between the two another call can read the same id. The compiler cannot see
//! that mistake; only a test with many clients at once can.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use book_proto::ecommerce::product_info_server::ProductInfo;
use book_proto::ecommerce::{Product, ProductId};
use tonic::{Request, Response, Status};

/// ProductInfo over an in-memory catalogue that numbers its products 1, 2, 3, ….
#[derive(Debug, Default)]
pub struct Catalogue {
    /// The number of products added so far; the next product's id is one more.
    added: Mutex<u64>,
    products: Mutex<HashMap<String, Product>>,
}

#[tonic::async_trait]
impl ProductInfo for Catalogue {
    /// Gives the product the next number as its id, stores it and answers with the id.
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        let mut product = request.into_inner();
        // EXERCISE: every call must get an id no other call gets. Here the count is read
        // under one lock and written back under another, with an await between them: two
        // calls can read the same count, take the same id, and the second product replaces
        // the first.
        let count = *lock(&self.added);
        write_audit_log(&product).await;
        *lock(&self.added) = count + 1;
        product.id = (count + 1).to_string();
        let id = ProductId {
            value: product.id.clone(),
        };
        lock(&self.products).insert(product.id.clone(), product);
        Ok(Response::new(id))
    }

    /// Answers with the product stored under the id, or `NOT_FOUND`.
    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        let id = request.into_inner().value;
        let found = lock(&self.products).get(&id).cloned();
        // EXERCISE: a `NOT_FOUND` should name the id the client asked for.
        found
            .map(Response::new)
            .ok_or_else(|| Status::not_found("Product does not exist."))
    }
}

/// Stands for the await a real store makes while it adds a product (an audit log on disk, a
/// database round trip). It gives the runtime to other calls, as a real await would, which
/// is what lets two calls interleave between the lines around it.
async fn write_audit_log(product: &Product) {
    tracing::debug!("audit: adding {:?}", product.name);
    tokio::task::yield_now().await;
}

/// Locks `mutex`. A panic while it was held cannot have left the data half-written (an
/// insert or an assignment either happened or not), so a poisoned lock is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
