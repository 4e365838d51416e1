//! Chapter 5: beyond the basics, one sample at a time.
//!
//! Several samples are about what a server or an interceptor *logs*, so this chapter captures
//! the log lines of its servers and clients (they run on the tour's one thread) and shows the
//! ones that matter.

use std::time::Duration;

use anyhow::{Context, ensure};
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::OrderStore;
use ch05_advanced::cancellation::Cancellable;
use ch05_advanced::deadlines::{CLIENT_DEADLINE, SlowOrders, WORK_TIME};
use ch05_advanced::interceptors::MessageLog;
use ch05_advanced::keepalive::SERVER_KEEPALIVE;
use ch05_advanced::loadbalancing::resolver::{Resolver, TARGET};
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
