//! Checks for exercise ch07/01, 목으로 클라이언트 테스트하기 (Testing the client against a mock).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch07_mock_product_info -- --include-ignored`.
//!
//! The client under test is chapter 2's own flow, `add_then_get`, unchanged; the mock is the
//! student's. Each test scripts the mock, runs the flow against it, and checks both what the
//! client made of the answers and what the mock recorded.

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::product_info_server::ProductInfoServer;
use book_proto::ecommerce::{Product, ProductId};
use ch02_productinfo::client::{FLOW_TIMEOUT, Flow, FlowError, add_then_get, book_product};
use common::deadline::Deadline;
use exercises::ch07::mock_product_info::{Call, CallLog, MockProductInfo};
use exercises::expect::{Sent, sent};
use exercises::harness;
use tonic::{Code, Status};

fn mock_id() -> ProductId {
    ProductId {
        value: "mock-id-1".into(),
    }
}

fn mock_phone() -> Product {
    Product {
        id: "mock-id-1".into(),
        name: "Mock phone".into(),
        description: "what the mock answers".into(),
        price: 1.5,
    }
}

/// Runs chapter 2's flow against `mock`; answers what the flow returned and the mock's record.
async fn run_flow(mock: MockProductInfo) -> (Result<Flow, FlowError>, CallLog) {
    let log = mock.log();
    let server = harness::start(tonic::service::Routes::new(ProductInfoServer::new(mock)))
        .await
        .expect("bind a loopback port");
    let mut client = ProductInfoClient::new(server.channel());
    let flow = add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT)).await;
    server.stop().await.expect("the server stops");
    (flow, log)
}

/// The flow's result when it should have succeeded.
#[track_caller]
fn expect_flow(call: &Sent, flow: Result<Flow, FlowError>) -> Flow {
    match flow {
        Ok(flow) => flow,
        Err(error) => call.fail("the flow succeeds", format!("the flow failed: {error}")),
    }
}

/// The flow's error when it should have failed.
#[track_caller]
fn expect_flow_error(call: &Sent, flow: Result<Flow, FlowError>) -> FlowError {
    match flow {
        Ok(flow) => call.fail("the flow fails", format!("the flow succeeded: {flow}")),
        Err(error) => error,
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_client_gets_what_the_mock_answers() {
    let call = sent(
        "chapter 2's add-then-get flow against a mock scripted to answer the id \"mock-id-1\", then a product",
    );
    let (flow, log) = run_flow(MockProductInfo::new(Ok(mock_id()), Ok(mock_phone()))).await;

    let flow = expect_flow(&call, flow);
    call.expect_eq(&flow.id, &mock_id());
    call.expect_eq(&flow.product, &mock_phone());
    call.expect_eq(
        flow.to_string(),
        "Product ID: mock-id-1 added successfully\n\
         Product: id:\"mock-id-1\" name:\"Mock phone\" description:\"what the mock answers\" price:1.5",
    );
    let calls = log.calls();
    call.expect(calls.len() == 2, "the mock records 2 calls", &calls);
    call.expect(
        matches!(&calls[0], Call::Add { product, .. } if *product == book_product()),
        "the client first adds the book's product",
        &calls,
    );
    call.expect(
        matches!(&calls[1], Call::Get { id, .. } if id == "mock-id-1"),
        "then asks for the id the mock gave, \"mock-id-1\"",
        &calls,
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_failed_get_is_reported_as_the_get_step() {
    let call = sent(
        "chapter 2's add-then-get flow against a mock scripted to answer the id \"mock-id-1\", then UNAVAILABLE \"the mock says no\"",
    );
    let (flow, log) = run_flow(MockProductInfo::new(
        Ok(mock_id()),
        Err(Status::unavailable("the mock says no")),
    ))
    .await;

    let error = expect_flow_error(&call, flow);
    if !matches!(&error, FlowError::Get(status) if status.code() == Code::Unavailable) {
        call.fail("the flow fails at its get step with UNAVAILABLE", &error);
    }
    call.expect_eq(
        error.to_string(),
        "Could not get product: rpc error: code = Unavailable desc = the mock says no",
    );
    let calls = log.calls();
    call.expect(
        calls.len() == 2,
        "both calls reach the mock: it records 2",
        &calls,
    );
    call.expect(
        matches!(&calls[1], Call::Get { id, .. } if id == "mock-id-1"),
        "the second call asks for \"mock-id-1\"",
        &calls,
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_failed_add_stops_the_flow() {
    let call = sent(
        "chapter 2's add-then-get flow against a mock scripted to answer ALREADY_EXISTS \"a product of that name exists\" to addProduct",
    );
    let (flow, log) = run_flow(MockProductInfo::new(
        Err(Status::already_exists("a product of that name exists")),
        Ok(mock_phone()),
    ))
    .await;

    let error = expect_flow_error(&call, flow);
    if !matches!(&error, FlowError::Add(status) if status.code() == Code::AlreadyExists) {
        call.fail("the flow fails at its add step with ALREADY_EXISTS", &error);
    }
    call.expect_eq(
        error.to_string(),
        "Could not add product: rpc error: code = AlreadyExists desc = a product of that name exists",
    );
    let calls = log.calls();
    call.expect(
        calls.len() == 1,
        "after a failed add the client asks nothing more: the mock records 1 call",
        &calls,
    );
    call.expect(
        matches!(&calls[0], Call::Add { product, .. } if *product == book_product()),
        "that call adds the book's product",
        &calls,
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn every_call_carries_the_flows_deadline() {
    let call = sent(format!(
        "chapter 2's add-then-get flow, with its one {FLOW_TIMEOUT:?} deadline, against a mock that answers both calls"
    ));
    let (flow, log) = run_flow(MockProductInfo::new(Ok(mock_id()), Ok(mock_phone()))).await;
    expect_flow(&call, flow);

    let calls = log.calls();
    call.expect(calls.len() == 2, "the mock records 2 calls", &calls);
    for recorded in &calls {
        let (Call::Add { timeout, .. } | Call::Get { timeout, .. }) = recorded;
        call.expect(
            timeout.is_some_and(|timeout| timeout <= FLOW_TIMEOUT),
            format!(
                "every call records a grpc-timeout of at most {FLOW_TIMEOUT:?}: the two calls share one deadline"
            ),
            recorded,
        );
    }
}
