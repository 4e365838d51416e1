//! The four patterns over real loopback sockets, with their edges.

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::{CombinedShipment, Order};
use ch03_patterns::OrderStore;
use ch03_patterns::client::{
    Client, FLOW_TIMEOUT, book_flow, book_updates, order_101, process_orders, search_orders,
    update_orders,
};
use common::deadline::Deadline;
use common::local::LocalServer;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Code, Streaming};

type Server = LocalServer<tonic::transport::Error>;

async fn start() -> (Server, Client) {
    let server = LocalServer::start(|listener, shutdown| {
        ch03_patterns::serve(listener, OrderStore::book(), shutdown.wait())
    })
    .await
    .expect("bind a loopback port");
    let client = OrderManagementClient::new(server.channel());
    (server, client)
}

fn deadline() -> Deadline {
    Deadline::after(FLOW_TIMEOUT)
}

fn book_order(id: &str) -> Order {
    ch03_patterns::store::book_order(id).expect("a book order")
}

/// Shipments as (shipment id, order ids), which is what the assertions care about.
fn summary(shipments: &[CombinedShipment]) -> Vec<(String, Vec<String>)> {
    shipments
        .iter()
        .map(|shipment| {
            let ids = shipment
                .orders_list
                .iter()
                .map(|order| order.id.clone())
                .collect();
            (shipment.id.clone(), ids)
        })
        .collect()
}

fn shipment(destination: &str, ids: &[&str]) -> (String, Vec<String>) {
    (
        format!("cmb - {destination}"),
        ids.iter().map(|id| (*id).to_owned()).collect(),
    )
}

// ---- Simple RPC -----------------------------------------------------------------------------

#[tokio::test]
async fn add_then_get_an_order() {
    let (server, mut client) = start().await;

    let reply = client
        .add_order(order_101())
        .await
        .expect("add")
        .into_inner();
    assert_eq!(reply, "Order Added: 101");
    let order = client
        .get_order("101".to_owned())
        .await
        .expect("get")
        .into_inner();
    assert_eq!(order, order_101());

    let preloaded = client
        .get_order("106".to_owned())
        .await
        .expect("get")
        .into_inner();
    assert_eq!(preloaded, book_order("106"));
    assert_eq!(preloaded.price, 300.00, "chapter 3's value for order 106");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn unknown_order_is_not_found_and_named() {
    let (server, mut client) = start().await;
    let status = client
        .get_order("999".to_owned())
        .await
        .expect_err("no order 999");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(status.message(), "Order does not exist: 999");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn an_order_without_id_is_an_invalid_argument() {
    let (server, mut client) = start().await;
    let status = client
        .add_order(Order::default())
        .await
        .expect_err("an order needs an id");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(status.message(), "Order id is empty");
    server.stop().await.expect("clean stop");
}

// ---- Server streaming -----------------------------------------------------------------------

#[tokio::test]
async fn search_google_streams_orders_102_and_104_in_order() {
    let (server, mut client) = start().await;
    let found = search_orders(&mut client, &deadline(), "Google")
        .await
        .expect("search");
    assert_eq!(found, [book_order("102"), book_order("104")]);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_search_without_matches_is_an_empty_stream() {
    let (server, mut client) = start().await;
    let found = search_orders(&mut client, &deadline(), "Nokia")
        .await
        .expect("search");
    assert!(found.is_empty());
    server.stop().await.expect("clean stop");
}

// ---- Client streaming -----------------------------------------------------------------------

#[tokio::test]
async fn update_orders_then_get_shows_the_new_values() {
    let (server, mut client) = start().await;
    let reply = update_orders(&mut client, &deadline(), book_updates())
        .await
        .expect("update");
    assert_eq!(reply, "Orders processed Updated Order IDs : 102, 103, 104");

    for update in book_updates() {
        let order = client
            .get_order(update.id.clone())
            .await
            .expect("get")
            .into_inner();
        assert_eq!(order, update);
    }
    let prices: Vec<f32> = book_updates().iter().map(|order| order.price).collect();
    assert_eq!(prices, [1100.00, 2800.00, 2200.00]);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn an_empty_client_stream_updates_nothing() {
    let (server, mut client) = start().await;
    let reply = update_orders(&mut client, &deadline(), Vec::new())
        .await
        .expect("update");
    assert_eq!(reply, "Orders processed Updated Order IDs : ");
    let order = client
        .get_order("102".to_owned())
        .await
        .expect("get")
        .into_inner();
    assert_eq!(order, book_order("102"));
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn an_update_without_id_is_refused_naming_what_was_updated() {
    let (server, mut client) = start().await;
    let mut orders = book_updates();
    orders.insert(1, Order::default());
    let status = update_orders(&mut client, &deadline(), orders)
        .await
        .expect_err("an order needs an id");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "Order id is empty; updated before it: [102]"
    );
    server.stop().await.expect("clean stop");
}

// ---- Bidirectional streaming ----------------------------------------------------------------

/// A `processOrders` call driven by hand: ids go in one at a time, shipments are read when
/// the test says.
struct Processing {
    ids: mpsc::Sender<String>,
    shipments: Streaming<CombinedShipment>,
}

impl Processing {
    async fn start(client: &mut Client) -> Self {
        let (ids, outgoing) = mpsc::channel(16);
        let shipments = client
            .process_orders(ReceiverStream::new(outgoing))
            .await
            .expect("call accepted")
            .into_inner();
        Self { ids, shipments }
    }

    async fn send(&self, ids: &[&str]) {
        for id in ids {
            self.ids
                .send((*id).to_owned())
                .await
                .expect("call still open");
        }
    }

    async fn receive(&mut self, count: usize) -> Vec<CombinedShipment> {
        let mut received = Vec::new();
        for _ in 0..count {
            let shipment = self
                .shipments
                .message()
                .await
                .expect("a shipment, not an error");
            received.push(shipment.expect("a shipment, not the end of the stream"));
        }
        received
    }

    /// Half-closes and reads everything until the server ends the call.
    async fn finish(mut self) -> Result<Vec<CombinedShipment>, tonic::Status> {
        drop(self.ids);
        let mut received = Vec::new();
        while let Some(shipment) = self.shipments.message().await? {
            received.push(shipment);
        }
        Ok(received)
    }
}

#[tokio::test]
async fn shipments_arrive_every_three_orders_while_the_client_is_still_sending() {
    let (server, mut client) = start().await;
    client
        .add_order(order_101())
        .await
        .expect("add 101, as the book's flow does first");
    let mut processing = Processing::start(&mut client).await;

    processing.send(&["102", "103", "104"]).await;
    // Order 101 has not been sent yet, and the first batch is already here.
    let first_batch = processing.receive(2).await;
    assert_eq!(
        summary(&first_batch),
        [
            shipment("Mountain View, CA", &["102", "104"]),
            shipment("San Jose, CA", &["103"]),
        ]
    );
    assert!(
        first_batch
            .iter()
            .all(|shipment| shipment.status == "Processed!")
    );
    assert_eq!(
        first_batch[0].orders_list[0],
        book_order("102"),
        "whole orders are shipped"
    );

    processing.send(&["101"]).await;
    let at_end = processing.finish().await.expect("a clean end");
    assert_eq!(summary(&at_end), [shipment("San Jose, CA", &["101"])]);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn every_batch_is_exactly_three_orders() {
    let (server, mut client) = start().await;
    let mut processing = Processing::start(&mut client).await;

    processing.send(&["102", "103", "104"]).await;
    assert_eq!(processing.receive(2).await.len(), 2);
    // The book's Go server would wait for a 4th order here; the 6th completes our batch.
    processing.send(&["105", "106", "102"]).await;
    assert_eq!(
        summary(&processing.receive(2).await),
        [
            shipment("San Jose, CA", &["105"]),
            shipment("Mountain View, CA", &["106", "102"]),
        ]
    );
    processing.send(&["103"]).await;
    let at_end = processing.finish().await.expect("a clean end");
    assert_eq!(summary(&at_end), [shipment("San Jose, CA", &["103"])]);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn an_unknown_id_ships_what_was_gathered_then_ends_with_not_found() {
    let (server, mut client) = start().await;
    let mut processing = Processing::start(&mut client).await;

    processing.send(&["102", "999", "103"]).await;
    assert_eq!(
        summary(&processing.receive(1).await),
        [shipment("Mountain View, CA", &["102"])]
    );
    let status = processing
        .finish()
        .await
        .expect_err("order 999 does not exist");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(status.message(), "Order does not exist: 999");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn an_empty_bidirectional_call_ends_cleanly_with_no_shipment() {
    let (server, mut client) = start().await;
    let processing = Processing::start(&mut client).await;
    assert!(processing.finish().await.expect("a clean end").is_empty());
    server.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_streaming_at_once_get_their_own_batches() {
    let (server, mut client) = start().await;
    let mut other_client = OrderManagementClient::new(server.channel());
    let mut first = Processing::start(&mut client).await;
    let mut second = Processing::start(&mut other_client).await;

    first.send(&["102", "103"]).await;
    second.send(&["104", "105", "106"]).await;
    // The second call's batch is complete; the first's two orders are not shipped with it.
    assert_eq!(
        summary(&second.receive(2).await),
        [
            shipment("Mountain View, CA", &["104", "106"]),
            shipment("San Jose, CA", &["105"]),
        ]
    );
    first.send(&["104"]).await;
    assert_eq!(
        summary(&first.receive(2).await),
        [
            shipment("Mountain View, CA", &["102", "104"]),
            shipment("San Jose, CA", &["103"]),
        ]
    );

    // Meanwhile the unary and streaming calls of other clients go on.
    let found = search_orders(&mut other_client, &deadline(), "Google")
        .await
        .expect("search");
    assert_eq!(found.len(), 2);

    assert!(first.finish().await.expect("a clean end").is_empty());
    assert!(second.finish().await.expect("a clean end").is_empty());
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn process_orders_reports_the_first_batch_apart_from_the_end() {
    let (server, mut client) = start().await;
    client.add_order(order_101()).await.expect("add 101");
    let processed = process_orders(&mut client, &deadline(), &["102", "103", "104"], &["101"])
        .await
        .expect("process");
    assert_eq!(
        summary(&processed.while_sending),
        [
            shipment("Mountain View, CA", &["102", "104"]),
            shipment("San Jose, CA", &["103"]),
        ]
    );
    assert_eq!(
        summary(&processed.at_end),
        [shipment("San Jose, CA", &["101"])]
    );

    let error = process_orders(&mut client, &deadline(), &["102", "103", "104"], &["999"])
        .await
        .expect_err("999 is unknown");
    assert_eq!(error.code(), Code::NotFound);
    server.stop().await.expect("clean stop");
}

// ---- The whole flow -------------------------------------------------------------------------

/// The lines the book's client flow prints against a fresh server.
pub const BOOK_FLOW: &[&str] = &[
    "AddOrder Response -> Order Added: 101",
    r#"GetOrder Response -> : id:"106" items:"Amazon Echo" items:"Apple iPhone XS" price:300 destination:"Mountain View, CA""#,
    r#"Search Result : id:"102" items:"Google Pixel 3A" items:"Mac Book Pro" price:1800 destination:"Mountain View, CA""#,
    r#"Search Result : id:"104" items:"Google Home Mini" items:"Google Nest Hub" price:400 destination:"Mountain View, CA""#,
    "EOF",
    "Update Orders Res : Orders processed Updated Order IDs : 102, 103, 104",
    "Combined shipment : cmb - Mountain View, CA -> [102, 104]",
    "Combined shipment : cmb - San Jose, CA -> [103]",
    "Combined shipment : cmb - San Jose, CA -> [101]",
];

#[tokio::test]
async fn the_book_flow_prints_the_books_results() {
    let (server, mut client) = start().await;
    let mut lines = Vec::new();
    book_flow(&mut client, |line| lines.push(line))
        .await
        .expect("the flow succeeds");
    assert_eq!(lines, BOOK_FLOW);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_client_binary_prints_the_books_results() {
    let (server, _) = start().await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_ch03-client"))
        .args(["--addr", &server.addr().to_string()])
        .output()
        .await
        .expect("run ch03-client");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    assert_eq!(stdout.lines().collect::<Vec<_>>(), BOOK_FLOW);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_client_binary_reports_a_failed_call_and_exits_non_zero() {
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("local addr")
    };
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_ch03-client"))
        .args(["--addr", &addr.to_string()])
        .output()
        .await
        .expect("run ch03-client");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Could not add order: rpc error: code = Unavailable"),
        "{stderr}"
    );
}
