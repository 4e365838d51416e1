//! The metrics after known calls: scraped over HTTP, as Prometheus does, and checked by value.

use book_proto::ecommerce::ProductId;
use ch02_productinfo::client::{FLOW_TIMEOUT, add_then_get, book_product};
use ch07_ops::client::observable_client;
use ch07_ops::metrics::exporter;
use ch07_ops::server::ObservableServer;
use common::deadline::Deadline;
use common::local::LocalServer;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::{SdkTracer, SdkTracerProvider};
use prometheus::Registry;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A tracer whose spans go nowhere: these tests are about metrics.
fn untraced() -> SdkTracer {
    SdkTracerProvider::builder().build().tracer("metrics test")
}

/// Serves `registry` on an ephemeral port; answers the port's address.
async fn expose(registry: Registry) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("bound");
    tokio::spawn(exporter::serve(listener, registry, std::future::pending()));
    addr
}

/// `GET path` over HTTP/1.1; answers the whole response, head and body.
async fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    response
}

/// The value of the sample whose line starts with `series` (name and labels, exactly).
fn value(scrape: &str, series: &str) -> f64 {
    scrape
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("{series} missing from\n{scrape}"))
        .parse()
        .expect("a number")
}

#[tokio::test]
async fn server_and_client_count_the_calls() {
    let server_registry = Registry::new();
    let server = ObservableServer::new(&server_registry, untraced()).expect("register");
    let server = LocalServer::start(|listener, shutdown| server.serve(listener, shutdown.wait()))
        .await
        .expect("bind 127.0.0.1:0");
    let server_metrics = expose(server_registry).await;
    let client_registry = Registry::new();
    let mut client =
        observable_client(server.channel(), &client_registry, untraced()).expect("register");
    let client_metrics = expose(client_registry).await;

    for _ in 0..2 {
        add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT))
            .await
            .expect("the flow succeeds");
    }
    let missing = client
        .get_product(ProductId {
            value: "nope".into(),
        })
        .await;
    assert_eq!(
        missing.expect_err("unknown id").code(),
        tonic::Code::NotFound
    );

    let scrape = get(server_metrics, "/metrics").await;
    assert!(scrape.starts_with("HTTP/1.1 200 OK\r\n"), "{scrape}");
    let add = r#"grpc_method="addProduct",grpc_service="ecommerce.ProductInfo",grpc_type="unary""#;
    let get_ = r#"grpc_method="getProduct",grpc_service="ecommerce.ProductInfo",grpc_type="unary""#;
    assert_eq!(
        value(&scrape, &format!("grpc_server_started_total{{{add}}}")),
        2.0
    );
    assert_eq!(
        value(&scrape, &format!("grpc_server_started_total{{{get_}}}")),
        3.0
    );
    let handled = |labels: &str, code: &str| {
        let (method, rest) = labels.split_once(',').expect("labels");
        format!("grpc_server_handled_total{{grpc_code=\"{code}\",{method},{rest}}}")
    };
    assert_eq!(value(&scrape, &handled(add, "OK")), 2.0);
    assert_eq!(value(&scrape, &handled(get_, "OK")), 2.0);
    assert_eq!(value(&scrape, &handled(get_, "NotFound")), 1.0);
    assert_eq!(
        value(
            &scrape,
            &format!("grpc_server_msg_received_total{{{get_}}}")
        ),
        3.0
    );
    // A NOT_FOUND answer carries no message.
    assert_eq!(
        value(&scrape, &format!("grpc_server_msg_sent_total{{{get_}}}")),
        2.0
    );
    assert_eq!(
        value(
            &scrape,
            &format!("grpc_server_handling_seconds_count{{{get_}}}")
        ),
        3.0
    );
    assert_eq!(
        value(
            &scrape,
            r#"product_mgt_server_handle_count{name="Apple iPhone 11"}"#
        ),
        2.0
    );

    let scrape = get(client_metrics, "/metrics").await;
    assert_eq!(
        value(&scrape, &format!("grpc_client_started_total{{{get_}}}")),
        3.0
    );
    assert_eq!(
        value(&scrape, &format!("grpc_client_msg_sent_total{{{add}}}")),
        2.0
    );
    assert_eq!(
        value(
            &scrape,
            &format!("grpc_client_msg_received_total{{{get_}}}")
        ),
        2.0
    );
    let client_handled = handled(get_, "NotFound").replace("grpc_server", "grpc_client");
    assert_eq!(value(&scrape, &client_handled), 1.0);
    assert!(
        !scrape.contains("grpc_server_"),
        "the client has only client series"
    );

    server.stop().await.expect("the server stops cleanly");
}

#[tokio::test]
async fn a_call_that_reaches_no_handler_is_counted_too() {
    let registry = Registry::new();
    let server = ObservableServer::new(&registry, untraced()).expect("register");
    let server = LocalServer::start(|listener, shutdown| server.serve(listener, shutdown.wait()))
        .await
        .expect("bind 127.0.0.1:0");
    let addr = server.addr().to_string();
    let connection =
        ch07_ops::loadtest::wire::Connection::open(&addr, std::time::Duration::from_secs(5))
            .await
            .expect("connects");
    let uri = format!("http://{addr}/ecommerce.ProductInfo/deleteProduct")
        .parse()
        .expect("a valid URI");
    let body = ch07_ops::loadtest::wire::frame(&ProductId::default());
    assert_eq!(
        connection.call(&uri, &body).await,
        tonic::Code::Unimplemented
    );

    let scrape = get_once(&registry).await;
    // A method no descriptor names is labelled `unknown`, whatever its path: labels from paths
    // would let a client grow the series without bound.
    assert!(!scrape.contains("deleteProduct"), "{scrape}");
    let labels = r#"grpc_method="unknown",grpc_service="unknown",grpc_type="unknown""#;
    assert_eq!(
        value(&scrape, &format!("grpc_server_started_total{{{labels}}}")),
        1.0
    );
    assert_eq!(
        value(
            &scrape,
            &format!("grpc_server_handled_total{{grpc_code=\"Unimplemented\",{labels}}}")
        ),
        1.0
    );
    server.stop().await.expect("the server stops cleanly");
}

#[tokio::test]
async fn other_paths_are_not_found() {
    let addr = expose(Registry::new()).await;
    let response = get(addr, "/").await;
    assert!(
        response.starts_with("HTTP/1.1 404 Not Found\r\n"),
        "{response}"
    );
}

#[test]
fn the_client_binary_runs_one_round() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let registry = Registry::new();
    let server = ObservableServer::new(&registry, untraced()).expect("register");
    let server = runtime
        .block_on(LocalServer::start(|listener, shutdown| {
            server.serve(listener, shutdown.wait())
        }))
        .expect("bind 127.0.0.1:0");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ch07-client"))
        .args(["--addr", &server.addr().to_string()])
        .args(["--metrics-addr", "127.0.0.1:0", "--rounds", "1"])
        .output()
        .expect("ch07-client runs");
    runtime
        .block_on(server.stop())
        .expect("the server stops cleanly");

    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let mut lines = stdout.lines();
    let added = lines.next().expect("a first line");
    assert!(
        added.starts_with("Product ID: ") && added.ends_with(" added successfully"),
        "{stdout}"
    );
    assert!(
        lines
            .next()
            .expect("a second line")
            .contains(r#"name:"Apple iPhone 11""#)
    );
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(stderr.contains("Metrics on http://127.0.0.1:"), "{stderr}");
    assert_eq!(
        value(
            &runtime.block_on(get_once(&registry)),
            r#"product_mgt_server_handle_count{name="Apple iPhone 11"}"#
        ),
        1.0
    );
}

/// The server registry as text, the way the exporter writes it.
async fn get_once(registry: &Registry) -> String {
    get(expose(registry.clone()).await, "/metrics").await
}
