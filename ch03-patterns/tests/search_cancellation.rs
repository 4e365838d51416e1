//! A client that drops a server stream midway: the server stops searching at once.
//!
//! The server's log is the only outside view of its work, so this test captures it: the
//! tests of this file run on one thread, where the capturing subscriber is the default.

use std::io;
use std::time::Duration;

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::OrderStore;
use common::local::LocalServer;
use tokio::sync::watch;

/// Everything logged so far, and a way to wait for a line.
#[derive(Clone)]
struct CapturedLog(watch::Sender<String>);

impl CapturedLog {
    fn install() -> (Self, tracing::subscriber::DefaultGuard) {
        let log = Self(watch::Sender::new(String::new()));
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (log, tracing::subscriber::set_default(subscriber))
    }

    async fn line_containing(&self, text: &str) -> String {
        let mut log = self.0.subscribe();
        let waited = tokio::time::timeout(
            Duration::from_secs(30),
            log.wait_for(|log| log.contains(text)),
        )
        .await;
        let log = self.0.borrow();
        assert!(
            waited.is_ok(),
            "no log line containing {text:?} in:\n{}",
            *log
        );
        log.lines()
            .find(|line| line.contains(text))
            .expect("the line that was waited for")
            .to_owned()
    }
}

impl io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .send_modify(|log| log.push_str(&String::from_utf8_lossy(bytes)));
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

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
