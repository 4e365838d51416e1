//! Exercise ch02/04 · 동시 호출에 안전한 카탈로그 (A catalogue safe under concurrent calls): a
//! reference solution.
//!
//! A lock makes each access safe, not a sequence of them. Reading the count and writing it
//! back are one step of the catalogue's logic ("take the next id"), so they must happen under
//! one lock acquisition, with nothing in between that lets another call run. Here that step
//! is an [`AtomicU64::fetch_add`]: it reads and increments in one indivisible operation, so
//! no two calls ever see the same count. (A `Mutex<u64>` locked once, with the read and
//! the write under the same guard, would do as well.)
//!
//! The await stays, after the id is taken: awaiting while holding a `std::sync::Mutex` guard
//! would block the runtime's thread and the compiler would refuse to send the future between
//! threads, and an id taken before the await is this call's alone.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use book_proto::ecommerce::product_info_server::ProductInfo;
use book_proto::ecommerce::{Product, ProductId};
use tonic::{Request, Response, Status};

/// ProductInfo over an in-memory catalogue that numbers its products 1, 2, 3, ….
#[derive(Debug, Default)]
pub struct Catalogue {
    /// The number of ids given out so far; the next product's id is one more.
    added: AtomicU64,
    products: Mutex<HashMap<String, Product>>,
}

#[tonic::async_trait]
impl ProductInfo for Catalogue {
    /// Gives the product the next number as its id, stores it and answers with the id.
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        let mut product = request.into_inner();
        // `Relaxed` is enough: the counter only has to hand out distinct numbers, and the
        // map's mutex orders the inserts themselves.
        let count = self.added.fetch_add(1, Ordering::Relaxed);
        write_audit_log(&product).await;
        product.id = (count + 1).to_string();
        let id = ProductId {
            value: product.id.clone(),
        };
        lock(&self.products).insert(product.id.clone(), product);
        Ok(Response::new(id))
    }

    /// Answers with the product stored under the id, or `NOT_FOUND` naming the id.
    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        let id = request.into_inner().value;
        let found = lock(&self.products).get(&id).cloned();
        found
            .map(Response::new)
            .ok_or_else(|| Status::not_found(format!("Product does not exist: {id}")))
    }
}

/// Stands for the await a real store makes while it adds a product (an audit log on disk, a
/// database round trip). It gives the runtime to other calls, as a real await would.
async fn write_audit_log(product: &Product) {
    tracing::debug!("audit: adding {:?}", product.name);
    tokio::task::yield_now().await;
}

/// Locks `mutex`. A panic while it was held cannot have left the map half-written (an insert
/// either happened or not), so a poisoned lock is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
