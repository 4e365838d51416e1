//! Exercise ch07/01 · 목으로 클라이언트 테스트하기 (Testing the client against a mock). The task
//! is in `README.md` beside this file; the checks are `tests/ch07_mock_product_info.rs`.
//!
//! [`MockProductInfo`] is the book's `gomock` in Rust: another implementation of the
//! generated `ProductInfo` trait, so a test decides what the "server" answers and reads back
//! what the client sent. The script ([`MockProductInfo::add_answer`],
//! [`MockProductInfo::get_answer`]) and the record ([`CallLog`]) are here; the two methods
//! that should use them are not written yet.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use book_proto::ecommerce::product_info_server::ProductInfo;
use book_proto::ecommerce::{Product, ProductId};
use tonic::{Request, Response, Status};

/// One call the mock received, with what was left of the caller's deadline when it arrived
/// (`None`: the call carried no `grpc-timeout`).
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    /// `addProduct` with this product.
    Add {
        /// The product the client sent.
        product: Product,
        /// The caller's time left, from `grpc-timeout`.
        timeout: Option<Duration>,
    },
    /// `getProduct` with this id.
    Get {
        /// The id the client asked for.
        id: String,
        /// The caller's time left, from `grpc-timeout`.
        timeout: Option<Duration>,
    },
}

/// The calls a mock received, in order. Clones share one record, so a test keeps a clone
/// while the mock itself moves into the server.
#[derive(Debug, Clone, Default)]
pub struct CallLog(Arc<Mutex<Vec<Call>>>);

impl CallLog {
    /// Adds `call` to the record.
    pub fn record(&self, call: Call) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(call);
    }

    /// The calls recorded so far.
    pub fn calls(&self) -> Vec<Call> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A ProductInfo that answers from a script and records every call.
#[derive(Debug)]
pub struct MockProductInfo {
    /// What every `addProduct` answers: an id, or a status to fail with.
    pub add_answer: Result<ProductId, Status>,
    /// What every `getProduct` answers: a product, or a status to fail with.
    pub get_answer: Result<Product, Status>,
    log: CallLog,
}

impl MockProductInfo {
    /// A mock that answers as scripted.
    pub fn new(add_answer: Result<ProductId, Status>, get_answer: Result<Product, Status>) -> Self {
        Self {
            add_answer,
            get_answer,
            log: CallLog::default(),
        }
    }

    /// The record of the calls, shared with the mock.
    pub fn log(&self) -> CallLog {
        self.log.clone()
    }
}

#[tonic::async_trait]
impl ProductInfo for MockProductInfo {
    /// Records the call, then answers `add_answer`.
    async fn add_product(&self, _request: Request<Product>) -> Result<Response<ProductId>, Status> {
        // EXERCISE: record `Call::Add` (the product, and the time left of the caller's
        // deadline: `common::deadline::Deadline::of_call` reads it from the metadata), then
        // answer a copy of `self.add_answer`.
        Err(Status::unimplemented("the mock is not written yet"))
    }

    /// Records the call, then answers `get_answer`.
    async fn get_product(&self, _request: Request<ProductId>) -> Result<Response<Product>, Status> {
        // EXERCISE: record `Call::Get` the same way, then answer a copy of `self.get_answer`.
        Err(Status::unimplemented("the mock is not written yet"))
    }
}
