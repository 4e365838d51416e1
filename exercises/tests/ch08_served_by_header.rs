//! Checks for exercise ch08/01, 응답 헤더 미들웨어 (A middleware that tags every answer).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch08_served_by_header -- --include-ignored`.

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Product, ProductId};
use exercises::ch08::served_by_header::{ServedByLayer, serve};
use exercises::expect::sent;
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
    let call = sent("addProduct, then getProduct of its id, to the server \"shop-1\"");

    let added = call.expect_ok(client.add_product(phone()).await);
    call.expect(
        served_by(added.metadata()) == Some("shop-1"),
        "addProduct's answer has x-served-by: shop-1",
        added.metadata(),
    );
    let got = call.expect_ok(client.get_product(added.into_inner()).await);
    call.expect(
        served_by(got.metadata()) == Some("shop-1"),
        "getProduct's answer has x-served-by: shop-1",
        got.metadata(),
    );
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
    let call = sent("getProduct(\"no-such-id\") to the server \"shop-1\"");

    let status = call.expect_code(
        client
            .get_product(ProductId {
                value: "no-such-id".into(),
            })
            .await,
        Code::NotFound,
    );
    call.expect(
        served_by(status.metadata()) == Some("shop-1"),
        "the NOT_FOUND answer has x-served-by: shop-1",
        status.metadata(),
    );
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
    let call =
        sent("deleteProduct(\"any\") to the server \"shop-1\", which does not have that method");

    let status = call.expect_code(
        v2.delete_product(exercises::ch02::proto::ProductId {
            value: "any".into(),
        })
        .await,
        Code::Unimplemented,
    );
    call.expect(
        served_by(status.metadata()) == Some("shop-1"),
        "the UNIMPLEMENTED answer has x-served-by: shop-1",
        status.metadata(),
    );
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
        let call = sent(format!("addProduct to the server {name:?}, one of two"));
        let added = call.expect_ok(client.add_product(phone()).await);
        call.expect(
            served_by(added.metadata()) == Some(name),
            format!("the answer has x-served-by: {name}"),
            added.metadata(),
        );
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
    let call = sent("ServedByLayer::new(\"shop\\n1\"), a name with a line break");
    let refused = ServedByLayer::new("shop\n1");
    call.expect(
        refused.is_err(),
        "an error: a header value cannot hold a line break",
        refused.map(|_| "a layer"),
    );
    let call = sent("ServedByLayer::new(\"shop-1\")");
    let accepted = ServedByLayer::new("shop-1");
    call.expect(accepted.is_ok(), "a layer", accepted.map(|_| "a layer"));
}
