//! Cancellation: the client cancels a bidirectional call midway; both sides notice.

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::OrderStore;
use ch05_advanced::cancellation::{Cancellable, process_then_cancel};
use common::local::LocalServer;
use common::log_capture::CapturedLog;
use tonic::Code;

async fn start() -> LocalServer<tonic::transport::Error> {
    LocalServer::start(|listener, shutdown| {
        ch03_patterns::serve(listener, OrderStore::book(), shutdown.wait())
    })
    .await
    .expect("bind a loopback port")
}

#[tokio::test]
async fn a_cancelled_stream_is_cancelled_on_both_sides() {
    let (log, _guard) = CapturedLog::install();
    let server = start().await;
    let mut client = OrderManagementClient::new(Cancellable::new(server.channel()));

    let cancelled = process_then_cancel(&mut client, &["102", "103", "104"], "105")
        .await
        .expect("the call starts");
    let ids: Vec<Vec<&str>> = cancelled
        .shipments
        .iter()
        .map(|shipment| shipment.orders_list.iter().map(|o| o.id.as_str()).collect())
        .collect();
    assert_eq!(ids, [vec!["102", "104"], vec!["103"]]);
    assert_eq!(cancelled.status.code(), Code::Cancelled);
    assert!(!cancelled.late_send_accepted, "the call is gone");

    log.line_containing("processOrders stopped after 3 orders: the client went away")
        .await;
    assert!(
        !log.contents().contains("Reading Proc order : 105"),
        "no further work on the cancelled stream"
    );

    // The server goes on serving.
    let order = client
        .get_order("105".to_owned())
        .await
        .expect("get")
        .into_inner();
    assert_eq!(order.id, "105");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_client_binary_prints_the_shipments_and_the_cancel() {
    let server = start().await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_ch05-cancellation-client"))
        .args(["--addr", &server.addr().to_string()])
        .output()
        .await
        .expect("run the client");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Combined shipment : cmb - Mountain View, CA -> [102, 104]\n\
         Combined shipment : cmb - San Jose, CA -> [103]\n\
         RPC Status : rpc error: code = Cancelled desc = context canceled\n\
         Order 101 could not be sent: the call was cancelled\n"
    );
    server.stop().await.expect("clean stop");
}
