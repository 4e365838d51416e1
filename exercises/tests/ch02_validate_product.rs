//! Checks for exercise ch02/01, 입력 검증하기 (Refusing bad input).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch02_validate_product -- --include-ignored`.

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::product_info_server::ProductInfoServer;
use book_proto::ecommerce::{Product, ProductId};
use common::channel::Channel;
use exercises::ch02::validate_product::ValidatingProductInfo;
use exercises::harness::{self, LocalServer};
use tonic::{Code, Status};

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

async fn refused(client: &mut ProductInfoClient<Channel>, product: Product) -> Status {
    client
        .add_product(product)
        .await
        .expect_err("the product is refused")
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_valid_product_is_stored_and_read_back() {
    let (server, mut client) = start().await;
    let id = client
        .add_product(product("Apple iPhone 11", 699.0))
        .await
        .expect("a valid product is added")
        .into_inner();
    let stored = client
        .get_product(ProductId {
            value: id.value.clone(),
        })
        .await
        .expect("the product is there")
        .into_inner();
    assert_eq!(stored.name, "Apple iPhone 11");
    assert_eq!(stored.id, id.value);
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
        let status = refused(&mut client, product(name, 699.0)).await;
        assert_eq!(
            status.code(),
            Code::InvalidArgument,
            "name {name:?}: {status:?}"
        );
        assert!(status.message().contains("name"), "{status:?}");
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
    let status = refused(&mut client, product("Apple iPhone 11", -1.0)).await;
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(status.message().contains("price"), "{status:?}");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_price_that_is_not_a_number_is_invalid() {
    let (server, mut client) = start().await;
    let status = refused(&mut client, product("Apple iPhone 11", f32::NAN)).await;
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(status.message().contains("price"), "{status:?}");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_free_product_is_valid() {
    let (server, mut client) = start().await;
    client
        .add_product(product("Sample", 0.0))
        .await
        .expect("zero is a valid price");
    server.stop().await.expect("the server stops");
}
