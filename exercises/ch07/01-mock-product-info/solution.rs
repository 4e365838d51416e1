//! Exercise ch07/01 · 목으로 클라이언트 테스트하기 (Testing the client against a mock): a
//! reference solution.
//!
//! The mock records before it answers, so a test sees the call even when the scripted
//! answer is a failure. It reads the deadline from the metadata because that is part of what
//! the client sends: a client that forgot its deadline would pass a test that only compared
//! messages. Each answer is a clone of the script: every call gets the same answer, and a
//! `Status` clones like any other value.
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use book_proto::ecommerce::product_info_server::ProductInfo;
use book_proto::ecommerce::{Product, ProductId};
use common::deadline::Deadline;
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
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        let timeout = time_left(&request);
        self.log.record(Call::Add {
            product: request.into_inner(),
            timeout,
        });
        self.add_answer.clone().map(Response::new)
    }

    /// Records the call, then answers `get_answer`.
    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        let timeout = time_left(&request);
        self.log.record(Call::Get {
            id: request.into_inner().value,
            timeout,
        });
        self.get_answer.clone().map(Response::new)
    }
}

/// What was left of the caller's deadline as the call arrived: tonic's client sends it as
/// `grpc-timeout`, which `Deadline::of_call` reads back.
fn time_left<T>(request: &Request<T>) -> Option<Duration> {
    Deadline::of_call(request.metadata()).map(|deadline| deadline.remaining())
}
