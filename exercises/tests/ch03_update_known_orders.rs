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
use exercises::expect::{Sent, sent};
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

/// Passes when order `id` exists and costs `price`.
async fn expect_price(
    client: &mut OrderManagementClient<Channel>,
    id: &str,
    price: f32,
    after: &str,
) {
    let call = sent(format!("getOrder({id:?}) {after}"));
    let order = call
        .expect_ok(client.get_order(id.to_owned()).await)
        .into_inner();
    call.expect(
        order.price == price,
        format!("order {id} at the price {price}"),
        format_args!("order {id} at the price {}", order.price),
    );
}

/// `updateOrders` with the ids of `orders`, in words.
fn updating(orders: &[Order]) -> Sent {
    let ids: Vec<&str> = orders.iter().map(|order| order.id.as_str()).collect();
    sent(format!("updateOrders streaming the orders {ids:?}"))
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_books_updates_still_work() {
    let (server, mut client) = start().await;
    let call = updating(&book_updates());
    let reply = call.expect_ok(update_orders(&mut client, book_updates()).await);
    call.expect_eq(reply, "Orders processed Updated Order IDs : 102, 103, 104");
    expect_price(&mut client, "103", 2800.0, "after the book's updates").await;
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_unknown_order_is_not_found_and_named() {
    let (server, mut client) = start().await;
    let orders = vec![update("102"), unknown("999"), update("104")];
    let call = updating(&orders);
    let status = call.expect_code(update_orders(&mut client, orders).await, Code::NotFound);
    call.expect(
        status.message().contains("999"),
        "a message that names the unknown order 999",
        status.message(),
    );
    call.expect(
        status.message().contains("102"),
        "a message that names 102, the order updated before 999",
        status.message(),
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
    let orders = vec![unknown("999")];
    let call = updating(&orders);
    call.expect_code(update_orders(&mut client, orders).await, Code::NotFound);
    let call = sent("getOrder(\"999\") after updateOrders refused order 999");
    call.expect_code(
        client
            .get_order("999".to_owned())
            .await
            .map(tonic::Response::into_inner),
        Code::NotFound,
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn orders_before_the_unknown_one_stay_updated_and_orders_after_it_are_untouched() {
    let (server, mut client) = start().await;
    let orders = vec![update("102"), update("103"), unknown("999"), update("104")];
    let call = updating(&orders);
    call.expect_code(update_orders(&mut client, orders).await, Code::NotFound);
    let after = "after updateOrders streamed 102, 103, 999 (unknown) and 104";
    expect_price(
        &mut client,
        "102",
        1100.0,
        &format!("{after}: 102 came before 999, updated"),
    )
    .await;
    expect_price(
        &mut client,
        "103",
        2800.0,
        &format!("{after}: 103 came before 999, updated"),
    )
    .await;
    expect_price(
        &mut client,
        "104",
        400.0,
        &format!("{after}: 104 came after 999, not updated"),
    )
    .await;
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_order_without_id_is_still_an_invalid_argument() {
    let (server, mut client) = start().await;
    let orders = vec![update("102"), unknown("")];
    let call = updating(&orders);
    call.expect_code(
        update_orders(&mut client, orders).await,
        Code::InvalidArgument,
    );
    server.stop().await.expect("the server stops");
}
