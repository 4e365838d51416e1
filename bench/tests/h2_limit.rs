//! The raw HTTP/2 server is a fair limit only if it does chapter 2's work: a gRPC client sees
//! the same answers from it as from `ch02-server` (the book's product back, `NOT_FOUND` for an
//! unknown id, `UNIMPLEMENTED` for a method it lacks), and it stops on SIGTERM like our servers.

use book_proto::ecommerce::ProductId;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch02_productinfo::client::book_product;
use test_support::process::ServerProcess;
use tonic::Code;

#[tokio::test]
async fn the_raw_h2_server_answers_as_chapter_2s_server_does() {
    let server =
        ServerProcess::spawn(env!("CARGO_BIN_EXE_bench-h2-limit"), ["--threads", "1"]).await;
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{}", server.addr()))
        .expect("a valid URI")
        .connect()
        .await
        .expect("connects");
    let mut client = ProductInfoClient::new(channel.clone());

    let id = client
        .add_product(book_product())
        .await
        .expect("addProduct is OK")
        .into_inner();
    assert_eq!(id.value.len(), 36, "a UUID: {id:?}");
    let product = client
        .get_product(id.clone())
        .await
        .expect("getProduct is OK")
        .into_inner();
    assert_eq!(product.id, id.value);
    assert_eq!(
        (
            product.name.as_str(),
            product.description.as_str(),
            product.price
        ),
        (
            book_product().name.as_str(),
            book_product().description.as_str(),
            book_product().price
        )
    );

    let unknown = client
        .get_product(ProductId {
            value: "no-such-product".into(),
        })
        .await
        .expect_err("an unknown id is an error");
    assert_eq!(unknown.code(), Code::NotFound, "{unknown:?}");

    let mut orders =
        book_proto::ecommerce::order_management_client::OrderManagementClient::new(channel);
    let missing = orders
        .get_order("106".to_owned())
        .await
        .expect_err("the raw server has no OrderManagement");
    assert_eq!(missing.code(), Code::Unimplemented, "{missing:?}");

    assert!(server.terminate().await.success(), "SIGTERM ends it with 0");
}
