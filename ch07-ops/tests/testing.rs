//! The book's section "gRPC 애플리케이션 테스트" (Testing gRPC Applications), three ways.
//!
//! 1. The server over an in-memory transport: grpc-go's `bufconn`. Nothing listens on a port;
//!    a `tokio::io::duplex` pipe carries the HTTP/2 bytes between the client and the server.
//! 2. The server over a real TCP listener on `127.0.0.1:0`, as the book's Go test starts one.
//! 3. The client against a mock of the service: the book's `gomock`. The mock is just another
//!    implementation of the generated `ProductInfo` trait, so the test says exactly what the
//!    "server" answers and checks exactly what the client sent.
//!
//! Each test runs chapter 2's own service and client flow, unchanged.

use std::sync::{Arc, Mutex};

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::product_info_server::{ProductInfo, ProductInfoServer};
use book_proto::ecommerce::{Product, ProductId};
use ch02_productinfo::ProductInfoService;
use ch02_productinfo::client::{FLOW_TIMEOUT, FlowError, add_then_get, book_product};
use common::channel::Channel;
use common::deadline::Deadline;
use common::local::LocalServer;
use hyper_util::rt::TokioIo;
use tonic::transport::{Endpoint, Server};
use tonic::{Code, Request, Response, Status};

/// Serves `service` over an in-memory pipe and answers with a channel to it.
///
/// The server side gets a stream with a single connection, the pipe's one end; the client's
/// connector hands out the other end. The URI is never dialled, tonic only needs one.
async fn in_memory_channel<S: ProductInfo>(service: S) -> Channel {
    let (client_io, server_io) = tokio::io::duplex(64 * 1024);
    tokio::spawn(
        Server::builder()
            .add_service(ProductInfoServer::new(service))
            .serve_with_incoming(tokio_stream::once(Ok::<_, std::io::Error>(server_io))),
    );
    let mut client_io = Some(client_io);
    let channel = Endpoint::from_static("http://in-memory")
        .connect_with_connector(tower::service_fn(move |_| {
            let io = client_io.take().map(TokioIo::new);
            async move { io.ok_or_else(|| std::io::Error::other("the pipe is already connected")) }
        }))
        .await
        .expect("the in-memory pipe connects");
    common::channel::guard(channel)
}

#[tokio::test]
async fn server_over_an_in_memory_transport() {
    let mut client = ProductInfoClient::new(in_memory_channel(ProductInfoService::default()).await);

    let flow = add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT))
        .await
        .expect("the flow succeeds");

    assert_eq!(flow.product.id, flow.id.value);
    assert_eq!(flow.product.name, "Apple iPhone 11");
    assert_eq!(flow.product.price, 699.0);
    let unknown = client
        .get_product(ProductId {
            value: "no-such-id".into(),
        })
        .await
        .expect_err("an unknown id is an error");
    assert_eq!(unknown.code(), Code::NotFound);
    assert_eq!(unknown.message(), "Product does not exist: no-such-id");
}

#[tokio::test]
async fn server_over_a_real_tcp_listener() {
    let server =
        LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
            .await
            .expect("bind 127.0.0.1:0");
    let mut client = ProductInfoClient::new(server.channel());

    let flow = add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT))
        .await
        .expect("the flow succeeds");

    assert_eq!(flow.product.id, flow.id.value);
    assert_eq!(
        flow.product.description,
        book_product().description,
        "the product comes back as it was sent"
    );
    server.stop().await.expect("the server stops cleanly");
}

/// A `ProductInfo` that answers what the test tells it to and remembers what it was sent.
#[derive(Default)]
struct MockProductInfo {
    added: Arc<Mutex<Vec<Product>>>,
    asked: Arc<Mutex<Vec<String>>>,
    get_fails_with: Option<Code>,
}

#[tonic::async_trait]
impl ProductInfo for MockProductInfo {
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        self.added
            .lock()
            .expect("no test panicked")
            .push(request.into_inner());
        Ok(Response::new(ProductId {
            value: "mock-id-1".into(),
        }))
    }

    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        let id = request.into_inner().value;
        self.asked
            .lock()
            .expect("no test panicked")
            .push(id.clone());
        match self.get_fails_with {
            Some(code) => Err(Status::new(code, "the mock says no")),
            None => Ok(Response::new(Product {
                id,
                name: "Mock phone".into(),
                ..Product::default()
            })),
        }
    }
}

#[tokio::test]
async fn client_against_a_mock_service() {
    let mock = MockProductInfo::default();
    let (added, asked) = (mock.added.clone(), mock.asked.clone());
    let mut client = ProductInfoClient::new(in_memory_channel(mock).await);

    let flow = add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT))
        .await
        .expect("the flow succeeds");

    assert_eq!(
        *added.lock().expect("no test panicked"),
        vec![book_product()]
    );
    assert_eq!(
        *asked.lock().expect("no test panicked"),
        vec!["mock-id-1".to_owned()]
    );
    assert_eq!(flow.id.value, "mock-id-1");
    assert_eq!(flow.product.name, "Mock phone");
    assert_eq!(
        flow.to_string(),
        "Product ID: mock-id-1 added successfully\n\
         Product: id:\"mock-id-1\" name:\"Mock phone\""
    );
}

#[tokio::test]
async fn client_reports_the_step_that_failed() {
    let mock = MockProductInfo {
        get_fails_with: Some(Code::Unavailable),
        ..MockProductInfo::default()
    };
    let mut client = ProductInfoClient::new(in_memory_channel(mock).await);

    let error = add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT))
        .await
        .expect_err("getProduct fails");

    assert!(matches!(&error, FlowError::Get(status) if status.code() == Code::Unavailable));
    assert_eq!(
        error.to_string(),
        "Could not get product: rpc error: code = Unavailable desc = the mock says no"
    );
}
