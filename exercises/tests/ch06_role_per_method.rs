//! Checks for exercise ch06/04, 메서드별 권한 (Roles per method).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch06_role_per_method -- --include-ignored`.
//!
//! The server runs over plaintext here, to keep the checks about the tokens; the book sends
//! tokens over TLS only, and so must a real server.

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Order, ProductId};
use ch03_patterns::client::order_101;
use ch03_patterns::store::book_order;
use common::channel::Channel;
use exercises::ch06::role_per_method::serve;
use exercises::expect::{Sent, describe_status, sent};
use exercises::harness::LocalServer;
use tonic::metadata::AsciiMetadataValue;
use tonic::{Code, Request, Status};

/// The admin's header: the book's token (`common::secret::BOOK_BEARER`).
const ADMIN: &str = common::secret::BOOK_BEARER;

/// The viewer's header.
const VIEWER: &str = "Bearer viewer-token";

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

/// `message` as a call with `authorization` as its `authorization` metadata (none for `None`).
fn call<T>(message: T, authorization: Option<&str>) -> Request<T> {
    let mut request = Request::new(message);
    if let Some(value) = authorization {
        let value = AsciiMetadataValue::try_from(value).expect("the test's header is ASCII");
        request.metadata_mut().insert("authorization", value);
    }
    request
}

/// Order 102 with a new destination, for `updateOrders`.
fn moved_102() -> Order {
    let mut order = book_order("102").expect("the book has order 102");
    order.destination = "Nowhere, XX".into();
    order
}

/// Makes one call of each kind of OrderManagement with `authorization`, reading streams to
/// their end: each method's name and its outcome.
async fn every_method(
    client: &mut OrderManagementClient<Channel>,
    authorization: Option<&str>,
) -> Vec<(&'static str, Result<(), Status>)> {
    let mut results = Vec::new();

    let get = client
        .get_order(call("102".to_owned(), authorization))
        .await
        .map(drop);
    results.push(("getOrder (unary)", get));

    let search = async {
        let mut orders = client
            .search_orders(call("Google".to_owned(), authorization))
            .await?
            .into_inner();
        while orders.message().await?.is_some() {}
        Ok(())
    }
    .await;
    results.push(("searchOrders (server streaming)", search));

    let add = client
        .add_order(call(order_101(), authorization))
        .await
        .map(drop);
    results.push(("addOrder (unary)", add));

    let update = client
        .update_orders(call(tokio_stream::iter(vec![moved_102()]), authorization))
        .await
        .map(drop);
    results.push(("updateOrders (client streaming)", update));

    let ids = ["103", "104", "105"].map(str::to_owned);
    let process = async {
        let mut shipments = client
            .process_orders(call(tokio_stream::iter(ids), authorization))
            .await?
            .into_inner();
        while shipments.message().await?.is_some() {}
        Ok(())
    }
    .await;
    results.push(("processOrders (bidirectional)", process));

    results
}

/// Checks that `result` ended with `code` and a message that contains `word`.
fn expect_refused(check: &Sent, result: Result<(), Status>, code: Code, word: &str) {
    let status = check.expect_code(result.map(|()| "the call went through"), code);
    if !status.message().contains(word) {
        check.fail(
            format!(
                "{}, with {word:?} in the message",
                wire::status::spec_name(code)
            ),
            describe_status(&status),
        );
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_call_without_a_known_token_is_unauthenticated() {
    let (server, mut client) = start().await;
    let headers = [
        (None, "no authorization header"),
        (
            Some("Bearer wrong-token"),
            "authorization: Bearer wrong-token",
        ),
        (
            Some("Bearer some-secret-token-and-more"),
            "authorization: Bearer some-secret-token-and-more",
        ),
        (
            Some("Basic YWRtaW46YWRtaW4="),
            "authorization: Basic YWRtaW46YWRtaW4= (not a bearer token)",
        ),
    ];
    for (header, described) in headers {
        for (method, result) in every_method(&mut client, header).await {
            let check = sent(format!("{method} with {described}"));
            check.expect_code(
                result.map(|()| "the call went through"),
                Code::Unauthenticated,
            );
        }
    }
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_admin_calls_every_method() {
    let (server, mut client) = start().await;
    for header in [ADMIN, "bearer some-secret-token"] {
        for (method, result) in every_method(&mut client, Some(header)).await {
            sent(format!(
                "{method} with authorization: {header} (the admin's token)"
            ))
            .expect_ok(result);
        }
    }
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_viewer_reads_orders() {
    let (server, mut client) = start().await;
    let get = sent(format!("getOrder(\"102\") with authorization: {VIEWER}"));
    let order = get
        .expect_ok(client.get_order(call("102".to_owned(), Some(VIEWER))).await)
        .into_inner();
    get.expect_eq(order.id, "102");

    let search = sent(format!(
        "searchOrders(\"Google\") with authorization: {VIEWER}"
    ));
    let mut orders = search
        .expect_ok(
            client
                .search_orders(call("Google".to_owned(), Some(VIEWER)))
                .await,
        )
        .into_inner();
    let mut ids = Vec::new();
    while let Some(order) = search.expect_ok(orders.message().await) {
        ids.push(order.id);
    }
    search.expect_eq(ids, ["102", "104"]);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_viewer_may_not_add_change_or_ship_orders() {
    let (server, mut client) = start().await;
    for (method, result) in every_method(&mut client, Some(VIEWER)).await {
        let name = method.split(' ').next().unwrap_or(method);
        if name == "getOrder" || name == "searchOrders" {
            continue;
        }
        let check = sent(format!("{method} with authorization: {VIEWER} (a viewer)"));
        expect_refused(&check, result, Code::PermissionDenied, name);
    }
    let lookup =
        sent("getOrder(\"102\") with the admin's token, after the viewer's refused updateOrders");
    let order = lookup
        .expect_ok(client.get_order(call("102".to_owned(), Some(ADMIN))).await)
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
async fn a_method_not_in_the_policy_is_denied_to_everyone() {
    let (server, _) = start().await;
    // The server serves no ProductInfo, so only the policy can answer PERMISSION_DENIED.
    let mut products = ProductInfoClient::new(server.channel());
    for (header, who) in [(ADMIN, "the admin's token"), (VIEWER, "the viewer's token")] {
        let result = products
            .get_product(call(ProductId { value: "1".into() }, Some(header)))
            .await
            .map(drop);
        let check = sent(format!(
            "ProductInfo/getProduct, a method the policy does not name, with {who}"
        ));
        expect_refused(&check, result, Code::PermissionDenied, "getProduct");
    }
    server.stop().await.expect("the server stops");
}
