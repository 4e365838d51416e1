//! Checks for exercise ch03/04, 배치로 묶어 배송하기 (Shipping orders in batches).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch03_process_orders_batches -- --include-ignored`.
//!
//! The store is the book's: orders 102 to 106, and 101, which the book's client adds
//! before it calls `processOrders`. A check that waits for shipments before the client
//! half-closes gives up after a few seconds, so a server that answers only at the end fails
//! instead of hanging.

use std::num::NonZeroUsize;
use std::time::Duration;

use book_proto::ecommerce::CombinedShipment;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::OrderStore;
use ch03_patterns::client::order_101;
use ch03_patterns::store::book_order;
use common::channel::Channel;
use exercises::ch03::process_orders_batches::service;
use exercises::expect::{Sent, describe_status, sent};
use exercises::harness::{self, LocalServer};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Code, Status, Streaming};

/// How long a check waits for a shipment the server should send while the client is still
/// sending: far longer than it takes, and short enough to fail rather than hang.
const PATIENCE: Duration = Duration::from_secs(5);

async fn start(
    batch_size: usize,
) -> (
    LocalServer<tonic::transport::Error>,
    OrderManagementClient<Channel>,
) {
    let store = OrderStore::book();
    store.upsert(order_101());
    let batch_size = NonZeroUsize::new(batch_size).expect("the checks use batches of 1 or more");
    let server = harness::start(tonic::service::Routes::new(OrderManagementServer::new(
        service(store, batch_size),
    )))
    .await
    .expect("bind a loopback port");
    let client = OrderManagementClient::new(server.channel());
    (server, client)
}

/// The shipment for `destination` with the book's orders `ids`, as the server should send it.
fn shipment(destination: &str, ids: &[&str]) -> CombinedShipment {
    CombinedShipment {
        id: format!("cmb - {destination}"),
        status: "Processed!".into(),
        orders_list: ids
            .iter()
            .map(|id| {
                if *id == "101" {
                    order_101()
                } else {
                    book_order(id).expect("one of the book's orders")
                }
            })
            .collect(),
    }
}

const MOUNTAIN_VIEW: &str = "Mountain View, CA";
const SAN_JOSE: &str = "San Jose, CA";

/// Shipments as a student reads them: `cmb - San Jose, CA [103]`.
fn summary(shipments: &[CombinedShipment]) -> Vec<String> {
    shipments
        .iter()
        .map(|shipment| {
            let ids: Vec<&str> = shipment
                .orders_list
                .iter()
                .map(|order| order.id.as_str())
                .collect();
            format!("{} [{}] {:?}", shipment.id, ids.join(", "), shipment.status)
        })
        .collect()
}

/// Passes when `came_back` is `expected`: first by ids and destinations, as a student reads
/// them, then in full (every order's contents).
#[track_caller]
fn expect_shipments(call: &Sent, came_back: &[CombinedShipment], expected: &[CombinedShipment]) {
    call.expect_eq(summary(came_back), summary(expected));
    call.expect_eq(came_back, expected);
}

/// One `processOrders` call in progress: the ids still to send, and the shipments.
struct Processing {
    ids: mpsc::Sender<String>,
    shipments: Streaming<CombinedShipment>,
}

impl Processing {
    /// Opens the call with `first` already sent; the client has not half-closed.
    async fn open(
        call: &Sent,
        client: &mut OrderManagementClient<Channel>,
        first: &[&str],
    ) -> Self {
        let (ids, outgoing) = mpsc::channel(16);
        for id in first {
            ids.send((*id).to_owned())
                .await
                .expect("the channel has room for every id");
        }
        let opened = tokio::time::timeout(
            PATIENCE,
            client.process_orders(ReceiverStream::new(outgoing)),
        )
        .await
        .unwrap_or_else(|_| {
            call.fail(
                "the call answered at once, while the client is still sending",
                format!("no answer within {PATIENCE:?}"),
            )
        });
        let shipments = call.expect_ok(opened).into_inner();
        Self { ids, shipments }
    }

    /// The next `count` shipments, which must come before the client sends more.
    async fn receive(&mut self, call: &Sent, count: usize) -> Vec<CombinedShipment> {
        let mut received = Vec::new();
        while received.len() < count {
            let next = tokio::time::timeout(PATIENCE, self.shipments.message()).await;
            match next {
                Ok(Ok(Some(shipment))) => received.push(shipment),
                Ok(Ok(None)) => call.fail(
                    format!("{count} shipments while the client is still sending"),
                    format!("the stream ended after {:?}", summary(&received)),
                ),
                Ok(Err(status)) => call.fail(
                    format!("{count} shipments while the client is still sending"),
                    format!(
                        "{:?}, then {}",
                        summary(&received),
                        describe_status(&status)
                    ),
                ),
                Err(_) => call.fail(
                    format!("{count} shipments while the client is still sending"),
                    format!("{:?}, then nothing within {PATIENCE:?}", summary(&received)),
                ),
            }
        }
        received
    }

    /// Sends `rest`, half-closes, and reads the stream to its end: the shipments, and how
    /// the stream ended.
    async fn finish(mut self, rest: &[&str]) -> (Vec<CombinedShipment>, Result<(), Status>) {
        for id in rest {
            // The server may have ended the call already; what it said is in the stream.
            if self.ids.send((*id).to_owned()).await.is_err() {
                break;
            }
        }
        drop(self.ids);
        let mut received = Vec::new();
        loop {
            match self.shipments.message().await {
                Ok(Some(shipment)) => received.push(shipment),
                Ok(None) => return (received, Ok(())),
                Err(status) => return (received, Err(status)),
            }
        }
    }
}

/// Sends all of `ids` and half-closes before anything comes back, then reads every
/// shipment: the shipments, and how the call ended.
async fn process_all(
    client: &mut OrderManagementClient<Channel>,
    ids: &[&str],
) -> (Vec<CombinedShipment>, Result<(), Status>) {
    let (sender, outgoing) = mpsc::channel(ids.len().max(1));
    for id in ids {
        sender
            .send((*id).to_owned())
            .await
            .expect("the channel has room for every id");
    }
    drop(sender);
    let mut received = Vec::new();
    let mut shipments = match client.process_orders(ReceiverStream::new(outgoing)).await {
        Ok(response) => response.into_inner(),
        Err(status) => return (received, Err(status)),
    };
    loop {
        match shipments.message().await {
            Ok(Some(shipment)) => received.push(shipment),
            Ok(None) => return (received, Ok(())),
            Err(status) => return (received, Err(status)),
        }
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_books_ids_ship_as_the_book_expects() {
    let (server, mut client) = start(3).await;
    let call =
        sent("processOrders with batches of 3: \"102\", \"103\", \"104\", and no half-close yet");
    let mut processing = Processing::open(&call, &mut client, &["102", "103", "104"]).await;
    let first_batch = processing.receive(&call, 2).await;
    expect_shipments(
        &call,
        &first_batch,
        &[
            shipment(MOUNTAIN_VIEW, &["102", "104"]),
            shipment(SAN_JOSE, &["103"]),
        ],
    );

    let call = sent("then \"101\" and the half-close");
    let (at_end, end) = processing.finish(&["101"]).await;
    call.expect_ok(end);
    expect_shipments(&call, &at_end, &[shipment(SAN_JOSE, &["101"])]);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn every_batch_is_exactly_the_batch_size() {
    let (server, mut client) = start(3).await;
    let ids = ["102", "103", "104", "105", "106", "102", "103"];
    let call = sent(format!(
        "processOrders with batches of 3: {ids:?}, then the half-close"
    ));
    let (shipments, end) = process_all(&mut client, &ids).await;
    call.expect_ok(end);
    expect_shipments(
        &call,
        &shipments,
        &[
            // Orders 1 to 3.
            shipment(MOUNTAIN_VIEW, &["102", "104"]),
            shipment(SAN_JOSE, &["103"]),
            // Orders 4 to 6.
            shipment(SAN_JOSE, &["105"]),
            shipment(MOUNTAIN_VIEW, &["106", "102"]),
            // Order 7, at the half-close.
            shipment(SAN_JOSE, &["103"]),
        ],
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_batch_of_one_ships_every_order_on_its_own() {
    let (server, mut client) = start(1).await;
    let call =
        sent("processOrders with batches of 1: \"102\", \"103\", \"104\", and no half-close yet");
    let mut processing = Processing::open(&call, &mut client, &["102", "103", "104"]).await;
    let shipped = processing.receive(&call, 3).await;
    expect_shipments(
        &call,
        &shipped,
        &[
            shipment(MOUNTAIN_VIEW, &["102"]),
            shipment(SAN_JOSE, &["103"]),
            shipment(MOUNTAIN_VIEW, &["104"]),
        ],
    );
    let call = sent("then the half-close, with nothing left to ship");
    let (at_end, end) = processing.finish(&[]).await;
    call.expect_ok(end);
    expect_shipments(&call, &at_end, &[]);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_half_close_ships_a_partial_batch() {
    let (server, mut client) = start(3).await;
    let call = sent("processOrders with batches of 3: \"106\", \"105\", then the half-close");
    let (shipments, end) = process_all(&mut client, &["106", "105"]).await;
    call.expect_ok(end);
    expect_shipments(
        &call,
        &shipments,
        &[
            shipment(MOUNTAIN_VIEW, &["106"]),
            shipment(SAN_JOSE, &["105"]),
        ],
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_unknown_id_ships_what_came_before_then_ends_with_not_found() {
    let (server, mut client) = start(3).await;
    let call =
        sent("processOrders with batches of 3: \"102\", \"999\", \"103\", then the half-close");
    let (shipments, end) = process_all(&mut client, &["102", "999", "103"]).await;
    let status = call.expect_code(end.map(|()| summary(&shipments)), Code::NotFound);
    call.expect(
        status.message().contains("999"),
        "a message that names the id \"999\"",
        status.message(),
    );
    expect_shipments(&call, &shipments, &[shipment(MOUNTAIN_VIEW, &["102"])]);
    server.stop().await.expect("the server stops");
}
