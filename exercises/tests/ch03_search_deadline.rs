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
use exercises::expect::{Sent, describe_status, sent};
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

impl Outcome {
    /// The outcome as a student reads it: the ids, then how the stream ended.
    fn describe(&self) -> String {
        match &self.end {
            Ok(()) => format!("{:?}, then OK", self.ids),
            Err(status) => format!("{:?}, then {}", self.ids, describe_status(status)),
        }
    }

    /// Passes when the stream ended with `code`.
    #[track_caller]
    fn expect_end(&self, call: &Sent, code: Code) {
        match &self.end {
            Err(status) if status.code() == code => {}
            _ => call.fail(
                format!("some orders, then {}", wire::status::spec_name(code)),
                self.describe(),
            ),
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
    let call = sent("searchOrders(\"Google\") with no deadline, 10 ms per lookup");
    let outcome = search(&mut client, "Google", None).await;
    call.expect(
        outcome.ids == ["102", "104"] && outcome.end.is_ok(),
        "[\"102\", \"104\"], then OK",
        format_args!("{}", outcome.describe()),
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_generous_deadline_lets_the_search_finish() {
    let (server, mut client) = start(OrderStore::book(), Duration::from_millis(10)).await;
    let call = sent("searchOrders(\"Google\") with a 60 s deadline, 10 ms per lookup");
    let outcome = search(&mut client, "Google", Some(Duration::from_secs(60))).await;
    call.expect(
        outcome.ids == ["102", "104"] && outcome.end.is_ok(),
        "[\"102\", \"104\"], then OK",
        format_args!("{}", outcome.describe()),
    );
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
    let call =
        sent("searchOrders(\"Pixel\") over ten matches with a 500 ms deadline, 200 ms per lookup");
    let outcome = search(&mut client, "Pixel", Some(Duration::from_millis(500))).await;
    outcome.expect_end(&call, Code::DeadlineExceeded);
    call.expect(
        outcome.ids.len() < 10,
        "fewer than ten orders: the stream stops at the deadline",
        format_args!("{}", outcome.describe()),
    );
    let expected: Vec<String> = (0..outcome.ids.len()).map(|n| format!("p{n:02}")).collect();
    call.expect(
        outcome.ids == expected,
        format_args!("the orders before the deadline, in order: {expected:?}"),
        format_args!("{}", outcome.describe()),
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
    let call = sent("searchOrders(\"Google\") with a 300 ms deadline, one minute per lookup");
    let outcome = tokio::time::timeout(
        Duration::from_secs(5),
        search(&mut client, "Google", Some(Duration::from_millis(300))),
    )
    .await
    .unwrap_or_else(|_| {
        call.fail(
            "an answer within seconds of the 300 ms deadline",
            "no answer within 5 s: the minute-long lookup was not cut short",
        )
    });
    call.expect(
        outcome.ids.is_empty(),
        "no orders, then DEADLINE_EXCEEDED during the first lookup",
        format_args!("{}", outcome.describe()),
    );
    outcome.expect_end(&call, Code::DeadlineExceeded);
    server.stop().await.expect("the server stops");
}
