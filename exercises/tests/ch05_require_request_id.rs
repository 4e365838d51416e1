//! Checks for exercise ch05/04, 요청 ID 강제하기 (Requiring a request id).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch05_require_request_id -- --include-ignored`.

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::client::order_101;
use common::channel::Channel;
use exercises::ch05::require_request_id::{REQUEST_ID, serve};
use exercises::expect::{describe_status, sent};
use exercises::harness::LocalServer;
use tonic::metadata::{AsciiMetadataValue, MetadataMap};
use tonic::{Code, Request, Response, Status};

async fn start() -> (
    LocalServer<tonic::transport::Error>,
    OrderManagementClient<Channel>,
) {
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait()))
        .await
        .expect("bind a loopback port");
    let client = OrderManagementClient::new(server.channel());
    (server, client)
}

/// `message` as a call with `id` as its `x-request-id` (none for `None`).
fn call<T>(message: T, id: Option<&'static str>) -> Request<T> {
    let mut request = Request::new(message);
    if let Some(id) = id {
        request
            .metadata_mut()
            .insert(REQUEST_ID, AsciiMetadataValue::from_static(id));
    }
    request
}

fn echoed(metadata: &MetadataMap) -> Option<&str> {
    metadata
        .get(REQUEST_ID)
        .and_then(|value| value.to_str().ok())
}

/// Order 102 with a new destination, for `updateOrders`.
fn moved_102() -> Order {
    let mut order = ch03_patterns::store::book_orders()
        .into_iter()
        .find(|order| order.id == "102")
        .expect("the book has order 102");
    order.destination = "Nowhere, XX".into();
    order
}

/// Checks that `result` (of the call `what`) is `INVALID_ARGUMENT` naming `x-request-id`.
fn expect_refused<T: std::fmt::Debug>(what: &str, result: Result<T, Status>) {
    let call = sent(what);
    let status = call.expect_code(result, Code::InvalidArgument);
    if !status.message().contains(REQUEST_ID) {
        call.fail(
            format!("INVALID_ARGUMENT, with {REQUEST_ID} in the message"),
            describe_status(&status),
        );
    }
}

/// Makes one call of each kind with `id`; the status of each, or the id each response echoed.
async fn every_kind_of_call(
    client: &mut OrderManagementClient<Channel>,
    id: Option<&'static str>,
) -> Vec<(&'static str, Result<Option<String>, Status>)> {
    let mut results = Vec::new();

    let unary = client
        .get_order(call("102".to_owned(), id))
        .await
        .map(|response| echoed(response.metadata()).map(str::to_owned));
    results.push(("getOrder (unary)", unary));

    let server_streaming = async {
        let response = client.search_orders(call("Google".to_owned(), id)).await?;
        let echo = echoed(response.metadata()).map(str::to_owned);
        let mut orders = response.into_inner();
        let mut found = 0;
        while orders.message().await?.is_some() {
            found += 1;
        }
        sent("searchOrders(\"Google\")").expect(found == 2, "2 orders (102 and 104)", found);
        Ok(echo)
    }
    .await;
    results.push(("searchOrders (server streaming)", server_streaming));

    let client_streaming = client
        .update_orders(call(tokio_stream::iter(vec![moved_102()]), id))
        .await
        .map(|response| echoed(response.metadata()).map(str::to_owned));
    results.push(("updateOrders (client streaming)", client_streaming));

    let ids = ["103", "104", "105"].map(str::to_owned);
    let bidirectional = async {
        let response = client
            .process_orders(call(tokio_stream::iter(ids), id))
            .await?;
        let echo = echoed(response.metadata()).map(str::to_owned);
        let mut shipments = response.into_inner();
        while shipments.message().await?.is_some() {}
        Ok(echo)
    }
    .await;
    results.push(("processOrders (bidirectional)", bidirectional));

    results
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn every_kind_of_call_without_an_id_is_invalid_argument() {
    let (server, mut client) = start().await;
    for (call, result) in every_kind_of_call(&mut client, None).await {
        expect_refused(
            &format!("{call} without {REQUEST_ID}"),
            result.map(|_| "the call went through"),
        );
    }
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_empty_id_is_no_id() {
    let (server, mut client) = start().await;
    expect_refused(
        &format!("getOrder(\"102\") with an empty {REQUEST_ID}"),
        client
            .get_order(call("102".to_owned(), Some("")))
            .await
            .map(Response::into_inner),
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_refused_stream_never_reaches_the_service() {
    let (server, mut client) = start().await;
    expect_refused(
        &format!("updateOrders moving order 102 to \"Nowhere, XX\", without {REQUEST_ID}"),
        client
            .update_orders(call(tokio_stream::iter(vec![moved_102()]), None))
            .await
            .map(Response::into_inner),
    );
    let lookup = sent(format!(
        "getOrder(\"102\") with an {REQUEST_ID}, after the refused updateOrders"
    ));
    let order = lookup
        .expect_ok(
            client
                .get_order(call("102".to_owned(), Some("check-1")))
                .await,
        )
        .into_inner();
    lookup.expect(
        order.destination == "Mountain View, CA",
        "order 102 still going to \"Mountain View, CA\": the refused update not applied",
        &order.destination,
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn every_kind_of_call_with_an_id_goes_through_and_gets_it_back() {
    let (server, mut client) = start().await;
    for (name, result) in every_kind_of_call(&mut client, Some("req-7f3a")).await {
        let check = sent(format!("{name} with {REQUEST_ID}: req-7f3a"));
        let echo = check.expect_ok(result);
        check.expect_eq(echo.as_deref(), Some("req-7f3a"));
    }
    let add = sent(format!("addOrder with {REQUEST_ID}: req-101"));
    let added = add.expect_ok(client.add_order(call(order_101(), Some("req-101"))).await);
    add.expect_eq(echoed(added.metadata()), Some("req-101"));
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_id_comes_back_on_errors_too() {
    let (server, mut client) = start().await;
    let lookup = sent(format!(
        "getOrder(\"999\") (no such order) with {REQUEST_ID}: req-missing"
    ));
    let status = lookup.expect_code(
        client
            .get_order(call("999".to_owned(), Some("req-missing")))
            .await
            .map(Response::into_inner),
        Code::NotFound,
    );
    lookup.expect_eq(echoed(status.metadata()), Some("req-missing"));
    server.stop().await.expect("the server stops");
}
