//! Draining: a backend that stops gracefully finishes the calls it began, the client's next
//! calls go to the other backend, and no call is lost; a server with a maximum connection age
//! makes its clients reconnect, again without a failed call.

use std::collections::BTreeMap;
use std::time::Duration;

use ch05_advanced::drain::{self, Backend, Outcome, Stats, Summary};
use common::local::LocalServer;
use test_support::process::ServerProcess;
use tokio::process::Command;

type Server = LocalServer<anyhow::Error>;

async fn start(backend: &Backend, max_connection_age: Option<Duration>) -> Server {
    let backend = backend.clone();
    LocalServer::start(move |listener, shutdown| {
        drain::serve(listener, backend, max_connection_age, shutdown.wait())
    })
    .await
    .expect("bind a loopback port")
}

fn addrs(servers: &[&Server]) -> Vec<String> {
    servers
        .iter()
        .map(|server| server.addr().to_string())
        .collect()
}

fn answered(counts: &[(&str, usize)]) -> BTreeMap<String, usize> {
    counts
        .iter()
        .map(|(name, calls)| ((*name).to_owned(), *calls))
        .collect()
}

/// Every refusal a call got past was one of the three ways a call finds its backend gone
/// before it starts there: a closed port, a stream refused by GOAWAY, a connection that
/// closed before the call was sent.
fn assert_refusals_never_started(outcomes: &[String], summary: &Summary) {
    for line in outcomes {
        for refusal in line.split("(refused first, never started: ").skip(1) {
            assert!(
                refusal.starts_with("tcp connect error: Connection refused")
                    || refusal.starts_with("the server is shutting down and did not take the call")
                    || refusal.starts_with("the connection closed before the call was sent"),
                "{line}"
            );
        }
    }
    assert_eq!(
        outcomes
            .iter()
            .map(|line| line.matches("(refused first").count())
            .sum::<usize>(),
        summary.refused,
        "{outcomes:#?}"
    );
}

#[tokio::test]
async fn a_draining_backend_finishes_its_calls_in_flight_and_the_next_ones_go_to_the_other() {
    const IN_FLIGHT: usize = 4;
    const CALLS: usize = 40;
    let a = Backend::new("A", Duration::from_millis(150));
    let b = Backend::new("B", Duration::from_millis(20));
    let (server_a, server_b) = (start(&a, None).await, start(&b, None).await);
    let addrs = addrs(&[&server_a, &server_b]);
    let names = drain::backend_names(&addrs);
    let balancer = drain::balancer(&addrs).expect("valid addresses");

    let mut outcomes = Vec::new();
    let calls = drain::run_calls(&balancer, &names, CALLS, IN_FLIGHT, |outcome: &Outcome| {
        outcomes.push(outcome.to_string());
    });
    let drain_a = async {
        // A has answered some calls and is working on a full set of them: drain it now.
        let at_drain = *a
            .stats()
            .wait_for(|stats| stats.finished >= 2 * IN_FLIGHT && stats.in_flight() == IN_FLIGHT)
            .await
            .expect("A counts its calls");
        server_a.stop().await.expect("A drains cleanly");
        at_drain
    };
    let (summary, at_drain) = tokio::join!(calls, drain_a);

    // No call was lost: every one was answered, by A or by B.
    assert_eq!(summary.failed, 0, "{outcomes:#?}");
    let on_a = summary.answered.get("A").copied().unwrap_or_default();
    let on_b = summary.answered.get("B").copied().unwrap_or_default();
    assert_eq!(on_a + on_b, CALLS, "{summary:?}");
    // The calls A was working on when it began to drain finished on A, and A began no call
    // it did not answer: each attempt refused on the way had never started there.
    let after = *a.stats().borrow();
    assert_eq!(after.in_flight(), 0, "A cut a call: {after:?}");
    assert!(after.finished >= at_drain.started, "{after:?} {at_drain:?}");
    assert_eq!(after.finished, on_a, "{after:?} {summary:?}");
    assert_refusals_never_started(&outcomes, &summary);
    // The rest went to B, and no call was made twice: the servers began exactly one call
    // for each call the client made.
    let on_b_server = *b.stats().borrow();
    assert_eq!(on_b_server.finished, on_b);
    assert_eq!(
        after.started + on_b_server.started,
        CALLS,
        "{after:?} {on_b_server:?}"
    );

    // With A gone, every later call goes to B.
    let later = drain::run_calls(&balancer, &names, 10, IN_FLIGHT, |_| {}).await;
    assert_eq!(later.answered, answered(&[("B", 10)]), "{later:?}");
    assert_eq!(later.failed, 0);
    server_b.stop().await.expect("B stops cleanly");
}

#[tokio::test]
async fn a_maximum_connection_age_replaces_the_connection_without_a_failed_call() {
    let a = Backend::new("A", Duration::from_millis(20));
    let server = start(&a, Some(Duration::from_millis(300))).await;
    let addrs = addrs(&[&server]);
    let names = drain::backend_names(&addrs);
    let balancer = drain::balancer(&addrs).expect("valid addresses");

    let mut total = Summary::default();
    let mut outcomes = Vec::new();
    for _ in 0..100 {
        let summary = drain::run_calls(&balancer, &names, 10, 2, |outcome: &Outcome| {
            outcomes.push(outcome.to_string());
        })
        .await;
        for (backend, calls) in summary.answered {
            *total.answered.entry(backend).or_default() += calls;
        }
        total.failed += summary.failed;
        total.refused += summary.refused;
        if a.stats().borrow().connections >= 3 {
            break;
        }
    }

    let stats: Stats = *a.stats().borrow();
    assert!(stats.connections >= 3, "{stats:?}");
    assert_eq!(total.failed, 0, "{outcomes:#?}");
    assert_eq!(
        total.answered.get("A").copied(),
        Some(stats.finished),
        "{stats:?}"
    );
    assert_eq!(stats.in_flight(), 0);
    assert_refusals_never_started(&outcomes, &total);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_binaries_show_a_drain_without_a_lost_call() {
    let mut server = ServerProcess::spawn(
        env!("CARGO_BIN_EXE_ch05-drain-server"),
        [
            "--addr",
            "127.0.0.1:0",
            "--work-ms",
            "100",
            "--drain-after-ms",
            "500",
        ],
    )
    .await;
    let a = server.addr().to_owned();
    let b = loop {
        let line = server.next_line().await;
        if let Some((_, addr)) = line.split_once("Server started, listening on ") {
            break addr.to_owned();
        }
    };

    let client = Command::new(env!("CARGO_BIN_EXE_ch05-drain-client"))
        .args([
            "--addr",
            &a,
            "--addr",
            &b,
            "--calls",
            "16",
            "--in-flight",
            "2",
        ])
        .output()
        .await
        .expect("run the client");
    let stdout = String::from_utf8_lossy(&client.stdout);
    assert!(client.status.success(), "{client:?}");

    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 17, "{stdout}");
    let calls = &lines[..16];
    let on_a = calls.iter().filter(|line| line.contains(" -> A")).count();
    let on_b = calls.iter().filter(|line| line.contains(" -> B")).count();
    assert!(on_a >= 2 && on_b >= 2 && on_a + on_b == 16, "{stdout}");
    assert!(
        calls[0].starts_with("call  ") && calls[0].ends_with(" -> A"),
        "{stdout}"
    );
    let summary = lines[16];
    assert!(
        summary.starts_with(&format!(
            "answered: {on_a} by A, {on_b} by B; failed: 0; refused before they started and made again: "
        )),
        "{stdout}"
    );

    let mut log = Vec::new();
    loop {
        let line = server.next_line().await;
        let drained = line.contains("A: drained and stopped: ");
        log.push(line);
        if drained {
            break;
        }
    }
    let log = log.join("\n");
    assert!(
        log.contains("A: draining: GOAWAY sent; calls in flight: "),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "A: drained and stopped: {on_a} calls answered, 0 cut"
        )),
        "{log}"
    );
    assert!(server.terminate().await.success());
}
