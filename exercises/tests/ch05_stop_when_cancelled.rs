//! Checks for exercise ch05/03, 취소되면 멈추기 (Stopping when the client goes away).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch05_stop_when_cancelled -- --include-ignored`.

use std::time::Duration;

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::OrderStore;
use ch03_patterns::store::order;
use exercises::ch05::stop_when_cancelled::{CAPACITY, Production, Progress, service};
use exercises::expect::sent;
use exercises::harness::{self, LocalServer};
use tonic::transport::Endpoint;

/// How many orders the store holds; every one of them has a Pixel.
const ORDERS: usize = 10_000;

/// The test client's HTTP/2 window for one stream, in bytes: room for a few orders only, so
/// that flow control, not a big buffer, decides how far the server can run ahead of it.
const WINDOW: u32 = 256;

/// The most a search may have produced when a client that read 2 orders leaves: those 2, a
/// full channel of [`CAPACITY`], and the few on their way in tonic's and HTTP/2's buffers and
/// the client's small window (about 16 in all, in practice). A search that does not stop, or
/// does not wait for the client, produces all [`ORDERS`].
const AT_MOST: usize = 50;

/// Generous: it bounds a wait for something that happens within milliseconds.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The id of the `n`th order, `"00001"` to `"10000"`: in order of id, as the search answers.
fn id(n: usize) -> String {
    format!("{n:05}")
}

async fn start() -> (LocalServer<tonic::transport::Error>, Progress) {
    let store = OrderStore::with_orders(
        (1..=ORDERS).map(|n| order(&id(n), &["Google Pixel 9"], "Seoul", 799.0)),
    );
    let progress = Progress::new();
    let server = harness::start(tonic::service::Routes::new(OrderManagementServer::new(
        service(store, progress.clone()),
    )))
    .await
    .expect("bind a loopback port");
    (server, progress)
}

/// Waits until the search says it stopped, for at most [`TIMEOUT`]: what it produced, or
/// `None` if it was still running then.
async fn once_stopped(progress: &Progress) -> Option<Production> {
    let mut watch = progress.watch();
    let stopped = tokio::time::timeout(TIMEOUT, watch.wait_for(|production| production.stopped));
    match stopped.await {
        Ok(Ok(production)) => Some(*production),
        _ => None,
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_search_stops_soon_after_the_client_leaves() {
    let (server, progress) = start().await;
    let channel = Endpoint::from_shared(server.http_uri())
        .expect("a loopback URI")
        .initial_stream_window_size(WINDOW)
        .connect_lazy();
    let mut client = OrderManagementClient::new(channel);

    let call = sent(format!(
        "searchOrders(\"Pixel\") over {ORDERS} matching orders; the client read 2, then dropped the stream"
    ));
    let mut found = call
        .expect_ok(client.search_orders("Pixel".to_owned()).await)
        .into_inner();
    let mut first: Vec<Order> = Vec::new();
    for _ in 0..2 {
        if let Some(order) = call.expect_ok(found.message().await) {
            first.push(order);
        }
    }
    call.expect_eq(
        first
            .iter()
            .map(|order| order.id.as_str())
            .collect::<Vec<_>>(),
        ["00001", "00002"],
    );
    drop(found);

    let Some(production) = once_stopped(&progress).await else {
        call.fail(
            format!("the search's task stops within {TIMEOUT:?}"),
            format!(
                "still running after {TIMEOUT:?}, {} orders produced",
                progress.watch().borrow().produced
            ),
        )
    };
    call.expect(
        production.produced <= AT_MOST,
        format!(
            "the search stopped having produced at most {AT_MOST} of the {ORDERS} orders \
             (2 read, {CAPACITY} waiting in the channel, a few more on their way)"
        ),
        production,
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_client_that_reads_to_the_end_gets_every_order_in_order() {
    let (server, progress) = start().await;
    let mut client = OrderManagementClient::new(server.channel());

    let call = sent(format!(
        "searchOrders(\"Pixel\") over {ORDERS} matching orders, read to the end"
    ));
    let mut found = call
        .expect_ok(client.search_orders("Pixel".to_owned()).await)
        .into_inner();
    let mut ids = Vec::new();
    while let Some(order) = call.expect_ok(found.message().await) {
        ids.push(order.id);
    }
    let expected: Vec<String> = (1..=ORDERS).map(id).collect();
    if ids != expected {
        let first_wrong = ids
            .iter()
            .zip(&expected)
            .position(|(got, want)| got != want)
            .unwrap_or(ids.len().min(expected.len()));
        call.fail(
            format!("{ORDERS} orders, \"00001\" to \"10000\" in order"),
            format!(
                "{} orders, the one at {first_wrong} being {:?}",
                ids.len(),
                ids.get(first_wrong)
            ),
        );
    }
    let production = once_stopped(&progress).await;
    call.expect_eq(
        production,
        Some(Production {
            produced: ORDERS,
            stopped: true,
        }),
    );
    server.stop().await.expect("the server stops");
}
