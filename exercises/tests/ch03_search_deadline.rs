//! Checks for exercise ch03/03, 데드라인을 지키는 검색 (A search that honours the deadline).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch03_search_deadline -- --include-ignored`.
//!
//! The clients here set `grpc-timeout` with `Request::set_timeout` and nothing else, so they
//! never give up on their own: what they see is what the server decided. The times leave wide
//! margins: a lookup is never faster than its pace, however busy the machine, and the one
//! check of "quick enough" allows seconds for what takes a fraction of one.

use std::time::Duration;

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::OrderStore;
use common::channel::Channel;
use exercises::ch03::search_deadline::service;
use exercises::harness::{self, LocalServer};
use tonic::{Code, Request, Status};

async fn start(
    store: OrderStore,
    pace: Duration,
) -> (
    LocalServer<tonic::transport::Error>,
    OrderManagementClient<Channel>,
) {
    let server = harness::start(tonic::service::Routes::new(OrderManagementServer::new(
        service(store, pace),
    )))
    .await
    .expect("bind a loopback port");
    let client = OrderManagementClient::new(server.channel());
    (server, client)
}

/// Ten orders that all match "Pixel": `p00` to `p09`.
fn ten_pixels() -> OrderStore {
    OrderStore::with_orders((0..10).map(|n| Order {
        id: format!("p{n:02}"),
        items: vec!["Google Pixel 3A".into()],
        description: String::new(),
        price: 399.0,
        destination: "Mountain View, CA".into(),
    }))
}

/// What a search streamed: the ids that arrived, and how the stream ended.
struct Outcome {
    ids: Vec<String>,
    end: Result<(), Status>,
}

/// Searches for `query`, with `timeout` as the call's `grpc-timeout` when there is one, and
/// reads the stream to its end.
async fn search(
    client: &mut OrderManagementClient<Channel>,
    query: &str,
    timeout: Option<Duration>,
) -> Outcome {
    let mut request = Request::new(query.to_owned());
    if let Some(timeout) = timeout {
        request.set_timeout(timeout);
    }
    let mut ids = Vec::new();
    let mut results = match client.search_orders(request).await {
        Ok(response) => response.into_inner(),
        Err(status) => {
            return Outcome {
                ids,
                end: Err(status),
            };
        }
    };
    loop {
        match results.message().await {
            Ok(Some(order)) => ids.push(order.id),
            Ok(None) => return Outcome { ids, end: Ok(()) },
            Err(status) => {
                return Outcome {
                    ids,
                    end: Err(status),
                };
            }
        }
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn without_a_deadline_the_search_finishes() {
    let (server, mut client) = start(OrderStore::book(), Duration::from_millis(10)).await;
    let outcome = search(&mut client, "Google", None).await;
    assert_eq!(outcome.ids, ["102", "104"]);
    outcome.end.expect("the stream ends with OK");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_generous_deadline_lets_the_search_finish() {
    let (server, mut client) = start(OrderStore::book(), Duration::from_millis(10)).await;
    let outcome = search(&mut client, "Google", Some(Duration::from_secs(60))).await;
    assert_eq!(outcome.ids, ["102", "104"]);
    outcome.end.expect("the stream ends with OK");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_stream_ends_with_deadline_exceeded_when_the_deadline_passes() {
    // Ten lookups of at least 200 ms each take at least 2 s; the caller gives 500 ms.
    let (server, mut client) = start(ten_pixels(), Duration::from_millis(200)).await;
    let outcome = search(&mut client, "Pixel", Some(Duration::from_millis(500))).await;
    let status = outcome
        .end
        .expect_err("the deadline passed long before the tenth order");
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    assert!(
        outcome.ids.len() < 10,
        "the server stopped streaming at the deadline, yet sent {:?}",
        outcome.ids
    );
    let expected: Vec<String> = (0..outcome.ids.len()).map(|n| format!("p{n:02}")).collect();
    assert_eq!(
        outcome.ids, expected,
        "the orders before the deadline, in order"
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_slow_lookup_is_cut_short_by_the_deadline() {
    // One lookup takes a minute; the caller gives 300 ms, and gets its answer soon after.
    let (server, mut client) = start(OrderStore::book(), Duration::from_secs(60)).await;
    let outcome = tokio::time::timeout(
        Duration::from_secs(5),
        search(&mut client, "Google", Some(Duration::from_millis(300))),
    )
    .await
    .expect("an answer within seconds of the 300 ms deadline, not after the minute-long lookup");
    assert!(outcome.ids.is_empty(), "{:?}", outcome.ids);
    let status = outcome
        .end
        .expect_err("the deadline passed during the lookup");
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    server.stop().await.expect("the server stops");
}
