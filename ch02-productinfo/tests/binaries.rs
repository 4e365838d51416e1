//! `ch02-client` and `ch02-server` run as a reader runs them, and what they print.

use book_proto::ecommerce::ProductId;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use common::local::LocalServer;
use test_support::process::ServerProcess;
use tokio::process::Command;

#[tokio::test]
async fn the_client_binary_prints_the_product_it_added() {
    let server =
        LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
            .await
            .expect("bind a loopback port");

    let output = Command::new(env!("CARGO_BIN_EXE_ch02-client"))
        .args(["--addr", &server.addr().to_string()])
        .output()
        .await
        .expect("run ch02-client");
    assert!(output.status.success(), "{output:?}");

    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    let mut lines = stdout.lines();
    let id = lines
        .next()
        .and_then(|line| line.strip_prefix("Product ID: "))
        .and_then(|line| line.strip_suffix(" added successfully"))
        .expect("first line: Product ID: <id> added successfully")
        .to_owned();
    assert_eq!(
        lines.next(),
        Some(
            format!(
                "Product: id:\"{id}\" name:\"Apple iPhone 11\" description:\"Meet Apple iPhone 11. \
                 All-new dual-camera system with Ultra Wide and Night mode.\" price:699"
            )
            .as_str()
        )
    );
    assert_eq!(lines.next(), None);

    // The product really is on the server.
    let mut client = ProductInfoClient::connect(server.http_uri())
        .await
        .expect("connect");
    let product = client
        .get_product(ProductId { value: id })
        .await
        .expect("the client's product is stored")
        .into_inner();
    assert_eq!(product.name, "Apple iPhone 11");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_client_binary_reports_a_missing_server_and_exits_non_zero() {
    // Bind and drop a listener to get a loopback port nobody listens on.
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("local addr")
    };
    let output = Command::new(env!("CARGO_BIN_EXE_ch02-client"))
        .args(["--addr", &addr.to_string()])
        .output()
        .await
        .expect("run ch02-client");

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Could not add product: rpc error: code = Unavailable desc = "),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_server_binary_serves_logs_each_call_and_stops_on_sigterm() {
    let mut server = ServerProcess::spawn(env!("CARGO_BIN_EXE_ch02-server"), [] as [&str; 0]).await;

    let mut client = ProductInfoClient::connect(format!("http://{}", server.addr()))
        .await
        .expect("connect");
    let id = client
        .add_product(ch02_productinfo::client::book_product())
        .await
        .expect("add")
        .into_inner();
    client.get_product(id.clone()).await.expect("get");

    let added = server.next_line().await;
    assert!(
        added.ends_with(&format!("Product {} : Apple iPhone 11 - Added.", id.value)),
        "{added}"
    );
    let retrieved = server.next_line().await;
    assert!(
        retrieved.ends_with(&format!(
            "Product {} : Apple iPhone 11 - Retrieved.",
            id.value
        )),
        "{retrieved}"
    );

    let status = server.terminate().await;
    assert!(status.success(), "SIGTERM is a clean stop: {status:?}");
}
