//! Checks for exercise ch02/01, 입력 검증하기 (Refusing bad input).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch02_validate_product -- --include-ignored`.

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::product_info_server::ProductInfoServer;
use book_proto::ecommerce::{Product, ProductId};
use common::channel::Channel;
use exercises::ch02::validate_product::ValidatingProductInfo;
use exercises::expect::{Sent, sent};
use exercises::harness::{self, LocalServer};
use tonic::Code;

async fn start() -> (
    LocalServer<tonic::transport::Error>,
    ProductInfoClient<Channel>,
) {
    let server = harness::start(tonic::service::Routes::new(ProductInfoServer::new(
        ValidatingProductInfo::default(),
    )))
    .await
    .expect("bind a loopback port");
    let client = ProductInfoClient::new(server.channel());
    (server, client)
}

fn product(name: &str, price: f32) -> Product {
    Product {
        id: String::new(),
        name: name.into(),
        description: "from the exercise's tests".into(),
        price,
    }
}

/// Adds `product`, which must be refused with `INVALID_ARGUMENT` and a message naming
/// `field`.
async fn expect_refused(
    call: &Sent,
    client: &mut ProductInfoClient<Channel>,
    product: Product,
    field: &str,
) {
    let status = call.expect_code(
        client
            .add_product(product)
            .await
            .map(tonic::Response::into_inner),
        Code::InvalidArgument,
    );
    call.expect(
        status.message().contains(field),
        format!("a message that names the field {field:?}"),
        status.message(),
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_valid_product_is_stored_and_read_back() {
    let (server, mut client) = start().await;
    let call = sent("addProduct with the name \"Apple iPhone 11\" and the price 699");
    let id = call
        .expect_ok(client.add_product(product("Apple iPhone 11", 699.0)).await)
        .into_inner();
    let call = sent(format!("getProduct({:?}) after adding it", id.value));
    let stored = call
        .expect_ok(
            client
                .get_product(ProductId {
                    value: id.value.clone(),
                })
                .await,
        )
        .into_inner();
    call.expect_eq(&stored.name, "Apple iPhone 11");
    call.expect_eq(&stored.id, &id.value);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_product_without_a_name_is_invalid() {
    let (server, mut client) = start().await;
    for name in ["", "   "] {
        let call = sent(format!(
            "addProduct with the name {name:?} and the price 699"
        ));
        expect_refused(&call, &mut client, product(name, 699.0), "name").await;
    }
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_negative_price_is_invalid() {
    let (server, mut client) = start().await;
    let call = sent("addProduct with the name \"Apple iPhone 11\" and the price -1");
    expect_refused(
        &call,
        &mut client,
        product("Apple iPhone 11", -1.0),
        "price",
    )
    .await;
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_price_that_is_not_a_number_is_invalid() {
    let (server, mut client) = start().await;
    let call = sent("addProduct with the name \"Apple iPhone 11\" and the price NaN");
    expect_refused(
        &call,
        &mut client,
        product("Apple iPhone 11", f32::NAN),
        "price",
    )
    .await;
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_free_product_is_valid() {
    let (server, mut client) = start().await;
    let call = sent("addProduct with the name \"Sample\" and the price 0");
    call.expect_ok(client.add_product(product("Sample", 0.0)).await);
    server.stop().await.expect("the server stops");
}
