//! Wait for ready: a fail-fast call to a server that is not up fails at once with
//! UNAVAILABLE; a wait-for-ready call waits for it and succeeds, or ends with DEADLINE_EXCEEDED
//! when it never comes.
//!
//! The server that is "not up yet" is a [`ClosedPort`]: the port is bound, so the test knows
//! it and nobody else can take it, but nothing listens, so connections are refused until the
//! test opens it.

use std::process::Stdio;
use std::time::Duration;

use ch05_advanced::wait_for_ready::{Backoff, ClosedPort, Dialer, Mode, unary_echo};
use common::deadline::Deadline;
use common::log_capture::CapturedLog;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tonic::Code;
use tonic::transport::Endpoint;

fn dialer(port: &ClosedPort) -> Dialer {
    let endpoint =
        Endpoint::from_shared(format!("http://{}", port.addr())).expect("a socket address URI");
    Dialer::new(endpoint, Backoff::SAMPLE)
}

/// A running echo server and the way to stop it.
struct Started {
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl Started {
    /// Opens `port` and serves chapter 5's echo backend on it.
    fn on(port: ClosedPort) -> Self {
        let listener = port.listen().expect("listen on the reserved port");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(ch05_advanced::loadbalancing::serve(listener, async {
            let _ = stopped.await;
        }));
        Self { stop, task }
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.task
            .await
            .expect("the server task ends")
            .expect("a clean stop");
    }
}

#[tokio::test]
async fn a_fail_fast_call_to_a_server_that_is_not_up_is_unavailable_at_once() {
    let port = ClosedPort::bind().expect("bind a loopback port");
    let dialer = dialer(&port);

    let started = Instant::now();
    let status = unary_echo(
        &dialer,
        Mode::FailFast,
        &Deadline::after(Duration::from_secs(10)),
        "hi",
    )
    .await
    .expect_err("nothing listens");
    let took = started.elapsed();

    assert_eq!(status.code(), Code::Unavailable, "{status:?}");
    assert!(
        status.message().starts_with("connection error: "),
        "{status:?}"
    );
    assert!(
        took < Duration::from_secs(1),
        "fail-fast failed after {took:?}, not at once"
    );
}

#[tokio::test]
async fn a_wait_for_ready_call_waits_for_the_server_and_then_succeeds() {
    let (log, _guard) = CapturedLog::install();
    let port = ClosedPort::bind().expect("bind a loopback port");
    let server_port = port.addr().port();
    let dialer = dialer(&port);
    let deadline = Deadline::after(Duration::from_secs(10));

    let call = unary_echo(&dialer, Mode::WaitForReady, &deadline, "hi");
    let start_the_server = async {
        // The call has tried to connect and been refused: it is waiting now.
        log.line_containing("attempt 1 failed, next in").await;
        Started::on(port)
    };
    let (reply, server) = tokio::join!(call, start_the_server);

    assert_eq!(
        reply.expect("the server came up within the deadline"),
        format!("hi (from :{server_port})")
    );
    server.stop().await;
}

#[tokio::test]
async fn a_wait_for_ready_call_whose_server_never_comes_is_deadline_exceeded() {
    let (log, _guard) = CapturedLog::install();
    let port = ClosedPort::bind().expect("bind a loopback port");
    let dialer = dialer(&port);

    let started = Instant::now();
    let status = unary_echo(
        &dialer,
        Mode::WaitForReady,
        &Deadline::after(Duration::from_millis(400)),
        "hi",
    )
    .await
    .expect_err("nothing ever listens");
    let took = started.elapsed();

    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(2),
        "gave up after {took:?}"
    );
    // It kept trying while the deadline lasted: at 0, ~100 and ~260 ms.
    log.line_containing("attempt 3 failed").await;
}

#[tokio::test]
async fn a_connected_dialer_is_reused_by_the_next_call_fail_fast_or_not() {
    let port = ClosedPort::bind().expect("bind a loopback port");
    let server_port = port.addr().port();
    let dialer = dialer(&port);
    let server = Started::on(port);

    for mode in [Mode::WaitForReady, Mode::FailFast] {
        let reply = unary_echo(
            &dialer,
            mode,
            &Deadline::after(Duration::from_secs(10)),
            "up",
        )
        .await
        .expect("the server is up");
        assert_eq!(reply, format!("up (from :{server_port})"));
    }
    server.stop().await;
}

#[tokio::test]
async fn the_client_binary_shows_fail_fast_and_wait_for_ready_with_their_times() {
    let port = ClosedPort::bind().expect("bind a loopback port");
    let server_port = port.addr().port();
    let mut client = Command::new(env!("CARGO_BIN_EXE_ch05-wait-for-ready-client"))
        .args(["--addr", &port.addr().to_string()])
        .args(["--short-deadline-ms", "300"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("run the client");
    let mut stdout = BufReader::new(client.stdout.take().expect("piped")).lines();
    let mut next_line = async || {
        tokio::time::timeout(Duration::from_secs(30), stdout.next_line())
            .await
            .expect("the client prints in time")
            .expect("read the client's output")
            .expect("one more line")
    };

    let fail_fast = next_line().await;
    let short = next_line().await;
    // Only now, with [2] still waiting, does the server come up.
    let server = Started::on(port);
    let waited = next_line().await;
    let status = client.wait().await.expect("the client exits");
    server.stop().await;

    assert!(
        fail_fast.starts_with(
            "[1] fail-fast, deadline 10000 ms: wanted = Unavailable, got = Unavailable after "
        ) && fail_fast.contains("code = Unavailable desc = connection error: "),
        "{fail_fast}"
    );
    assert!(
        short.starts_with(
            "[3] wait-for-ready, deadline 300 ms: wanted = DeadlineExceeded, \
             got = DeadlineExceeded after "
        ),
        "{short}"
    );
    assert!(
        waited.starts_with("[2] wait-for-ready, deadline 10000 ms: wanted = Ok, got = Ok after ")
            && waited.ends_with(&format!("(reply \"call 2 (from :{server_port})\")")),
        "{waited}"
    );
    let millis = |line: &str| -> u64 {
        line.split(" after ")
            .nth(1)
            .and_then(|rest| rest.split(" ms").next())
            .and_then(|ms| ms.parse().ok())
            .unwrap_or_else(|| panic!("no time in {line}"))
    };
    assert!(millis(&fail_fast) < 1000, "{fail_fast}");
    assert!(millis(&short) >= 300, "{short}");
    assert!(millis(&waited) >= millis(&short), "{waited}");
    assert!(status.success(), "every call got what it wanted: {status}");
}
