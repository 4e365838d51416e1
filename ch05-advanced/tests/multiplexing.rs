//! Two services on one server, reached through one connection.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::helloworld::HelloRequest;
use book_proto::helloworld::greeter_client::GreeterClient;
use ch03_patterns::client::order_101;
use ch05_advanced::multiplexing::{BOOK_NAME, book_flow, serve};
use common::channel::Channel;
use common::local::LocalServer;
use test_support::process::ServerProcess;
use tokio::net::{TcpListener, TcpStream};
use tokio::process::Command;
use tonic::transport::Endpoint;

type Server = LocalServer<tonic::transport::Error>;

async fn start() -> Server {
    LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait()))
        .await
        .expect("bind a loopback port")
}

fn channel_to(addr: &str) -> Channel {
    common::channel::guard(
        Endpoint::from_shared(format!("http://{addr}"))
            .expect("a socket address makes a valid URI")
            .connect_lazy(),
    )
}

/// A loopback relay to `server` that counts the TCP connections made through it.
struct CountingRelay {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
}

impl CountingRelay {
    async fn start(server: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(server).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Self { addr, connections }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

#[tokio::test]
async fn both_services_answer_on_one_port() {
    let server = start().await;
    let channel = server.channel();

    let added = OrderManagementClient::new(channel.clone())
        .add_order(order_101())
        .await
        .expect("add order")
        .into_inner();
    assert_eq!(added, "Order Added: 101");
    let greeting = GreeterClient::new(channel)
        .say_hello(HelloRequest {
            name: "multiplex".into(),
        })
        .await
        .expect("say hello")
        .into_inner();
    assert_eq!(greeting.message, "Hello multiplex");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_book_flow_uses_two_stubs_over_a_single_connection() {
    let server = start().await;
    let relay = CountingRelay::start(server.addr()).await;

    let mut lines = Vec::new();
    book_flow(channel_to(&relay.addr.to_string()), |line| lines.push(line))
        .await
        .expect("the flow succeeds");

    assert_eq!(
        lines,
        [
            "AddOrder Response -> Order Added: 101".to_owned(),
            format!("Greeting:  Hello {BOOK_NAME}"),
        ]
    );
    assert_eq!(relay.connections(), 1, "both stubs share one connection");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_server_binary_logs_which_service_each_call_reached() {
    let mut server = ServerProcess::spawn(
        env!("CARGO_BIN_EXE_ch05-multiplexing-server"),
        [] as [&str; 0],
    )
    .await;
    let addr = server.addr().to_owned();
    book_flow(channel_to(&addr), drop)
        .await
        .expect("the flow succeeds");

    for expected in [
        "Order Management Service - AddOrder RPC",
        "Order Added. ID : 101",
        "Greeter Service - SayHello RPC",
    ] {
        let line = server.next_line().await;
        assert!(
            line.ends_with(expected),
            "{line:?} should end with {expected:?}"
        );
    }
    server.terminate().await;
}

#[tokio::test]
async fn the_client_binary_prints_the_books_two_lines() {
    let server = start().await;
    let output = Command::new(env!("CARGO_BIN_EXE_ch05-multiplexing-client"))
        .args(["--addr", &server.addr().to_string()])
        .output()
        .await
        .expect("run ch05-multiplexing-client");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "AddOrder Response -> Order Added: 101",
            "Greeting:  Hello gRPC Up and Running!",
        ]
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn without_a_server_the_client_reports_both_calls_and_exits_non_zero() {
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("local addr")
    };
    let output = Command::new(env!("CARGO_BIN_EXE_ch05-multiplexing-client"))
        .args(["--addr", &addr.to_string()])
        .output()
        .await
        .expect("run ch05-multiplexing-client");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    assert_eq!(stdout, "Error Occured -> addOrder : , Unavailable:\n");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("could not greet: rpc error: code = Unavailable"),
        "{stderr}"
    );
}
