//! Checks for exercise ch02/03, 메서드 추가하기 (Adding a method): `deleteProduct`.
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
use exercises::expect::sent;
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
    let call = sent("addProduct with the book's \"Apple iPhone 11\"");
    let added = call
        .expect_ok(client.add_product(iphone()).await)
        .into_inner();

    let call = sent(format!("deleteProduct({:?}) after adding it", added.value));
    call.expect_ok(client.delete_product(added.clone()).await);

    let call = sent(format!("getProduct({:?}) after deleting it", added.value));
    call.expect_code(
        client
            .get_product(added)
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
async fn deleting_an_unknown_id_is_not_found_and_names_it() {
    let (server, mut client) = start().await;
    let call = sent("deleteProduct(\"no-such-product\") after adding nothing");
    let status = call.expect_code(
        client
            .delete_product(id("no-such-product"))
            .await
            .map(tonic::Response::into_inner),
        Code::NotFound,
    );
    call.expect(
        status.message().contains("no-such-product"),
        "a message that names the id \"no-such-product\"",
        status.message(),
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_second_delete_of_a_product_is_not_found() {
    let (server, mut client) = start().await;
    let call = sent("addProduct with the book's \"Apple iPhone 11\"");
    let added = call
        .expect_ok(client.add_product(iphone()).await)
        .into_inner();
    let call = sent(format!("deleteProduct({:?}) after adding it", added.value));
    call.expect_ok(client.delete_product(added.clone()).await);
    let call = sent(format!(
        "deleteProduct({:?}) a second time, after deleting it",
        added.value
    ));
    call.expect_code(
        client
            .delete_product(added)
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
async fn deleting_one_product_leaves_the_others() {
    let (server, mut client) = start().await;
    let call = sent("addProduct with the book's \"Apple iPhone 11\", twice");
    let first = call
        .expect_ok(client.add_product(iphone()).await)
        .into_inner();
    let second = call
        .expect_ok(client.add_product(iphone()).await)
        .into_inner();
    let call = sent(format!(
        "deleteProduct({:?}), the first of two",
        first.value
    ));
    call.expect_ok(client.delete_product(first.clone()).await);
    let call = sent(format!(
        "getProduct({:?}), the second, after deleting the first ({:?})",
        second.value, first.value
    ));
    let kept = call
        .expect_ok(client.get_product(second.clone()).await)
        .into_inner();
    call.expect_eq(&kept.id, &second.value);
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
    let call = sent("the book's version 1 addProduct, with \"Apple iPhone 11\", to version 2");
    let added = call
        .expect_ok(
            book_client
                .add_product(book_proto::ecommerce::Product {
                    id: String::new(),
                    name: "Apple iPhone 11".into(),
                    description: "Meet Apple iPhone 11.".into(),
                    price: 699.0,
                })
                .await,
        )
        .into_inner();
    let call = sent(format!(
        "the book's version 1 getProduct({:?}), to version 2",
        added.value
    ));
    let product = call
        .expect_ok(book_client.get_product(added).await)
        .into_inner();
    call.expect_eq(&product.name, "Apple iPhone 11");
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
    let call = sent("deleteProduct(\"any\") to chapter 2's version 1 server");
    call.expect_code(
        client
            .delete_product(id("any"))
            .await
            .map(tonic::Response::into_inner),
        Code::Unimplemented,
    );
    book_server.stop().await.expect("the server stops");
}
