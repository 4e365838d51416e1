//! Deadline propagation over two hops: the backend gets less time than the client gave, stops
//! its work when that is spent, the client hears DEADLINE_EXCEEDED on time, and a call with
//! enough time succeeds through both hops.

use std::time::Duration;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::client::{FLOW_TIMEOUT, add_order, get_order, order_101};
use common::deadline::Deadline;
use common::local::LocalServer;
use common::log_capture::CapturedLog;
use test_support::process::ServerProcess;
use tokio::time::Instant;
use tonic::Code;

type Server = LocalServer<tonic::transport::Error>;

/// How much later than its budget a call may end: timer ticks and a busy machine.
const MARGIN: Duration = Duration::from_millis(300);

/// A backend working for `work` and a front forwarding to it.
async fn start(work: Duration) -> (Server, Server) {
    let backend = LocalServer::start(move |listener, shutdown| {
        ch05_advanced::propagation::serve_backend(listener, work, shutdown.wait())
    })
    .await
    .expect("bind a loopback port");
    let to_backend = ch05_advanced::propagation::connect(backend.addr())
        .await
        .expect("connect to the backend");
    let front = LocalServer::start(|listener, shutdown| {
        ch05_advanced::propagation::serve_front(listener, to_backend, shutdown.wait())
    })
    .await
    .expect("bind a loopback port");
    (front, backend)
}

/// The milliseconds in a line such as `backend: caller gave 498 ms`.
fn millis_after(line: &str, prefix: &str) -> u128 {
    line.split(prefix)
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|ms| ms.parse().ok())
        .unwrap_or_else(|| panic!("no milliseconds after {prefix:?} in {line:?}"))
}

#[tokio::test]
async fn the_budget_shrinks_hop_by_hop_and_the_backend_stops_when_it_is_spent() {
    let (log, _guard) = CapturedLog::install();
    let (front, backend) = start(Duration::from_secs(60)).await;
    let mut client = OrderManagementClient::new(front.channel());
    let budget = Duration::from_millis(500);

    let started = Instant::now();
    let status = add_order(&mut client, &Deadline::after(budget), order_101())
        .await
        .expect_err("the backend's work takes longer than the budget");
    let took = started.elapsed();
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    assert!(
        took >= budget - Duration::from_millis(10) && took <= budget + MARGIN,
        "DEADLINE_EXCEEDED after {took:?}, not about {budget:?}"
    );

    let front_got = millis_after(
        &log.line_containing("front: caller gave ").await,
        "caller gave ",
    );
    let backend_got = millis_after(
        &log.line_containing("backend: caller gave ").await,
        "caller gave ",
    );
    assert!(
        0 < backend_got && backend_got <= front_got && front_got < budget.as_millis(),
        "client {budget:?} ≥ front {front_got} ms ≥ backend {backend_got} ms > 0"
    );

    // The backend answered on its own when its budget ran out, 60 s before its work would
    // have finished: the work's future was dropped, and the order was never stored.
    let stopped = log
        .line_containing("backend: answered DeadlineExceeded after ")
        .await;
    assert!(
        millis_after(&stopped, "after ") <= backend_got + MARGIN.as_millis(),
        "the backend worked past its budget: {stopped}"
    );
    let mut backend_client = OrderManagementClient::new(backend.channel());
    let missing = get_order(&mut backend_client, &Deadline::after(FLOW_TIMEOUT), "101")
        .await
        .expect_err("the backend's work never finished");
    assert_eq!(missing.code(), Code::NotFound);

    front.stop().await.expect("clean stop");
    backend.stop().await.expect("clean stop");
}

#[tokio::test]
async fn with_enough_budget_the_call_succeeds_through_both_hops() {
    let (log, _guard) = CapturedLog::install();
    let (front, backend) = start(Duration::from_millis(20)).await;
    let mut client = OrderManagementClient::new(front.channel());

    let reply = add_order(&mut client, &Deadline::after(FLOW_TIMEOUT), order_101())
        .await
        .expect("enough time for both hops");
    assert_eq!(reply, "Order Added: 101");
    log.line_containing("backend: answered Ok after ").await;
    log.line_containing("front: answered Ok after ").await;

    // The backend did the work: the order is stored there.
    let mut backend_client = OrderManagementClient::new(backend.channel());
    let stored = get_order(&mut backend_client, &Deadline::after(FLOW_TIMEOUT), "101")
        .await
        .expect("stored by the backend");
    assert_eq!(stored, order_101());

    front.stop().await.expect("clean stop");
    backend.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_binaries_show_each_hops_budget_and_the_client_gives_up_on_time() {
    let mut server = ServerProcess::spawn(
        env!("CARGO_BIN_EXE_ch05-propagation-server"),
        ["--backend-addr", "127.0.0.1:0"],
    )
    .await;

    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_ch05-propagation-client"))
        .args(["--addr", server.addr(), "--budget-ms", "400"])
        .output()
        .await
        .expect("run the client");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(
        lines[0],
        "addOrder through the front, with a budget of 400 ms"
    );
    assert_eq!(
        lines[1],
        "Error Occured -> addOrder : , DeadlineExceeded: rpc error: code = DeadlineExceeded \
         desc = deadline exceeded"
    );
    let took = millis_after(lines[2], "after ");
    assert!((390..=400 + MARGIN.as_millis()).contains(&took), "{stdout}");

    let mut logged = Vec::new();
    while !logged
        .iter()
        .any(|line: &String| line.contains("front: answered"))
    {
        logged.push(server.next_line().await);
    }
    let hops: Vec<&str> = logged
        .iter()
        .filter_map(|line| line.split_once("INFO ").map(|(_, message)| message))
        .filter(|message| message.starts_with("front: ") || message.starts_with("backend: "))
        .collect();
    assert!(
        logged
            .iter()
            .any(|line| line.contains("backend listening on 127.0.0.1:")),
        "{logged:#?}"
    );
    assert_eq!(hops.len(), 4, "{logged:#?}");
    assert!(hops[0].starts_with("front: caller gave "), "{hops:?}");
    assert!(hops[1].starts_with("backend: caller gave "), "{hops:?}");
    assert!(
        hops[2].starts_with("backend: answered DeadlineExceeded after ")
            && hops[2].ends_with(" ms: budget spent"),
        "{hops:?}"
    );
    assert!(
        hops[3].starts_with("front: answered DeadlineExceeded after "),
        "{hops:?}"
    );
    assert!(server.terminate().await.success());
}
