//! ProductInfo over real loopback sockets: the book's calls, their edges, and the two
//! binaries as a reader runs them.

use std::collections::HashSet;
use std::time::Duration;

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Product, ProductId};
use ch02_productinfo::client::{FLOW_TIMEOUT, FlowError, add_then_get, book_product};
use common::channel::Channel;
use common::deadline::Deadline;
use common::local::LocalServer;
use tonic::Code;

type Server = LocalServer<tonic::transport::Error>;

async fn start() -> (Server, ProductInfoClient<Channel>) {
    let server =
        LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
            .await
            .expect("bind a loopback port");
    let client = ProductInfoClient::new(server.channel());
    (server, client)
}

#[tokio::test]
async fn add_then_get_returns_the_product_under_the_new_id() {
    let (server, mut client) = start().await;

    let sent = Product {
        id: "chosen-by-the-client".into(),
        ..book_product()
    };
    let id = client
        .add_product(sent.clone())
        .await
        .expect("add")
        .into_inner();
    assert_ne!(id.value, sent.id, "the server gives the id, as in the book");
    let uuid = uuid::Uuid::parse_str(&id.value).expect("the id is a UUID");
    assert_eq!(uuid.get_version_num(), 4);

    let got = client
        .get_product(id.clone())
        .await
        .expect("get")
        .into_inner();
    assert_eq!(
        got,
        Product {
            id: id.value,
            ..sent
        }
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn unknown_id_is_not_found_and_named_in_the_message() {
    let (server, mut client) = start().await;

    let status = client
        .get_product(ProductId {
            value: "no-such-product".into(),
        })
        .await
        .expect_err("nothing was added");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(status.message(), "Product does not exist: no-such-product");
    server.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_adds_get_distinct_ids_and_are_all_retrievable() {
    let (server, client) = start().await;

    let adds = (0..200).map(|n| {
        let mut client = client.clone();
        tokio::spawn(async move {
            let product = Product {
                name: format!("product {n}"),
                ..book_product()
            };
            let id = client.add_product(product).await.expect("add").into_inner();
            (n, id)
        })
    });
    let added = futures::future::try_join_all(adds)
        .await
        .expect("no task panicked");

    let ids: HashSet<&str> = added.iter().map(|(_, id)| id.value.as_str()).collect();
    assert_eq!(ids.len(), 200, "every add got its own id");

    for (n, id) in added {
        let product = client
            .clone()
            .get_product(id.clone())
            .await
            .expect("get")
            .into_inner();
        assert_eq!(product.name, format!("product {n}"));
        assert_eq!(product.id, id.value);
    }
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_book_flow_prints_the_books_lines() {
    let (server, mut client) = start().await;

    let flow = add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT))
        .await
        .expect("the flow succeeds");
    let id = &flow.id.value;
    assert_eq!(
        flow.to_string(),
        format!(
            "Product ID: {id} added successfully\n\
             Product: id:\"{id}\" name:\"Apple iPhone 11\" description:\"Meet Apple iPhone 11. \
             All-new dual-camera system with Ultra Wide and Night mode.\" price:699"
        )
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_server_that_never_answers_fails_the_flow_with_deadline_exceeded() {
    // A listener that accepts connections but never speaks HTTP/2.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = silent.local_addr().expect("local addr");
    let channel = tonic::transport::Channel::from_shared(format!("http://{addr}"))
        .expect("valid uri")
        .connect_lazy();
    let mut client = ProductInfoClient::new(common::channel::guard(channel));

    let error = add_then_get(
        &mut client,
        book_product(),
        Deadline::after(Duration::from_millis(200)),
    )
    .await
    .expect_err("nobody answers");
    match error {
        FlowError::Add(status) => assert_eq!(status.code(), Code::DeadlineExceeded),
        other => panic!("expected the add step to fail, got {other}"),
    }
    drop(silent);
}
