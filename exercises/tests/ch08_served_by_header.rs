//! Checks for exercise ch08/01, 응답 헤더 미들웨어 (A middleware that tags every answer).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch08_served_by_header -- --include-ignored`.

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Product, ProductId};
use exercises::ch08::served_by_header::{ServedByLayer, serve};
use exercises::harness::LocalServer;
use tonic::Code;
use tonic::metadata::MetadataMap;

type Failure = Box<dyn std::error::Error + Send + Sync>;

async fn start(name: &'static str) -> LocalServer<Failure> {
    LocalServer::start(move |listener, shutdown| serve(listener, shutdown.wait(), name))
        .await
        .expect("bind a loopback port")
}

fn served_by(metadata: &MetadataMap) -> Option<&str> {
    metadata.get("x-served-by")?.to_str().ok()
}

fn phone() -> Product {
    Product {
        id: String::new(),
        name: "Apple iPhone 11".into(),
        description: "from the exercise's tests".into(),
        price: 699.0,
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_answer_names_the_server() {
    let server = start("shop-1").await;
    let mut client = ProductInfoClient::new(server.channel());

    let added = client.add_product(phone()).await.expect("added");
    assert_eq!(served_by(added.metadata()), Some("shop-1"), "{added:?}");
    let got = client
        .get_product(added.into_inner())
        .await
        .expect("read back");
    assert_eq!(served_by(got.metadata()), Some("shop-1"), "{got:?}");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_error_names_the_server_too() {
    let server = start("shop-1").await;
    let mut client = ProductInfoClient::new(server.channel());

    let status = client
        .get_product(ProductId {
            value: "no-such-id".into(),
        })
        .await
        .expect_err("an unknown id is an error");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(served_by(status.metadata()), Some("shop-1"), "{status:?}");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_method_no_service_has_names_the_server_too() {
    let server = start("shop-1").await;
    // Chapter 2's exercise added `deleteProduct` to a version 2 of the service; this server
    // runs version 1, so the router answers, not a handler.
    let mut v2 =
        exercises::ch02::proto::product_info_client::ProductInfoClient::new(server.channel());

    let status = v2
        .delete_product(exercises::ch02::proto::ProductId {
            value: "any".into(),
        })
        .await
        .expect_err("version 1 has no deleteProduct");
    assert_eq!(status.code(), Code::Unimplemented);
    assert_eq!(served_by(status.metadata()), Some("shop-1"), "{status:?}");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn each_server_gives_its_own_name() {
    let (first, second) = (start("shop-1").await, start("shop-2").await);

    for (server, name) in [(&first, "shop-1"), (&second, "shop-2")] {
        let mut client = ProductInfoClient::new(server.channel());
        let added = client.add_product(phone()).await.expect("added");
        assert_eq!(served_by(added.metadata()), Some(name));
    }
    first.stop().await.expect("the server stops");
    second.stop().await.expect("the server stops");
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_name_that_is_no_header_value_is_refused() {
    assert!(ServedByLayer::new("shop\n1").is_err());
    assert!(ServedByLayer::new("shop-1").is_ok());
}
