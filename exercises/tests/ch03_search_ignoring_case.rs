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
    let found = search(&mut client, "Google").await.expect("a search");
    assert_eq!(found, ["102", "104"]);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_lower_case_query_finds_the_same_orders() {
    let (server, mut client) = start(OrderStore::book()).await;
    let found = search(&mut client, "google").await.expect("a search");
    assert_eq!(
        found,
        ["102", "104"],
        "\"google\" is \"Google\", ignoring case"
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_upper_case_query_finds_items_in_mixed_case() {
    let (server, mut client) = start(OrderStore::book()).await;
    let found = search(&mut client, "AMAZON ECHO").await.expect("a search");
    assert_eq!(found, ["105", "106"]);
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
    let found = search(&mut client, "iPad").await.expect("a search");
    assert_eq!(found, ["107", "180", "201"]);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_query_without_matches_is_an_empty_stream() {
    let (server, mut client) = start(OrderStore::book()).await;
    let found = search(&mut client, "pixel 9").await.expect("a search");
    assert!(found.is_empty(), "{found:?}");
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
        let status = client
            .search_orders(query.to_owned())
            .await
            .expect_err("the call itself is refused, before any order is streamed");
        assert_eq!(
            status.code(),
            Code::InvalidArgument,
            "query {query:?}: {status:?}"
        );
        assert!(status.message().contains("query"), "{status:?}");
    }
    server.stop().await.expect("the server stops");
}
