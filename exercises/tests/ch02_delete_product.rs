//! Checks for exercise ch02/02, 메서드 추가하기 (Adding a method): `deleteProduct`.
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch02_delete_product -- --include-ignored`.

use book_proto::ecommerce::product_info_client::ProductInfoClient as BookClient;
use common::channel::Channel;
use common::local::LocalServer;
use exercises::ch02::delete_product::ProductCatalogue;
use exercises::ch02::proto::product_info_client::ProductInfoClient;
use exercises::ch02::proto::product_info_server::ProductInfoServer;
use exercises::ch02::proto::{Product, ProductId};
use exercises::harness;
use tonic::Code;

async fn start() -> (
    LocalServer<tonic::transport::Error>,
    ProductInfoClient<Channel>,
) {
    let server = harness::start(tonic::service::Routes::new(ProductInfoServer::new(
        ProductCatalogue::default(),
    )))
    .await
    .expect("bind a loopback port");
    let client = ProductInfoClient::new(server.channel());
    (server, client)
}

fn iphone() -> Product {
    Product {
        id: String::new(),
        name: "Apple iPhone 11".into(),
        description: "Meet Apple iPhone 11.".into(),
        price: 699.0,
    }
}

fn id(value: &str) -> ProductId {
    ProductId {
        value: value.into(),
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_deleted_product_is_gone() {
    let (server, mut client) = start().await;
    let added = client
        .add_product(iphone())
        .await
        .expect("added")
        .into_inner();

    client
        .delete_product(added.clone())
        .await
        .expect("a stored product is deleted");

    let status = client
        .get_product(added)
        .await
        .expect_err("the product is gone");
    assert_eq!(status.code(), Code::NotFound, "{status:?}");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn deleting_an_unknown_id_is_not_found_and_names_it() {
    let (server, mut client) = start().await;
    let status = client
        .delete_product(id("no-such-product"))
        .await
        .expect_err("nothing to delete");
    assert_eq!(status.code(), Code::NotFound, "{status:?}");
    assert!(status.message().contains("no-such-product"), "{status:?}");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_second_delete_of_a_product_is_not_found() {
    let (server, mut client) = start().await;
    let added = client
        .add_product(iphone())
        .await
        .expect("added")
        .into_inner();
    client.delete_product(added.clone()).await.expect("deleted");
    let status = client
        .delete_product(added)
        .await
        .expect_err("already deleted");
    assert_eq!(status.code(), Code::NotFound, "{status:?}");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn deleting_one_product_leaves_the_others() {
    let (server, mut client) = start().await;
    let first = client
        .add_product(iphone())
        .await
        .expect("added")
        .into_inner();
    let second = client
        .add_product(iphone())
        .await
        .expect("added")
        .into_inner();
    client.delete_product(first).await.expect("deleted");
    let kept = client
        .get_product(second.clone())
        .await
        .expect("the other product is still there")
        .into_inner();
    assert_eq!(kept.id, second.value);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_books_version_1_client_still_works_against_version_2() {
    let (server, _) = start().await;
    let mut book_client = BookClient::new(server.channel());
    let added = book_client
        .add_product(book_proto::ecommerce::Product {
            id: String::new(),
            name: "Apple iPhone 11".into(),
            description: "Meet Apple iPhone 11.".into(),
            price: 699.0,
        })
        .await
        .expect("the book's addProduct")
        .into_inner();
    let product = book_client
        .get_product(added)
        .await
        .expect("the book's getProduct")
        .into_inner();
    assert_eq!(product.name, "Apple iPhone 11");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_version_1_server_answers_delete_with_unimplemented() {
    let book_server =
        LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
            .await
            .expect("bind a loopback port");
    let mut client = ProductInfoClient::new(book_server.channel());
    let status = client
        .delete_product(id("any"))
        .await
        .expect_err("version 1 has no deleteProduct");
    assert_eq!(status.code(), Code::Unimplemented, "{status:?}");
    book_server.stop().await.expect("the server stops");
}
