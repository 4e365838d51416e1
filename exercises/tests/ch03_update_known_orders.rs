//! Checks for exercise ch03/02, 있는 주문만 수정하기 (Updating known orders only).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch03_update_known_orders -- --include-ignored`.

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::OrderStore;
use ch03_patterns::client::book_updates;
use common::channel::Channel;
use exercises::ch03::update_known_orders::service;
use exercises::harness::{self, LocalServer};
use tonic::{Code, Status};

async fn start() -> (
    LocalServer<tonic::transport::Error>,
    OrderManagementClient<Channel>,
) {
    let server = harness::start(tonic::service::Routes::new(OrderManagementServer::new(
        service(OrderStore::book()),
    )))
    .await
    .expect("bind a loopback port");
    let client = OrderManagementClient::new(server.channel());
    (server, client)
}

/// The book's new values for 102, 103 and 104 (chapter 3's client sends them).
fn update(id: &str) -> Order {
    book_updates()
        .into_iter()
        .find(|order| order.id == id)
        .expect("one of the book's updates")
}

fn unknown(id: &str) -> Order {
    Order {
        id: id.into(),
        items: vec!["Nothing".into()],
        description: String::new(),
        price: 1.0,
        destination: "Nowhere".into(),
    }
}

async fn update_orders(
    client: &mut OrderManagementClient<Channel>,
    orders: Vec<Order>,
) -> Result<String, Status> {
    Ok(client
        .update_orders(tokio_stream::iter(orders))
        .await?
        .into_inner())
}

async fn price_of(client: &mut OrderManagementClient<Channel>, id: &str) -> f32 {
    client
        .get_order(id.to_owned())
        .await
        .expect("the order exists")
        .into_inner()
        .price
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_books_updates_still_work() {
    let (server, mut client) = start().await;
    let reply = update_orders(&mut client, book_updates())
        .await
        .expect("102, 103 and 104 exist");
    assert_eq!(reply, "Orders processed Updated Order IDs : 102, 103, 104");
    assert_eq!(price_of(&mut client, "103").await, 2800.0);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_unknown_order_is_not_found_and_named() {
    let (server, mut client) = start().await;
    let status = update_orders(
        &mut client,
        vec![update("102"), unknown("999"), update("104")],
    )
    .await
    .expect_err("order 999 does not exist");
    assert_eq!(status.code(), Code::NotFound, "{status:?}");
    assert!(status.message().contains("999"), "{status:?}");
    assert!(
        status.message().contains("102"),
        "the message names the orders updated before 999: {status:?}"
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_unknown_order_is_not_created() {
    let (server, mut client) = start().await;
    let status = update_orders(&mut client, vec![unknown("999")])
        .await
        .expect_err("order 999 does not exist");
    assert_eq!(status.code(), Code::NotFound, "{status:?}");
    let status = client
        .get_order("999".to_owned())
        .await
        .expect_err("updateOrders did not add order 999");
    assert_eq!(status.code(), Code::NotFound, "{status:?}");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn orders_before_the_unknown_one_stay_updated_and_orders_after_it_are_untouched() {
    let (server, mut client) = start().await;
    let status = update_orders(
        &mut client,
        vec![update("102"), update("103"), unknown("999"), update("104")],
    )
    .await
    .expect_err("order 999 does not exist");
    assert_eq!(status.code(), Code::NotFound, "{status:?}");
    assert_eq!(
        price_of(&mut client, "102").await,
        1100.0,
        "102 was updated"
    );
    assert_eq!(
        price_of(&mut client, "103").await,
        2800.0,
        "103 was updated"
    );
    assert_eq!(
        price_of(&mut client, "104").await,
        400.0,
        "104 came after 999: not updated"
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_order_without_id_is_still_an_invalid_argument() {
    let (server, mut client) = start().await;
    let status = update_orders(&mut client, vec![update("102"), unknown("")])
        .await
        .expect_err("an empty id");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    server.stop().await.expect("the server stops");
}
