//! Retries and hedging, counted on the server: how many attempts each call made, which were
//! cancelled, and what the client binary prints.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use book_proto::echo::EchoRequest;
use book_proto::echo::echo_client::EchoClient;
use ch05_advanced::retry::policy::{self, Report};
use ch05_advanced::retry::{
    Backend, HEDGED_MESSAGE, HedgingPolicy, MESSAGE, RetryPolicy, unary_echo_hedged,
    unary_echo_with_retry,
};
use common::deadline::Deadline;
use common::local::LocalServer;
use common::log_capture::CapturedLog;
use tokio::time::Instant;
use tonic::Code;
use tower::util::rng::Rng;

type Server = LocalServer<std::io::Error>;

async fn start(backend: &Backend) -> Server {
    let backend = backend.clone();
    LocalServer::start(|listener, shutdown| {
        ch05_advanced::retry::serve(listener, backend, shutdown.wait())
    })
    .await
    .expect("bind a loopback port")
}

/// A policy whose waits are short, so the tests that are not about them run fast.
fn quick() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(10), 2.0)
}

/// The "random" numbers a test chooses, in turn.
#[derive(Clone)]
struct Sequence {
    values: Vec<f64>,
    next: usize,
}

impl Sequence {
    fn of(values: &[f64]) -> Self {
        Self {
            values: values.to_vec(),
            next: 0,
        }
    }
}

impl Rng for Sequence {
    fn next_u64(&mut self) -> u64 {
        unreachable!("the policy asks for floats")
    }

    fn next_f64(&mut self) -> f64 {
        let value = self.values[self.next % self.values.len()];
        self.next += 1;
        value
    }
}

/// A report that keeps the lines.
fn collect() -> (Report, Arc<Mutex<Vec<String>>>) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let report: Report = Arc::new(move |line| sink.lock().expect("not poisoned").push(line));
    (report, lines)
}

fn lines(collected: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    collected.lock().expect("not poisoned").clone()
}

/// `UnaryEcho` of `message` under `policy`, with the jitter drawn from `rng`.
async fn echo_with(
    server: &Server,
    policy: &RetryPolicy,
    rng: Sequence,
    deadline: Duration,
    message: &str,
    report: Report,
) -> Result<String, tonic::Status> {
    let client = EchoClient::new(server.channel());
    let request = EchoRequest {
        message: message.to_owned(),
    };
    policy::call(
        policy.retrying(rng, report),
        Deadline::after(deadline),
        request,
        move |request| {
            let mut client = client.clone();
            async move { client.unary_echo(request).await }
        },
    )
    .await
    .map(|reply| reply.into_inner().message)
}

#[tokio::test]
async fn a_call_is_retried_until_the_server_answers() {
    let backend = Backend::failing_first(3);
    let server = start(&backend).await;
    let policy = quick();
    let (report, collected) = collect();

    let reply = echo_with(
        &server,
        &policy,
        Sequence::of(&[0.25, 0.5, 0.75]),
        Duration::from_secs(5),
        MESSAGE,
        report,
    )
    .await
    .expect("the fourth attempt succeeds");

    assert_eq!(reply, format!("{MESSAGE} (from :{})", server.addr().port()));
    assert_eq!(backend.counts().calls(), 4, "3 failures and 1 answer");
    let failure = "rpc error: code = Unavailable desc = maybeFailRequest: failing it";
    assert_eq!(
        lines(&collected),
        [
            format!(
                "attempt 1: {failure}; retrying in {} ms",
                policy.backoff(1, 0.25).as_millis()
            ),
            format!(
                "attempt 2: {failure}; retrying in {} ms",
                policy.backoff(2, 0.5).as_millis()
            ),
            format!(
                "attempt 3: {failure}; retrying in {} ms",
                policy.backoff(3, 0.75).as_millis()
            ),
            "attempt 4: OK".to_owned(),
        ]
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_code_that_is_not_retryable_is_not_retried() {
    let backend = Backend::failing_first(3);
    let server = start(&backend).await;
    let (report, collected) = collect();

    let status = echo_with(
        &server,
        &quick(),
        Sequence::of(&[0.5]),
        Duration::from_secs(5),
        "",
        report,
    )
    .await
    .expect_err("an empty message is refused");

    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(backend.counts().calls(), 1);
    assert_eq!(
        lines(&collected),
        [
            "attempt 1: rpc error: code = InvalidArgument desc = the message is empty; giving up: \
          INVALID_ARGUMENT is not retryable"
        ]
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_call_makes_at_most_max_attempts_and_returns_the_last_status() {
    let backend = Backend::failing_first(u64::MAX);
    let server = start(&backend).await;
    let (report, collected) = collect();

    let status = echo_with(
        &server,
        &quick().with_max_attempts(3),
        Sequence::of(&[0.5]),
        Duration::from_secs(5),
        MESSAGE,
        report,
    )
    .await
    .expect_err("the server never answers");

    assert_eq!(status.code(), Code::Unavailable);
    assert_eq!(status.message(), "maybeFailRequest: failing it");
    assert_eq!(backend.counts().calls(), 3);
    let last = lines(&collected).pop().expect("a line per attempt");
    assert!(
        last.ends_with("; giving up: 3 of 3 attempts made"),
        "{last}"
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn more_attempts_than_grpc_allows_count_as_five() {
    let backend = Backend::failing_first(u64::MAX);
    let server = start(&backend).await;
    let (report, _) = collect();
    let policy = quick().with_max_attempts(100);
    assert_eq!(policy.max_attempts(), 5);

    echo_with(
        &server,
        &policy,
        Sequence::of(&[0.5]),
        Duration::from_secs(5),
        MESSAGE,
        report,
    )
    .await
    .expect_err("the server never answers");
    assert_eq!(backend.counts().calls(), 5);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_deadline_bounds_all_attempts_and_waits_together() {
    let backend = Backend::failing_first(u64::MAX);
    let server = start(&backend).await;
    let (report, _) = collect();
    // Waits of 198 ms, then 396 ms: the deadline passes during the second wait.
    let policy = RetryPolicy::default().with_backoff(
        Duration::from_millis(200),
        Duration::from_secs(2),
        2.0,
    );
    let deadline = Duration::from_millis(400);

    let started = Instant::now();
    let status = echo_with(
        &server,
        &policy,
        Sequence::of(&[0.99]),
        deadline,
        MESSAGE,
        report,
    )
    .await
    .expect_err("the server never answers");
    let took = started.elapsed();

    assert_eq!(status.code(), Code::DeadlineExceeded);
    assert_eq!(
        backend.counts().calls(),
        2,
        "fewer than the 4 attempts allowed"
    );
    assert!(took >= deadline, "{took:?}");
    assert!(
        took < deadline + Duration::from_millis(300),
        "ended at the deadline: {took:?}"
    );
    server.stop().await.expect("clean stop");
}

#[test]
fn the_backoff_grows_exponentially_up_to_its_maximum() {
    let policy = RetryPolicy::default().with_backoff(
        Duration::from_millis(100),
        Duration::from_millis(1000),
        2.0,
    );
    let ceilings: Vec<Duration> = (1..=6)
        .map(|retry| policy.backoff(retry, 0.5) * 2)
        .collect();
    assert_eq!(
        ceilings,
        [100, 200, 400, 800, 1000, 1000].map(Duration::from_millis)
    );
}

#[test]
fn the_backoff_is_jittered_over_the_whole_window() {
    let policy = RetryPolicy::default().with_backoff(
        Duration::from_millis(100),
        Duration::from_millis(1000),
        2.0,
    );
    assert_eq!(policy.backoff(3, 0.0), Duration::ZERO);
    assert_eq!(policy.backoff(3, 0.25), Duration::from_millis(100));
    assert!(policy.backoff(3, 0.999_999) < Duration::from_millis(400));

    // Two callers with different random draws wait different times before the same retry.
    let waits: Vec<Duration> = [0.1, 0.7]
        .iter()
        .map(|random| policy.backoff(2, *random))
        .collect();
    assert_ne!(waits[0], waits[1]);
    // Nonsense numbers cannot make a wait longer than the maximum.
    let odd = RetryPolicy::default().with_backoff(
        Duration::from_secs(1),
        Duration::from_secs(2),
        f64::NAN,
    );
    assert_eq!(odd.backoff(40, 0.5), Duration::from_secs(1));
    // The first wait never uses the multiplier; a random number out of range counts as 1.
    assert_eq!(odd.backoff(1, f64::INFINITY), Duration::from_secs(1));
}

#[test]
fn the_policy_prints_as_grpc_gos_service_config() {
    assert_eq!(
        RetryPolicy::default().to_string(),
        r#"{"maxAttempts":4,"initialBackoff":"0.05s","maxBackoff":"0.5s","backoffMultiplier":2,"retryableStatusCodes":["UNAVAILABLE"]}"#
    );
    assert_eq!(
        HedgingPolicy::default().to_string(),
        r#"{"maxAttempts":2,"hedgingDelay":"0.1s","nonFatalStatusCodes":["UNAVAILABLE"]}"#
    );
}

#[tokio::test]
async fn a_slow_backend_is_hedged_and_the_losing_call_is_cancelled() {
    let (log, _guard) = CapturedLog::install();
    let slow = Backend::default().answering_after(Duration::from_secs(30));
    let fast = Backend::default();
    let (a, b) = (start(&slow).await, start(&fast).await);
    let (report, collected) = collect();
    let policy = HedgingPolicy::default().with_delay(Duration::from_millis(50));

    let reply = unary_echo_hedged(
        ("A", a.channel()),
        ("B", b.channel()),
        &policy,
        Deadline::after(Duration::from_secs(5)),
        HEDGED_MESSAGE,
        &report,
    )
    .await
    .expect("B answers");

    assert_eq!(
        reply,
        format!("{HEDGED_MESSAGE} (from :{})", b.addr().port())
    );
    assert_eq!(
        lines(&collected),
        [
            "no answer from A after 50 ms; sending to B too",
            "B answered first; cancelling A"
        ]
    );
    assert_eq!((slow.counts().calls(), fast.counts().calls()), (1, 1));
    // A's handler sees its future dropped once the reset reaches it.
    log.line_containing(&format!(
        "request cancelled count: 1 on :{} (the client went away)",
        a.addr().port()
    ))
    .await;
    assert_eq!(slow.counts().cancelled(), 1);
    a.stop().await.expect("clean stop");
    b.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_fast_backend_is_never_hedged() {
    let (first, second) = (Backend::default(), Backend::default());
    let (a, b) = (start(&first).await, start(&second).await);
    let (report, collected) = collect();

    let reply = unary_echo_hedged(
        ("A", a.channel()),
        ("B", b.channel()),
        &HedgingPolicy::default().with_delay(Duration::from_secs(2)),
        Deadline::after(Duration::from_secs(5)),
        HEDGED_MESSAGE,
        &report,
    )
    .await
    .expect("A answers");

    assert_eq!(
        reply,
        format!("{HEDGED_MESSAGE} (from :{})", a.addr().port())
    );
    assert_eq!(first.counts().calls(), 1);
    assert_eq!(second.counts().calls(), 0, "B was never called");
    assert!(lines(&collected).is_empty());
    a.stop().await.expect("clean stop");
    b.stop().await.expect("clean stop");
}

#[tokio::test]
async fn an_unavailable_backend_sends_the_hedge_at_once() {
    let (first, second) = (Backend::failing_first(1), Backend::default());
    let (a, b) = (start(&first).await, start(&second).await);
    let (report, collected) = collect();

    // With a hedging delay far past the deadline, only the shortcut can answer in time.
    let reply = unary_echo_hedged(
        ("A", a.channel()),
        ("B", b.channel()),
        &HedgingPolicy::default().with_delay(Duration::from_secs(60)),
        Deadline::after(Duration::from_secs(5)),
        HEDGED_MESSAGE,
        &report,
    )
    .await
    .expect("B answers");

    assert_eq!(
        reply,
        format!("{HEDGED_MESSAGE} (from :{})", b.addr().port())
    );
    assert_eq!(
        lines(&collected),
        [
            "A failed: rpc error: code = Unavailable desc = maybeFailRequest: failing it; sending to B at once"
        ]
    );
    a.stop().await.expect("clean stop");
    b.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_library_call_retries_with_real_jitter() {
    let backend = Backend::failing_first(2);
    let server = start(&backend).await;
    let (report, _) = collect();
    let reply = unary_echo_with_retry(
        server.channel(),
        &quick(),
        Deadline::after(Duration::from_secs(5)),
        MESSAGE,
        report,
    )
    .await
    .expect("the third attempt succeeds");
    assert!(reply.starts_with(MESSAGE), "{reply}");
    assert_eq!(backend.counts().calls(), 3);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_client_binary_prints_each_attempt_and_both_answers() {
    let primary = Backend::failing_first(3).answering_after(Duration::from_secs(1));
    let replica = Backend::default();
    let (a, b) = (start(&primary).await, start(&replica).await);
    let (a_addr, b_addr) = (a.addr().to_string(), b.addr().to_string());

    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_ch05-retry-client"))
        .args([
            "--addr",
            &a_addr,
            "--replica-addr",
            &b_addr,
            "--deadline-ms",
            "5000",
        ])
        .output()
        .await
        .expect("run the client");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let printed: Vec<&str> = stdout.lines().collect();

    assert_eq!(printed.len(), 10, "{stdout}");
    assert_eq!(
        printed[0],
        format!("retry policy: {}", RetryPolicy::default())
    );
    for (attempt, line) in printed[1..4].iter().enumerate() {
        let prefix = format!(
            "attempt {}: rpc error: code = Unavailable desc = maybeFailRequest: failing it; retrying in ",
            attempt + 1
        );
        assert!(line.starts_with(&prefix) && line.ends_with(" ms"), "{line}");
    }
    assert_eq!(printed[4], "attempt 4: OK");
    assert_eq!(
        printed[5],
        format!(
            "UnaryEcho reply: message:\"{MESSAGE} (from :{})\"",
            a.addr().port()
        )
    );
    assert_eq!(
        printed[6],
        format!("hedging policy: {}", HedgingPolicy::default())
    );
    assert_eq!(
        printed[7..],
        [
            format!("no answer from {a_addr} after 100 ms; sending to {b_addr} too"),
            format!("{b_addr} answered first; cancelling {a_addr}"),
            format!(
                "UnaryEcho reply: message:\"{HEDGED_MESSAGE} (from :{})\"",
                b.addr().port()
            ),
        ]
    );
    assert_eq!((primary.counts().calls(), replica.counts().calls()), (5, 1));
    a.stop().await.expect("clean stop");
    b.stop().await.expect("clean stop");
}
