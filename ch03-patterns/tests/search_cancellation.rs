//! A client that drops a server stream midway: the server stops searching at once.
//!
//! The server's log is the only outside view of its work, so this test captures it.

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::OrderStore;
use common::local::LocalServer;
use common::log_capture::CapturedLog;

#[tokio::test]
async fn dropping_a_search_midway_stops_the_server_work() {
    let (log, _guard) = CapturedLog::install();
    let server = LocalServer::start(|listener, shutdown| {
        ch03_patterns::serve(listener, OrderStore::book(), shutdown.wait())
    })
    .await
    .expect("bind a loopback port");
    let mut client = OrderManagementClient::new(server.channel());

    // 3,000 matching orders of about 1 KiB each: more than HTTP/2 flow control lets the
    // server send ahead of a client that stops reading.
    let many = (0..3000).map(|n| Order {
        id: format!("g{n:04}"),
        items: vec!["Google Pixel 3A".into()],
        description: "x".repeat(1024),
        price: 1.0,
        destination: "Mountain View, CA".into(),
    });
    client
        .update_orders(tokio_stream::iter(many))
        .await
        .expect("seed the orders");

    let mut results = client
        .search_orders("Google".to_owned())
        .await
        .expect("search accepted")
        .into_inner();
    for _ in 0..2 {
        results
            .message()
            .await
            .expect("a message")
            .expect("not the end");
    }
    drop(results);

    let line = log.line_containing("stopped after").await;
    let sent: usize = line
        .split("stopped after ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|count| count.parse().ok())
        .expect("the line says how many orders were sent");
    assert!(sent < 3002, "the search stopped early: {line}");
    assert!(line.contains("the client went away"), "{line}");

    server.stop().await.expect("clean stop");
}
