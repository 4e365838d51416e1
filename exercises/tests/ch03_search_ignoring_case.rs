//! Checks for exercise ch03/01, 대소문자 무시 검색 (A search that ignores case).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch03_search_ignoring_case -- --include-ignored`.

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::OrderStore;
use common::channel::Channel;
use exercises::ch03::search_ignoring_case::service;
use exercises::expect::sent;
use exercises::harness::{self, LocalServer};
use tonic::{Code, Status};

async fn start(
    store: OrderStore,
) -> (
    LocalServer<tonic::transport::Error>,
    OrderManagementClient<Channel>,
) {
    let server = harness::start(tonic::service::Routes::new(OrderManagementServer::new(
        service(store),
    )))
    .await
    .expect("bind a loopback port");
    let client = OrderManagementClient::new(server.channel());
    (server, client)
}

/// The ids of the orders the search streams, in the order they arrive, or the status the
/// call (or its stream) ends with.
async fn search(
    client: &mut OrderManagementClient<Channel>,
    query: &str,
) -> Result<Vec<String>, Status> {
    let mut results = client.search_orders(query.to_owned()).await?.into_inner();
    let mut ids = Vec::new();
    while let Some(order) = results.message().await? {
        ids.push(order.id);
    }
    Ok(ids)
}

fn order(id: &str, item: &str) -> Order {
    Order {
        id: id.into(),
        items: vec![item.into()],
        description: String::new(),
        price: 1.0,
        destination: "Seoul".into(),
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_books_query_still_finds_102_and_104() {
    let (server, mut client) = start(OrderStore::book()).await;
    let call = sent("searchOrders(\"Google\") over the book's orders");
    let found = call.expect_ok(search(&mut client, "Google").await);
    call.expect_eq(found, ["102", "104"]);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_lower_case_query_finds_the_same_orders() {
    let (server, mut client) = start(OrderStore::book()).await;
    let call = sent("searchOrders(\"google\") over the book's orders, whose items say \"Google\"");
    let found = call.expect_ok(search(&mut client, "google").await);
    call.expect_eq(found, ["102", "104"]);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_upper_case_query_finds_items_in_mixed_case() {
    let (server, mut client) = start(OrderStore::book()).await;
    let call = sent(
        "searchOrders(\"AMAZON ECHO\") over the book's orders, whose items say \"Amazon Echo\"",
    );
    let found = call.expect_ok(search(&mut client, "AMAZON ECHO").await);
    call.expect_eq(found, ["105", "106"]);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn matches_come_one_per_message_in_order_of_id() {
    let store = OrderStore::with_orders([
        order("201", "iPad Pro"),
        order("107", "IPAD AIR"),
        order("150", "Galaxy Tab"),
        order("180", "ipad mini"),
    ]);
    let (server, mut client) = start(store).await;
    let call = sent(
        "searchOrders(\"iPad\") over 201 \"iPad Pro\", 107 \"IPAD AIR\", 150 \"Galaxy Tab\", 180 \"ipad mini\"",
    );
    let found = call.expect_ok(search(&mut client, "iPad").await);
    call.expect_eq(found, ["107", "180", "201"]);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_query_without_matches_is_an_empty_stream() {
    let (server, mut client) = start(OrderStore::book()).await;
    let call = sent("searchOrders(\"pixel 9\") over the book's orders");
    let found = call.expect_ok(search(&mut client, "pixel 9").await);
    call.expect(found.is_empty(), "an empty stream", found);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_empty_query_is_an_invalid_argument_before_any_order() {
    let (server, mut client) = start(OrderStore::book()).await;
    for query in ["", "   "] {
        let call = sent(format!(
            "searchOrders({query:?}), refused as a call, before any order is streamed"
        ));
        let status = call.expect_code(
            client
                .search_orders(query.to_owned())
                .await
                .map(tonic::Response::into_inner),
            Code::InvalidArgument,
        );
        call.expect(
            status.message().contains("query"),
            "a message that names the \"query\"",
            status.message(),
        );
    }
    server.stop().await.expect("the server stops");
}
