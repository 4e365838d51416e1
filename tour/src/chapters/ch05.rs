//! Chapter 5: beyond the basics, one sample at a time.
//!
//! Several samples are about what a server or an interceptor *logs*, so this chapter captures
//! the log lines of its servers and clients (they run on the tour's one thread) and shows the
//! ones that matter.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, ensure};
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::OrderStore;
use ch05_advanced::cancellation::Cancellable;
use ch05_advanced::deadlines::{CLIENT_DEADLINE, SlowOrders, WORK_TIME};
use ch05_advanced::flow_control::{
    CHANNEL_CAPACITY, Producer, QUERY, WINDOWS, catalogue, endpoint, slow_reader,
};
use ch05_advanced::interceptors::MessageLog;
use ch05_advanced::keepalive::SERVER_KEEPALIVE;
use ch05_advanced::loadbalancing::resolver::{Resolver, TARGET};
use ch05_advanced::retry::{
    Backend, CALL_TIMEOUT, FAIL_FIRST, HedgingPolicy, RetryPolicy, SLOW_ANSWER,
};
use ch05_advanced::{drain, wait_for_ready};
use common::local::LocalServer;
use common::log_capture::CapturedLog;

use crate::transcript::Transcript;

type Server = LocalServer<tonic::transport::Error>;

pub async fn run(transcript: &mut Transcript) -> anyhow::Result<()> {
    let (log, _capture) = CapturedLog::install();
    interceptors(transcript, &log).await?;
    deadlines(transcript, &log).await?;
    cancellation(transcript, &log).await?;
    error_handling(transcript).await?;
    multiplexing(transcript).await?;
    metadata(transcript).await?;
    load_balancing(transcript).await?;
    compression(transcript).await?;
    keepalive(transcript).await?;
    retries_and_hedging(transcript, &log).await?;
    deadline_propagation(transcript, &log).await?;
    flow_control(transcript, &log).await?;
    wait_for_ready(transcript).await?;
    draining(transcript, &log).await?;
    Ok(())
}

/// The messages of log lines, without their timestamps and levels.
fn messages(lines: &str) -> String {
    lines
        .lines()
        .map(|line| {
            line.split_once("INFO ")
                .map_or(line, |(_, message)| message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn interceptors(transcript: &mut Transcript, log: &CapturedLog) -> anyhow::Result<()> {
    transcript
        .say("-- 인터셉터 (Interceptors): a layer on each side logs every call and every message.");
    let logged_before = log.contents().len();
    let server: Server = LocalServer::start(|listener, shutdown| {
        ch05_advanced::interceptors::serve(listener, shutdown.wait())
    })
    .await?;
    let mut client = OrderManagementClient::new(MessageLog::client(server.channel()));
    let mut lines = Vec::new();
    ch05_advanced::interceptors::book_flow(&mut client, |line| lines.push(line)).await?;
    server.stop().await?;
    transcript.output(&lines.join("\n"));
    transcript.say("What the server and the client logged, in order:");
    let intercepted = messages(&log.contents()[logged_before..]);
    transcript.output(&intercepted);
    ensure!(
        intercepted
            .contains("[Server Stream Interceptor Wrapper] Send a message (Type: ecommerce.Order)"),
        "the stream interceptor did not log the orders it sent"
    );
    Ok(())
}

async fn deadlines(transcript: &mut Transcript, log: &CapturedLog) -> anyhow::Result<()> {
    transcript.say(&format!(
        "-- 데드라인 (Deadlines): addOrder works for {} s, the client gives it {} s.",
        WORK_TIME.as_secs(),
        CLIENT_DEADLINE.as_secs()
    ));
    let server: Server = LocalServer::start(|listener, shutdown| {
        ch03_patterns::serve(
            listener,
            SlowOrders::working_for(WORK_TIME).service(),
            shutdown.wait(),
        )
    })
    .await?;
    let mut client = OrderManagementClient::new(server.channel());
    let mut lines = Vec::new();
    ch05_advanced::deadlines::book_flow(&mut client, CLIENT_DEADLINE, |line| lines.push(line))
        .await;
    transcript.output(&lines.join("\n"));
    let noticed = log
        .line_containing("RPC has reached deadline exceeded state")
        .await;
    server.stop().await?;
    transcript.say("The server noticed and stopped the work:");
    transcript.output(&messages(&noticed));
    ensure!(
        lines.iter().any(|line| line.contains("DeadlineExceeded")),
        "expected DEADLINE_EXCEEDED, got {lines:?}"
    );
    Ok(())
}

async fn cancellation(transcript: &mut Transcript, log: &CapturedLog) -> anyhow::Result<()> {
    transcript.say(
        "-- 취소 처리 (Cancellation): the client cancels processOrders after the first shipments.",
    );
    let server: Server = LocalServer::start(|listener, shutdown| {
        ch03_patterns::serve(listener, OrderStore::book(), shutdown.wait())
    })
    .await?;
    let mut client = OrderManagementClient::new(Cancellable::new(server.channel()));
    let mut lines = Vec::new();
    ch05_advanced::cancellation::book_flow(&mut client, |line| lines.push(line)).await?;
    transcript.output(&lines.join("\n"));
    let stopped = log.line_containing("processOrders stopped after").await;
    server.stop().await?;
    transcript.say("The server saw RST_STREAM(CANCEL) and stopped that stream:");
    transcript.output(&messages(&stopped));
    ensure!(
        lines.iter().any(|line| line.contains("code = Cancelled")),
        "expected CANCELLED, got {lines:?}"
    );
    Ok(())
}

async fn error_handling(transcript: &mut Transcript) -> anyhow::Result<()> {
    transcript
        .say("-- 에러 처리 (Error handling): order -1 is INVALID_ARGUMENT with a field violation.");
    let server: Server = LocalServer::start(|listener, shutdown| {
        ch03_patterns::serve(
            listener,
            ch05_advanced::error_handling::order_service(),
            shutdown.wait(),
        )
    })
    .await?;
    let mut client = OrderManagementClient::new(server.channel());
    let mut lines = Vec::new();
    ch05_advanced::error_handling::book_flow(&mut client, |line| lines.push(line)).await;
    server.stop().await?;
    transcript.output(&lines.join("\n"));
    ensure!(
        lines
            .iter()
            .any(|line| line.starts_with("Request Field Invalid: field:\"ID\"")),
        "the field violation did not arrive: {lines:?}"
    );
    Ok(())
}

async fn metadata(transcript: &mut Transcript) -> anyhow::Result<()> {
    transcript
        .say("-- 메타데이터 (Metadata): headers both ways, and a trailer at the end of a stream.");
    let server: Server = LocalServer::start(|listener, shutdown| {
        ch05_advanced::metadata::serve(listener, shutdown.wait())
    })
    .await?;
    let mut client = OrderManagementClient::new(server.channel());
    let mut lines = Vec::new();
    tokio::time::timeout(
        Duration::from_secs(10),
        ch05_advanced::metadata::book_flow(&mut client, |line| lines.push(line)),
    )
    .await
    .context("the metadata flow took too long")??;
    server.stop().await?;
    transcript.output(&lines.join("\n"));
    ensure!(
        lines.iter().any(|line| line == "timestamp from trailer:"),
        "no trailer arrived: {lines:?}"
    );
    Ok(())
}

async fn multiplexing(transcript: &mut Transcript) -> anyhow::Result<()> {
    transcript.say(
        "-- 멀티플렉싱 (Multiplexing): OrderManagement and Greeter on one server, one channel.",
    );
    let server: Server = LocalServer::start(|listener, shutdown| {
        ch05_advanced::multiplexing::serve(listener, shutdown.wait())
    })
    .await?;
    let mut lines = Vec::new();
    ch05_advanced::multiplexing::book_flow(server.channel(), |line| lines.push(line)).await?;
    server.stop().await?;
    transcript.output(&lines.join("\n"));
    ensure!(
        lines
            .iter()
            .any(|line| line == "Greeting:  Hello gRPC Up and Running!"),
        "the Greeter did not answer: {lines:?}"
    );
    Ok(())
}

async fn load_balancing(transcript: &mut Transcript) -> anyhow::Result<()> {
    transcript.say(&format!(
        "-- 로드밸런싱 (Load balancing): two echo backends; {TARGET} resolves to both."
    ));
    let first = LocalServer::start(|listener, shutdown| {
        ch05_advanced::loadbalancing::backend::serve(listener, shutdown.wait())
    })
    .await?;
    let second = LocalServer::start(|listener, shutdown| {
        ch05_advanced::loadbalancing::backend::serve(listener, shutdown.wait())
    })
    .await?;
    let resolver = Resolver::new(&[first.addr().to_string(), second.addr().to_string()])?;
    let mut lines = Vec::new();
    ch05_advanced::loadbalancing::book_flow(&resolver, TARGET, |line| lines.push(line)).await?;
    let first_port = format!("(from :{})", first.addr().port());
    let second_port = format!("(from :{})", second.addr().port());
    first.stop().await?;
    second.stop().await?;
    transcript.output(&lines.join("\n"));
    let pick_first = &lines[1..=10];
    let round_robin = &lines[12..=21];
    ensure!(
        pick_first.iter().all(|line| line.ends_with(&first_port)),
        "pick_first went elsewhere: {pick_first:?}"
    );
    ensure!(
        round_robin
            .iter()
            .filter(|line| line.ends_with(&second_port))
            .count()
            == 5,
        "round_robin did not alternate: {round_robin:?}"
    );
    transcript.say("pick_first sent every call to the first backend; round_robin alternated.");
    Ok(())
}

async fn compression(transcript: &mut Transcript) -> anyhow::Result<()> {
    transcript.say("-- 압축 (Compression): addOrder sent and answered with gzip.");
    let server: Server = LocalServer::start(|listener, shutdown| {
        ch05_advanced::compression::serve(listener, shutdown.wait())
    })
    .await?;
    let mut lines = Vec::new();
    ch05_advanced::compression::book_flow(server.channel(), |line| lines.push(line)).await?;
    server.stop().await?;
    transcript.output(&lines.join("\n"));
    Ok(())
}

async fn keepalive(transcript: &mut Transcript) -> anyhow::Result<()> {
    transcript.say(
        "-- keepalive: HTTP/2 PINGs (the server's on quiet connections, the client's during long calls), and the book's 1 s timeout on a 5 s addOrder.",
    );
    let server: Server = LocalServer::start(|listener, shutdown| {
        ch05_advanced::keepalive::serve(listener, SERVER_KEEPALIVE, shutdown.wait())
    })
    .await?;
    let mut lines = Vec::new();
    ch05_advanced::keepalive::book_flow(server.channel(), |line| lines.push(line)).await;
    server.stop().await?;
    transcript.output(&lines.join("\n"));
    ensure!(
        lines.iter().any(|line| line.contains("DeadlineExceeded")),
        "expected DEADLINE_EXCEEDED, got {lines:?}"
    );
    Ok(())
}

async fn retries_and_hedging(transcript: &mut Transcript, log: &CapturedLog) -> anyhow::Result<()> {
    transcript.say(&format!(
        "-- 재시도와 헤징 (Retries and hedging, beyond the book): a backend that fails {FAIL_FIRST} calls, then answers slowly; a fast replica."
    ));
    let flaky = Backend::failing_first(FAIL_FIRST).answering_after(SLOW_ANSWER);
    let first = LocalServer::start(|listener, shutdown| {
        ch05_advanced::retry::serve(listener, flaky.clone(), shutdown.wait())
    })
    .await?;
    let second = LocalServer::start(|listener, shutdown| {
        ch05_advanced::retry::serve(listener, Backend::default(), shutdown.wait())
    })
    .await?;
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let flow = ch05_advanced::retry::book_flow(
        ("A", first.channel()),
        ("B", second.channel()),
        &RetryPolicy::default(),
        &HedgingPolicy::default(),
        CALL_TIMEOUT,
        Arc::new(move |line| sink.lock().expect("not poisoned").push(line)),
    )
    .await;
    if flow.is_ok() {
        // The losing call ends on A once its reset arrives; a stop before that would let it finish.
        log.line_containing(&format!(
            "request cancelled count: {} on :{}",
            FAIL_FIRST + 2,
            first.addr().port()
        ))
        .await;
    }
    first.stop().await?;
    second.stop().await?;
    let lines = lines.lock().expect("not poisoned").join("\n");
    transcript.output(&lines);
    flow.map_err(anyhow::Error::msg)?;
    ensure!(
        flaky.counts().calls() == FAIL_FIRST + 2 && flaky.counts().cancelled() == 1,
        "expected {} calls on A, the last one cancelled: {lines}",
        FAIL_FIRST + 2
    );
    transcript.say("A turned 3 attempts away and answered the 4th; the hedge went to B, and A's call was cancelled.");
    Ok(())
}

async fn deadline_propagation(
    transcript: &mut Transcript,
    log: &CapturedLog,
) -> anyhow::Result<()> {
    let budget = Duration::from_millis(500);
    transcript.say(&format!(
        "-- 데드라인 전파 (Deadline propagation), beyond the book: client → front → backend; the backend works {} s, the client gives the chain {} ms.",
        WORK_TIME.as_secs(),
        budget.as_millis()
    ));
    let logged_before = log.contents().len();
    let backend = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
    let server: LocalServer<std::io::Error> = LocalServer::start(|front, shutdown| {
        ch05_advanced::propagation::serve(front, backend, WORK_TIME, shutdown.wait())
    })
    .await?;
    let mut client = OrderManagementClient::new(server.channel());
    let mut lines = Vec::new();
    ch05_advanced::propagation::book_flow(&mut client, budget, |line| lines.push(line)).await;
    log.line_containing("front: answered").await;
    server.stop().await?;
    transcript.output(&lines.join("\n"));
    transcript.say("Each hop logged the budget it was given and when it answered:");
    let logged = messages(&log.contents()[logged_before..]);
    let hops: Vec<&str> = logged
        .lines()
        .filter(|line| {
            ["front: ", "backend: ", "Forwarding "]
                .iter()
                .any(|hop| line.starts_with(hop))
        })
        .collect();
    transcript.output(&hops.join("\n"));
    ensure!(
        lines.iter().any(|line| line.contains("DeadlineExceeded")),
        "expected DEADLINE_EXCEEDED, got {lines:?}"
    );
    Ok(())
}

async fn flow_control(transcript: &mut Transcript, log: &CapturedLog) -> anyhow::Result<()> {
    const ORDERS: usize = 400;
    const READ_FIRST: usize = 20;
    transcript.say(&format!(
        "-- 흐름 제어 (Flow control), beyond the book: the client reads {READ_FIRST} of {ORDERS} orders of searchOrders, pauses until the server's sends wait for it, then reads on."
    ));
    let logged_before = log.contents().len();
    let producer = Producer::new(CHANNEL_CAPACITY);
    let mut progress = producer.progress();
    let server: Server = LocalServer::start(move |listener, shutdown| {
        ch05_advanced::flow_control::serve(
            listener,
            catalogue(ORDERS),
            producer,
            WINDOWS,
            shutdown.wait(),
        )
    })
    .await?;
    let channel =
        common::channel::guard(endpoint(&server.addr().to_string(), WINDOWS)?.connect_lazy());
    let mut lines = vec![format!("HTTP/2 flow control: {WINDOWS}")];
    let pause = async {
        let _ = tokio::time::timeout(
            Duration::from_secs(10),
            progress.wait_for(|progress| progress.stalled),
        )
        .await;
    };
    let ids = slow_reader(
        &mut ch03_patterns::client::Client::new(channel),
        QUERY,
        READ_FIRST,
        pause,
        |line| lines.push(line),
    )
    .await?;
    log.line_containing("the sends waited").await;
    server.stop().await?;
    transcript.output(&lines.join("\n"));
    transcript.say("The server's producer, meanwhile:");
    let logged = messages(&log.contents()[logged_before..]);
    let sends: Vec<&str> = logged
        .lines()
        .filter(|line| {
            line.contains("before the window closed")
                || line.starts_with("resumed after")
                || line.contains("the sends waited")
        })
        .collect();
    transcript.output(&sends.join("\n"));
    ensure!(ids.len() == ORDERS, "read {} of {ORDERS} orders", ids.len());
    Ok(())
}

async fn wait_for_ready(transcript: &mut Transcript) -> anyhow::Result<()> {
    transcript.say(
        "-- 준비될 때까지 기다리기 (Wait for ready, beyond the book): grpc-go's three calls to a server that comes up 300 ms later.",
    );
    let port = wait_for_ready::ClosedPort::bind()?;
    let endpoint = tonic::transport::Endpoint::from_shared(format!("http://{}", port.addr()))?;
    let dialer = wait_for_ready::Dialer::new(endpoint, wait_for_ready::Backoff::SAMPLE);
    let calls = wait_for_ready::calls(Duration::from_secs(5), Duration::from_millis(200));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let start_late = async {
        // The late start itself, as grpc-go's example starts its server 2 s late.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let listener = port.listen()?;
        anyhow::Ok(tokio::spawn(ch05_advanced::loadbalancing::serve(
            listener,
            async {
                let _ = stopped.await;
            },
        )))
    };
    let mut lines = Vec::new();
    let (as_wanted, server) = tokio::join!(
        wait_for_ready::book_flow(&dialer, &calls, |line| lines.push(line)),
        start_late
    );
    let server = server?;
    let _ = stop.send(());
    server.await??;
    transcript.output(&lines.join("\n"));
    ensure!(as_wanted, "a call did not end as grpc-go's does: {lines:?}");
    Ok(())
}

async fn draining(transcript: &mut Transcript, log: &CapturedLog) -> anyhow::Result<()> {
    transcript.say(
        "-- 드레인 (Draining a server, beyond the book): calls keep going through pick-first while backend A drains.",
    );
    let a = drain::Backend::new("A", Duration::from_millis(100));
    let b = drain::Backend::new("B", Duration::from_millis(20));
    let server_a: LocalServer<anyhow::Error> = LocalServer::start({
        let a = a.clone();
        move |listener, shutdown| drain::serve(listener, a, None, shutdown.wait())
    })
    .await?;
    let server_b: LocalServer<anyhow::Error> = LocalServer::start(move |listener, shutdown| {
        drain::serve(listener, b, None, shutdown.wait())
    })
    .await?;
    let addrs = [server_a.addr().to_string(), server_b.addr().to_string()];
    let names = drain::backend_names(&addrs);
    let balancer = drain::balancer(&addrs)?;
    let mut lines = Vec::new();
    let calls = drain::run_calls(&balancer, &names, 12, 2, |outcome| {
        lines.push(outcome.to_string());
    });
    let drain_a = async {
        // A has answered a few calls and is working on more: drain it now.
        let _ = a
            .stats()
            .wait_for(|stats| stats.finished >= 4 && stats.in_flight() > 0)
            .await;
        server_a.stop().await
    };
    let (summary, drained) = tokio::join!(calls, drain_a);
    drained?;
    server_b.stop().await?;
    lines.push(summary.to_string());
    transcript.output(&lines.join("\n"));
    transcript.say("What A logged as it drained:");
    let draining = log.line_containing("A: draining: GOAWAY sent").await;
    let stopped = log.line_containing("A: drained and stopped").await;
    transcript.output(&messages(&format!("{draining}\n{stopped}")));
    ensure!(summary.failed == 0, "a call was lost: {lines:?}");
    Ok(())
}
