//! Checks for exercise ch08/04, 패닉 복구 미들웨어 (Recovering from a panicking handler).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch08_panic_recovery -- --include-ignored`.
//!
//! The first checks run a server: chapter 8's `FragileProductInfo` behind chapter 8's metrics
//! layer and the student's recovery layer. The last two call the layer directly, around
//! services made to panic in the two places a service can. The panics these tests provoke
//! are printed on stderr by Rust's panic hook, even when they are caught; that is expected.

use std::any::Any;
use std::convert::Infallible;
use std::future::poll_fn;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::task::{Context, Poll};
use std::time::Duration;

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Product, ProductId};
use ch08_ecosystem::middleware::metrics::Metrics;
use common::log_capture::CapturedLog;
use exercises::ch08::panic_recovery::{INTERNAL_MESSAGE, RecoveryLayer, serve};
use exercises::expect::{Sent, describe_status, sent};
use exercises::harness::LocalServer;
use futures::FutureExt;
use futures::future::BoxFuture;
use tonic::body::Body;
use tonic::{Code, Status};
use tower::{Layer, Service};

const ADD: &str = "/ecommerce.ProductInfo/addProduct";

/// What a slice of an empty name panics with, in `FragileProductInfo::add_product` (the rest
/// of the message differs between Rust versions).
const SLICE_PANIC: &str = "byte index 1";

/// How long a check waits for a log line: less than `CapturedLog::line_containing`'s own
/// limit, so that a missing line fails with this test's words.
const PATIENCE: Duration = Duration::from_secs(20);

async fn start() -> (LocalServer<tonic::transport::Error>, Metrics) {
    let metrics = Metrics::default();
    let counted = metrics.clone();
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait(), metrics))
        .await
        .expect("bind a loopback port");
    (server, counted)
}

fn product(name: &str) -> Product {
    Product {
        id: String::new(),
        name: name.into(),
        description: "from the exercise's tests".into(),
        price: 699.0,
    }
}

/// Checks that the status is INTERNAL with [`INTERNAL_MESSAGE`].
#[track_caller]
fn expect_internal(call: &Sent, status: &Status) {
    if status.code() != Code::Internal || status.message() != INTERNAL_MESSAGE {
        call.fail(
            format!("INTERNAL {INTERNAL_MESSAGE:?}"),
            describe_status(status),
        );
    }
}

/// The log line containing `text`, which must arrive within [`PATIENCE`].
async fn logged(call: &Sent, log: &CapturedLog, text: &str) -> String {
    match tokio::time::timeout(PATIENCE, log.line_containing(text)).await {
        Ok(line) => line,
        Err(_) => call.fail(
            format!("a log line containing {text:?}"),
            format!("a log without one:\n{}", log.contents()),
        ),
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_panicking_handler_answers_internal_and_the_panic_is_logged() {
    let (log, _guard) = CapturedLog::install();
    let (server, _metrics) = start().await;
    let mut client = ProductInfoClient::new(server.channel());
    let call = sent("addProduct with an empty name, on which the handler panics");

    let status = call.expect_code(client.add_product(product("")).await, Code::Internal);
    expect_internal(&call, &status);
    let line = logged(&call, &log, SLICE_PANIC).await;
    call.expect(
        line.contains("ERROR"),
        "the panic logged at level ERROR",
        &line,
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_server_keeps_serving_after_a_panic() {
    let (server, _metrics) = start().await;
    let mut client = ProductInfoClient::new(server.channel());
    let call = sent(
        "addProduct with an empty name (the handler panics), then addProduct \"Apple iPhone 11\" and getProduct of its id on the same connection",
    );

    call.expect_code(client.add_product(product("")).await, Code::Internal);
    let added = call
        .expect_ok(client.add_product(product("Apple iPhone 11")).await)
        .into_inner();
    let stored = call.expect_ok(client.get_product(added).await).into_inner();
    call.expect_eq(stored.name.as_str(), "Apple iPhone 11");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_layers_above_see_an_internal_call() {
    let (server, metrics) = start().await;
    let mut client = ProductInfoClient::new(server.channel());
    let call = sent(
        "addProduct with an empty name (the handler panics), then a valid addProduct, through chapter 8's metrics layer",
    );

    call.expect_code(client.add_product(product("")).await, Code::Internal);
    call.expect_ok(client.add_product(product("Apple iPhone 11")).await);

    let (internal, ok) = (
        metrics.count(ADD, Code::Internal),
        metrics.count(ADD, Code::Ok),
    );
    if (internal, ok) != (1, 1) {
        call.fail(
            "the metrics layer above counts addProduct once as INTERNAL and once as OK",
            format!("INTERNAL {internal} time(s), OK {ok} time(s)"),
        );
    }
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_error_the_handler_returns_passes_unchanged() {
    let (server, metrics) = start().await;
    let mut client = ProductInfoClient::new(server.channel());
    let call = sent("getProduct(\"no-such-id\"), which the handler answers with NOT_FOUND");

    let status = call.expect_code(
        client
            .get_product(ProductId {
                value: "no-such-id".into(),
            })
            .await,
        Code::NotFound,
    );
    call.expect_eq(status.message(), "Product does not exist: no-such-id");
    let not_found = metrics.count("/ecommerce.ProductInfo/getProduct", Code::NotFound);
    if not_found != 1 {
        call.fail(
            "the metrics layer above counts getProduct once as NOT_FOUND",
            format!("{not_found} time(s)"),
        );
    }
    server.stop().await.expect("the server stops");
}
/// A service that panics in `call` itself, before it has a future to return.
#[derive(Clone)]
struct PanicsInCall;

impl Service<http::Request<Body>> for PanicsInCall {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _request: http::Request<Body>) -> Self::Future {
        panic!("checked {} too early", "something")
    }
}

/// A service whose future panics with a `&'static str`, as `panic!("literal")` does.
#[derive(Clone)]
struct PanicsWhileHandling;

impl Service<http::Request<Body>> for PanicsWhileHandling {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _request: http::Request<Body>) -> Self::Future {
        Box::pin(async {
            std::panic::panic_any::<&'static str>("a literal panic message");
        })
    }
}

/// Calls `service` behind the recovery layer once; answers the status of its response. A
/// panic that comes out of the layer fails the check instead of the test thread.
async fn call_recovering<S>(call: &Sent, service: S) -> Status
where
    S: Service<http::Request<Body>, Response = http::Response<Body>, Error = Infallible>,
    S::Future: Send + 'static,
{
    let mut recovering = RecoveryLayer.layer(service);
    poll_fn(|cx| recovering.poll_ready(cx))
        .await
        .expect("ready");
    let request = http::Request::builder()
        .uri(ADD)
        .body(Body::empty())
        .expect("a valid request");
    let expected = format!("INTERNAL {INTERNAL_MESSAGE:?}, the panic caught by the layer");
    let answer = match catch_unwind(AssertUnwindSafe(|| recovering.call(request))) {
        Ok(answer) => answer,
        Err(panic) => call.fail(
            expected,
            format!(
                "the panic {:?} came out of the layer's `call`",
                panic_text(&*panic)
            ),
        ),
    };
    let response = match AssertUnwindSafe(answer).catch_unwind().await {
        Ok(response) => response.expect("an answer"),
        Err(panic) => call.fail(
            expected,
            format!(
                "the panic {:?} came out of the layer's future",
                panic_text(&*panic)
            ),
        ),
    };
    match Status::from_header_map(response.headers()) {
        Some(status) => status,
        None => call.fail(
            "a grpc-status in the response headers",
            format!("headers without one: {:?}", response.headers()),
        ),
    }
}

/// What a panic said, when it said it with a string (as `panic!` does).
fn panic_text(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&'static str>().copied())
        .unwrap_or("(not a string)")
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_panic_in_call_itself_is_caught_too() {
    let (log, _guard) = CapturedLog::install();
    let call = sent(
        "a request to the recovery layer around a service that panics in `call` itself, before it has a future",
    );

    let status = call_recovering(&call, PanicsInCall).await;

    expect_internal(&call, &status);
    logged(&call, &log, "checked something too early").await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_literal_panic_message_is_logged() {
    let (log, _guard) = CapturedLog::install();
    let call = sent(
        "a request to the recovery layer around a service whose future panics with the &'static str \"a literal panic message\"",
    );

    let status = call_recovering(&call, PanicsWhileHandling).await;

    expect_internal(&call, &status);
    logged(&call, &log, "a literal panic message").await;
}
