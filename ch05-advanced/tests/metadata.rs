//! Metadata: the client's headers reach the server; the server's headers and its trailer on a
//! successful stream reach the client.

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::client::order_101;
use ch05_advanced::metadata::add_book_metadata;
use common::local::LocalServer;
use common::log_capture::CapturedLog;
use tonic::Request;

async fn start() -> LocalServer<tonic::transport::Error> {
    LocalServer::start(|listener, shutdown| {
        ch05_advanced::metadata::serve(listener, shutdown.wait())
    })
    .await
    .expect("bind a loopback port")
}

/// Go's `time.StampNano`: `Nov 23 21:45:14.067141000`.
fn is_stamp_nano(value: &str) -> bool {
    chrono::NaiveDateTime::parse_from_str(&format!("2026 {value}"), "%Y %b %e %H:%M:%S%.9f").is_ok()
        && value.len() == "Nov 23 21:45:14.067141000".len()
}

#[tokio::test]
async fn the_server_reads_every_value_the_client_sent() {
    let (log, _guard) = CapturedLog::install();
    let server = start().await;
    let mut client = OrderManagementClient::new(server.channel());

    let mut request = Request::new(order_101());
    add_book_metadata(request.metadata_mut(), true);
    client.add_order(request).await.expect("add");

    log.line_containing("k2 from metadata:").await;
    let logged: Vec<String> = log
        .contents()
        .lines()
        .filter_map(|line| line.split("INFO ").nth(1))
        .map(|message| message.split(": ").last().unwrap_or(message).to_owned())
        .filter(|message| message.contains("Metadata") || message.contains("from metadata"))
        .collect();
    let timestamp = logged.get(1).expect("the timestamp's value").clone();
    assert!(
        is_stamp_nano(timestamp.trim_start_matches("====> Metadata 0. ")),
        "{timestamp}"
    );
    assert_eq!(
        logged[2..],
        [
            "kn from metadata:",
            "====> Metadata 0. vn",
            "k1 from metadata:",
            "====> Metadata 0. v1",
            "====> Metadata 1. v2",
            "k2 from metadata:",
            "====> Metadata 0. v3",
        ]
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn unary_headers_and_a_trailer_on_a_successful_stream_reach_the_client() {
    let server = start().await;
    let mut client = OrderManagementClient::new(server.channel());

    let response = client.add_order(order_101()).await.expect("add");
    let headers = response.metadata();
    assert_eq!(
        headers.get("location").map(|v| v.to_str().ok()),
        Some(Some("San Jose"))
    );
    let stamp = headers
        .get("timestamp")
        .and_then(|v| v.to_str().ok())
        .expect("a timestamp");
    assert!(is_stamp_nano(stamp), "{stamp}");

    let response = client
        .search_orders("Google".to_owned())
        .await
        .expect("search");
    assert_eq!(
        response.metadata().get("location").map(|v| v.to_str().ok()),
        Some(Some("MTV"))
    );
    assert!(response.metadata().get("timestamp").is_some());
    let mut orders = response.into_inner();
    let mut found = 0;
    while orders.message().await.expect("an order").is_some() {
        found += 1;
    }
    assert_eq!(found, 2);
    let trailers = orders
        .trailers()
        .await
        .expect("trailers")
        .expect("some trailers");
    let stamp = trailers
        .get("timestamp")
        .and_then(|v| v.to_str().ok())
        .expect("a trailer");
    assert!(is_stamp_nano(stamp), "{stamp}");

    // Calls without trailers are left alone.
    let order = client.get_order("102".to_owned()).await.expect("get");
    assert_eq!(order.into_inner().id, "102");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_client_binary_prints_what_came_back() {
    let server = start().await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_ch05-metadata-client"))
        .args(["--addr", &server.addr().to_string()])
        .output()
        .await
        .expect("run the client");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 13, "{stdout}");
    assert_eq!(lines[0], "AddOrder Response -> Order Added: 101");
    assert_eq!(lines[1], "timestamp from header:");
    assert!(
        is_stamp_nano(lines[2].trim_start_matches(" 0. ")),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3..5], ["location from header:", " 0. San Jose"]);
    assert!(lines[5].starts_with("Search Result : id:\"102\""));
    assert!(lines[6].starts_with("Search Result : id:\"104\""));
    assert_eq!(
        lines[7..11],
        [
            "EOF",
            "location from header:",
            " 0. MTV",
            "timestamp from trailer:"
        ]
    );
    assert!(
        is_stamp_nano(lines[11].trim_start_matches(" 0. ")),
        "{}",
        lines[11]
    );
    assert_eq!(
        lines[12],
        "Update Orders Res : Orders processed Updated Order IDs : 102, 103, 104"
    );
    server.stop().await.expect("clean stop");
}
