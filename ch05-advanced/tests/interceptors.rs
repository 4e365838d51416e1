//! Interceptors: every call and every message is logged, on the server and on the client, in
//! the book's words.

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch05_advanced::interceptors::MessageLog;
use common::local::LocalServer;
use common::log_capture::CapturedLog;

async fn start() -> LocalServer<tonic::transport::Error> {
    LocalServer::start(|listener, shutdown| {
        ch05_advanced::interceptors::serve(listener, shutdown.wait())
    })
    .await
    .expect("bind a loopback port")
}

fn count(log: &str, text: &str) -> usize {
    log.lines().filter(|line| line.contains(text)).count()
}

#[tokio::test]
async fn unary_calls_log_the_method_the_request_and_the_response_on_both_sides() {
    let (log, _guard) = CapturedLog::install();
    let server = start().await;
    let mut client = OrderManagementClient::new(MessageLog::client(server.channel()));

    let mut printed = Vec::new();
    ch05_advanced::interceptors::book_flow(&mut client, |line| printed.push(line))
        .await
        .expect("the flow succeeds");
    assert_eq!(printed[0], "AddOrder Response -> Order Added: 101");
    assert_eq!(printed.len(), 4);

    log.line_containing(" Post Proc Message : ").await;
    let log = log.contents();
    for line in [
        "======= [Server Interceptor]  /ecommerce.OrderManagement/addOrder",
        r#" Pre Proc Message : id:"101",items:["iPhone XS","Mac Book Pro"],price:2300.0,destination:"San Jose, CA""#,
        r#" Post Proc Message : value:"Order Added: 101""#,
        "Method : /ecommerce.OrderManagement/addOrder",
        r#"INFO value:"Order Added: 101""#,
    ] {
        assert_eq!(count(&log, line), 1, "{line:?} once in:\n{log}");
    }
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn streaming_calls_log_every_message_with_its_type() {
    let (log, _guard) = CapturedLog::install();
    let server = start().await;
    let mut client = OrderManagementClient::new(MessageLog::client(server.channel()));

    let mut orders = client
        .search_orders("Google".to_owned())
        .await
        .expect("search")
        .into_inner();
    while orders.message().await.expect("an order").is_some() {}

    let ids = ["102", "103", "104"].map(str::to_owned);
    let mut shipments = client
        .process_orders(tokio_stream::iter(ids))
        .await
        .expect("process")
        .into_inner();
    while shipments.message().await.expect("a shipment").is_some() {}
    drop(shipments);
    drop(orders);

    let log = log.contents();
    let server_wrapper = "[Server Stream Interceptor Wrapper]";
    let client_wrapper = "[Client Stream Interceptor]";
    for (text, times) in [
        (
            "====== [Server Stream Interceptor]  /ecommerce.OrderManagement/searchOrders",
            1,
        ),
        (
            "======= [Client Interceptor]  /ecommerce.OrderManagement/processOrders",
            1,
        ),
        (
            &format!("{server_wrapper} Receive a message (Type: google.protobuf.StringValue)"),
            4,
        ),
        (
            &format!("{server_wrapper} Send a message (Type: ecommerce.Order)"),
            2,
        ),
        (
            &format!("{server_wrapper} Send a message (Type: ecommerce.CombinedShipment)"),
            2,
        ),
        (
            &format!("{client_wrapper} Send a message (Type: google.protobuf.StringValue)"),
            4,
        ),
        (
            &format!("{client_wrapper} Receive a message (Type: ecommerce.Order)"),
            2,
        ),
        (
            &format!("{client_wrapper} Receive a message (Type: ecommerce.CombinedShipment)"),
            2,
        ),
    ] {
        assert_eq!(
            count(&log, text),
            times,
            "{text:?} {times} times in:\n{log}"
        );
    }
    assert_eq!(count(&log, "Pre Proc Message"), 0, "streams are not unary");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_client_binary_prints_results_and_logs_its_interceptor_lines() {
    let server = start().await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_ch05-interceptors-client"))
        .args(["--addr", &server.addr().to_string()])
        .output()
        .await
        .expect("run the client");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert!(stdout.starts_with("AddOrder Response -> Order Added: 101\n"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Method : /ecommerce.OrderManagement/addOrder"),
        "{stderr}"
    );
    assert_eq!(
        count(
            &stderr,
            "[Client Stream Interceptor] Receive a message (Type: ecommerce.Order)"
        ),
        2,
        "{stderr}"
    );
    server.stop().await.expect("clean stop");
}
