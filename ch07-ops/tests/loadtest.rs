//! The load tester against chapter 2's server: counts, codes and the report's shape.

use std::sync::Arc;
use std::time::Duration;

use ch07_ops::loadtest::{self, LoadTestError, Method, Plan, Progress, Stop};
use common::local::LocalServer;

async fn start_server() -> LocalServer<tonic::transport::Error> {
    LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
        .await
        .expect("bind 127.0.0.1:0")
}

fn plan(method: Method, stop: Stop) -> Plan {
    Plan {
        method,
        stop,
        concurrency: 8,
        connections: 2,
        rate: None,
        product_id: None,
    }
}

#[tokio::test]
async fn get_product_makes_exactly_the_calls_asked_for() {
    let server = start_server().await;
    let progress = Arc::new(Progress::default());

    let report = loadtest::run(
        &server.addr().to_string(),
        &plan(Method::GetProduct, Stop::Total(500)),
        progress.clone(),
    )
    .await
    .expect("the load test runs");

    assert_eq!(report.count, 500);
    assert_eq!(progress.done(), 500);
    assert_eq!(report.status_codes.len(), 1);
    assert_eq!(report.status_codes["OK"], 500);
    assert!(report.fastest_ms <= report.p50_ms);
    assert!(report.p50_ms <= report.p90_ms);
    assert!(report.p90_ms <= report.p99_ms);
    assert!(report.p99_ms <= report.p999_ms);
    assert!(report.p999_ms <= report.slowest_ms);
    assert_eq!(report.histogram.iter().map(|b| b.count).sum::<u64>(), 500);
    assert!(report.requests_per_sec > 0.0);
    server.stop().await.expect("the server stops cleanly");
}

#[tokio::test]
async fn add_product_runs_for_a_duration_under_a_rate_limit() {
    let server = start_server().await;
    let plan = Plan {
        rate: Some(200),
        ..plan(
            Method::AddProduct,
            Stop::Duration(Duration::from_millis(300)),
        )
    };

    let report = loadtest::run(&server.addr().to_string(), &plan, Arc::default())
        .await
        .expect("the load test runs");

    // 300 ms at 200 calls per second allows the calls due at 0, 5, ..., 295 ms: at most 60.
    assert!(
        report.count <= 60,
        "{} calls is over the rate",
        report.count
    );
    assert_eq!(
        report.status_codes.get("OK").copied().unwrap_or(0),
        report.count
    );
    server.stop().await.expect("the server stops cleanly");
}

#[tokio::test]
async fn get_product_of_a_given_id_asks_for_that_product() {
    let server = start_server().await;
    let addr = server.addr().to_string();
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .expect("a valid URI")
        .connect()
        .await
        .expect("connects");
    let mut client = book_proto::ecommerce::product_info_client::ProductInfoClient::new(channel);
    let id = client
        .add_product(ch02_productinfo::client::book_product())
        .await
        .expect("the product is added")
        .into_inner()
        .value;

    let stored = Plan {
        product_id: Some(id),
        ..plan(Method::GetProduct, Stop::Total(20))
    };
    let report = loadtest::run(&addr, &stored, Arc::default())
        .await
        .expect("the load test runs");
    assert_eq!(report.status_codes["OK"], 20, "{:?}", report.status_codes);

    // Nothing is added first: an id the server never gave out is NOT_FOUND on every call.
    let unknown = Plan {
        product_id: Some("no-such-product".into()),
        ..plan(Method::GetProduct, Stop::Total(20))
    };
    let report = loadtest::run(&addr, &unknown, Arc::default())
        .await
        .expect("the load test runs");
    assert_eq!(report.status_codes.len(), 1, "{:?}", report.status_codes);
    assert_eq!(report.status_codes["NOT_FOUND"], 20);
    server.stop().await.expect("the server stops cleanly");
}

#[tokio::test]
async fn calls_that_fail_are_counted_by_code() {
    let server = start_server().await;
    let addr = server.addr().to_string();
    let report = loadtest::run(
        &addr,
        &plan(Method::AddProduct, Stop::Total(1)),
        Arc::default(),
    )
    .await
    .expect("the load test runs");
    assert_eq!(report.status_codes["OK"], 1);

    // A method the server does not have: every call is UNIMPLEMENTED.
    let connection = loadtest::wire::Connection::open(&addr, Duration::from_secs(5))
        .await
        .expect("connects");
    let uri = format!("http://{addr}/ecommerce.ProductInfo/deleteProduct")
        .parse()
        .expect("a valid URI");
    let body = loadtest::wire::frame(&book_proto::ecommerce::ProductId::default());
    assert_eq!(
        connection.call(&uri, &body).await,
        tonic::Code::Unimplemented
    );
    server.stop().await.expect("the server stops cleanly");
}

#[tokio::test]
async fn a_server_that_is_not_there_is_an_error_not_a_hang() {
    let server = start_server().await;
    let addr = server.addr().to_string();
    server.stop().await.expect("the server stops cleanly");

    let error = loadtest::run(
        &addr,
        &plan(Method::AddProduct, Stop::Total(10)),
        Arc::default(),
    )
    .await
    .expect_err("nothing listens");

    assert!(matches!(error, LoadTestError::Connect(_)), "{error}");
}

#[test]
fn the_binary_prints_json() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let server = runtime.block_on(start_server());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ch07-loadtest"))
        .args([
            "--addr",
            &server.addr().to_string(),
            "--method",
            "getProduct",
        ])
        .args(["-n", "300", "-c", "10", "--connections", "2", "--json"])
        .output()
        .expect("ch07-loadtest runs");
    runtime
        .block_on(server.stop())
        .expect("the server stops cleanly");

    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is one JSON report");
    assert_eq!(report["count"], 300);
    assert_eq!(report["status_codes"]["OK"], 300);
    for key in [
        "requests_per_sec",
        "p50_ms",
        "p90_ms",
        "p99_ms",
        "p999_ms",
        "slowest_ms",
    ] {
        assert!(report[key].as_f64().is_some(), "{key} is a number");
    }
    assert_eq!(
        report["latency_distribution"].as_array().map(Vec::len),
        Some(7)
    );
}

#[test]
fn the_binary_prints_a_summary_like_ghz() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let server = runtime.block_on(start_server());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ch07-loadtest"))
        .args([
            "--addr",
            &server.addr().to_string(),
            "--method",
            "addProduct",
            "-n",
            "50",
        ])
        .output()
        .expect("ch07-loadtest runs");
    runtime
        .block_on(server.stop())
        .expect("the server stops cleanly");

    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(text.starts_with("Summary:\n  Count:\t50\n"), "{text}");
    for heading in [
        "Response time histogram:",
        "Latency distribution:",
        "  99 % in ",
    ] {
        assert!(text.contains(heading), "{heading:?} missing from {text}");
    }
    assert!(
        text.ends_with("Status code distribution:\n  [OK]\t50 responses\n"),
        "{text}"
    );
}
