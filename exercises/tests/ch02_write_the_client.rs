//! Checks for exercise ch02/02, 클라이언트 작성하기 (Writing the client).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch02_write_the_client -- --include-ignored`.
//!
//! The servers here write down every call they get, so the checks see what the student's
//! client sent as well as what it returned.

use std::sync::{Arc, Mutex, PoisonError};

use book_proto::ecommerce::product_info_server::{ProductInfo, ProductInfoServer};
use book_proto::ecommerce::{Product, ProductId};
use ch02_productinfo::ProductInfoService;
use ch02_productinfo::client::book_product;
use exercises::ch02::write_the_client::add_and_get;
use exercises::expect::sent;
use exercises::harness::{self, LocalServer};
use tonic::{Code, Request, Response, Status};

/// The calls a server got, in order: `addProduct`, or `getProduct("<id>")`.
#[derive(Debug, Clone, Default)]
struct CallLog(Arc<Mutex<Vec<String>>>);

impl CallLog {
    fn push(&self, call: String) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(call);
    }

    fn calls(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A ProductInfo server that writes down each call, then hands it to `inner`.
struct Recording<S> {
    inner: S,
    log: CallLog,
}

#[tonic::async_trait]
impl<S: ProductInfo> ProductInfo for Recording<S> {
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        self.log.push("addProduct".into());
        self.inner.add_product(request).await
    }

    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        self.log
            .push(format!("getProduct({:?})", request.get_ref().value));
        self.inner.get_product(request).await
    }
}

/// A server that forgets at once: `addProduct` answers the id "42", and `getProduct` of
/// any id is `NOT_FOUND`.
struct Forgetful;

#[tonic::async_trait]
impl ProductInfo for Forgetful {
    async fn add_product(&self, _: Request<Product>) -> Result<Response<ProductId>, Status> {
        Ok(Response::new(ProductId { value: "42".into() }))
    }

    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        Err(Status::not_found(format!(
            "Product does not exist: {}",
            request.get_ref().value
        )))
    }
}

/// Serves `inner`, writing its calls down in the returned log.
async fn start(inner: impl ProductInfo) -> (LocalServer<tonic::transport::Error>, CallLog) {
    let log = CallLog::default();
    let recording = Recording {
        inner,
        log: log.clone(),
    };
    let server = harness::start(tonic::service::Routes::new(ProductInfoServer::new(
        recording,
    )))
    .await
    .expect("bind a loopback port");
    (server, log)
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_books_product_comes_back_with_the_servers_id() {
    let (server, log) = start(ProductInfoService::default()).await;
    let call = sent("add_and_get with the book's \"Apple iPhone 11\", to chapter 2's server");
    let stored = call.expect_ok(add_and_get(server.channel(), book_product()).await);
    call.expect(
        !stored.id.is_empty(),
        "the product with the id the server gave it",
        &stored,
    );
    call.expect_eq(
        &stored,
        &Product {
            id: stored.id.clone(),
            ..book_product()
        },
    );
    call.expect_eq(
        log.calls(),
        [
            "addProduct".to_owned(),
            format!("getProduct({:?})", stored.id),
        ],
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn not_found_reaches_the_caller_unchanged() {
    let (server, _) = start(Forgetful).await;
    let call = sent("add_and_get to a server that answers getProduct with NOT_FOUND");
    let status = call.expect_code(
        add_and_get(server.channel(), book_product()).await,
        Code::NotFound,
    );
    call.expect_eq(status.message(), "Product does not exist: 42");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn exactly_two_calls_add_then_get_by_the_answered_id() {
    let (server, log) = start(Forgetful).await;
    let call = sent("add_and_get to a server whose addProduct answers the id \"42\"");
    let _ = add_and_get(server.channel(), book_product()).await;
    call.expect_eq(log.calls(), ["addProduct", "getProduct(\"42\")"]);
    server.stop().await.expect("the server stops");
}
