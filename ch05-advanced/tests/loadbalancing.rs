//! The resolver, both policies, and which backend answered each call.

use std::process::Stdio;
use std::time::Duration;

use book_proto::echo::EchoRequest;
use book_proto::echo::echo_client::EchoClient;
use ch05_advanced::loadbalancing::{
    Balancer, CALLS, MESSAGE, Policy, ResolveError, Resolver, TARGET, book_flow, serve, unary_echo,
};
use common::local::LocalServer;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use tonic::Code;

type Backend = LocalServer<anyhow::Error>;

/// How long a test waits for the next line of a server's log.
const LOG_WAIT: Duration = Duration::from_secs(10);

async fn start_backend() -> Backend {
    LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait()))
        .await
        .expect("bind a loopback port")
}

/// A loopback address nobody listens on: a backend that is down.
fn dead_addr() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("local addr").to_string()
}

fn resolver(addrs: &[String]) -> Resolver {
    Resolver::new(addrs).expect("valid backend addresses")
}

fn balancer(addrs: &[String], policy: Policy) -> Balancer {
    let endpoints = resolver(addrs).resolve(TARGET).expect("the book's target");
    Balancer::new(endpoints, policy)
}

fn reply_from(backend: &Backend) -> String {
    format!("{MESSAGE} (from :{})", backend.addr().port())
}

async fn echo_n(balancer: &Balancer, calls: usize) -> Vec<String> {
    let mut replies = Vec::new();
    for _ in 0..calls {
        replies.push(unary_echo(balancer, MESSAGE).await.expect("echo"));
    }
    replies
}

// ---- Resolver --------------------------------------------------------------------------------

#[test]
fn the_resolver_maps_the_books_target_to_every_backend() {
    let backends = ["localhost:50051".to_owned(), "localhost:50052".to_owned()];
    let endpoints = resolver(&backends).resolve(TARGET).expect("resolves");
    let authorities: Vec<_> = endpoints
        .iter()
        .map(|endpoint| endpoint.uri().authority().expect("HOST:PORT").to_string())
        .collect();
    assert_eq!(authorities, backends);
}

#[test]
fn the_resolver_rejects_other_schemes_names_and_non_targets() {
    let resolver = resolver(&["localhost:50051".to_owned()]);
    assert_eq!(
        resolver
            .resolve("dns:///lb.example.grpc.io")
            .expect_err("no dns"),
        ResolveError::UnknownScheme("dns".into())
    );
    assert_eq!(
        resolver
            .resolve("example:///other.example.grpc.io")
            .expect_err("unknown"),
        ResolveError::UnknownName("other.example.grpc.io".into())
    );
    assert_eq!(
        resolver
            .resolve("lb.example.grpc.io")
            .expect_err("no scheme"),
        ResolveError::NotATarget("lb.example.grpc.io".into())
    );
}

#[test]
fn a_backend_that_is_not_host_and_port_is_refused() {
    let error = Resolver::new(&["not an address".to_owned()]).expect_err("invalid");
    assert_eq!(error.0, "not an address");
}

// ---- Backends --------------------------------------------------------------------------------

#[tokio::test]
async fn a_backend_tags_its_reply_and_has_no_streaming_methods() {
    let backend = start_backend().await;
    let mut client = EchoClient::new(backend.channel());
    let request = || EchoRequest {
        message: MESSAGE.into(),
    };

    let reply = client
        .unary_echo(request())
        .await
        .expect("echo")
        .into_inner();
    assert_eq!(reply.message, reply_from(&backend));

    let status = client
        .server_streaming_echo(request())
        .await
        .expect_err("not implemented");
    assert_eq!(status.code(), Code::Unimplemented);
    assert_eq!(status.message(), "not implemented");
    backend.stop().await.expect("clean stop");
}

// ---- Policies --------------------------------------------------------------------------------

#[tokio::test]
async fn pick_first_sends_every_call_to_the_first_backend() {
    let (first, second) = (start_backend().await, start_backend().await);
    let balancer = balancer(
        &[first.addr().to_string(), second.addr().to_string()],
        Policy::PickFirst,
    );

    assert_eq!(
        echo_n(&balancer, CALLS).await,
        vec![reply_from(&first); CALLS]
    );
    first.stop().await.expect("clean stop");
    second.stop().await.expect("clean stop");
}

#[tokio::test]
async fn round_robin_alternates_between_the_backends() {
    let (first, second) = (start_backend().await, start_backend().await);
    let balancer = balancer(
        &[first.addr().to_string(), second.addr().to_string()],
        Policy::RoundRobin,
    );

    let expected: Vec<_> = [reply_from(&first), reply_from(&second)]
        .into_iter()
        .cycle()
        .take(CALLS)
        .collect();
    assert_eq!(echo_n(&balancer, CALLS).await, expected);
    first.stop().await.expect("clean stop");
    second.stop().await.expect("clean stop");
}

#[tokio::test]
async fn pick_first_skips_a_first_backend_that_is_down() {
    let second = start_backend().await;
    let balancer = balancer(&[dead_addr(), second.addr().to_string()], Policy::PickFirst);

    assert_eq!(echo_n(&balancer, 3).await, vec![reply_from(&second); 3]);
    second.stop().await.expect("clean stop");
}

#[tokio::test]
async fn pick_first_moves_to_the_next_backend_when_its_backend_goes_down() {
    let (first, second) = (start_backend().await, start_backend().await);
    let balancer = balancer(
        &[first.addr().to_string(), second.addr().to_string()],
        Policy::PickFirst,
    );
    assert_eq!(echo_n(&balancer, 3).await, vec![reply_from(&first); 3]);

    let gone = reply_from(&first);
    first.stop().await.expect("clean stop");

    assert_eq!(echo_n(&balancer, 5).await, vec![reply_from(&second); 5]);
    assert!(!echo_n(&balancer, 1).await.contains(&gone));
    second.stop().await.expect("clean stop");
}

#[tokio::test]
async fn round_robin_passes_over_a_backend_that_is_down() {
    let live = start_backend().await;
    let balancer = balancer(&[live.addr().to_string(), dead_addr()], Policy::RoundRobin);

    assert_eq!(echo_n(&balancer, 4).await, vec![reply_from(&live); 4]);
    live.stop().await.expect("clean stop");
}

#[tokio::test]
async fn with_every_backend_down_a_call_is_unavailable() {
    for policy in [Policy::PickFirst, Policy::RoundRobin] {
        let balancer = balancer(&[dead_addr(), dead_addr()], policy);
        let status = unary_echo(&balancer, MESSAGE)
            .await
            .expect_err("nobody answers");
        assert_eq!(status.code(), Code::Unavailable, "{policy}");
    }
}

// ---- The book's client -----------------------------------------------------------------------

fn book_output(first: &str, second: &str) -> Vec<String> {
    let mut lines =
        vec!["==== Calling grpc.examples.echo.Echo/UnaryEcho with pick_first ====".to_owned()];
    lines.extend(vec![first.to_owned(); CALLS]);
    lines.push("==== Calling grpc.examples.echo.Echo/UnaryEcho with round_robin ====".to_owned());
    lines.extend(
        [first, second]
            .into_iter()
            .cycle()
            .take(CALLS)
            .map(str::to_owned),
    );
    lines
}

#[tokio::test]
async fn the_book_flow_fails_on_a_target_the_resolver_does_not_know() {
    let error = book_flow(&resolver(&[dead_addr()]), "example:///unknown", drop)
        .await
        .expect_err("unknown name");
    assert_eq!(
        error.to_string(),
        "could not resolve the target: the \"example\" resolver does not know \"unknown\", \
         only \"lb.example.grpc.io\""
    );
}

#[tokio::test]
async fn the_client_binary_prints_ten_replies_per_policy() {
    let (first, second) = (start_backend().await, start_backend().await);
    let output = Command::new(env!("CARGO_BIN_EXE_ch05-loadbalancing-client"))
        .args(["--addr", &first.addr().to_string()])
        .args(["--addr", &second.addr().to_string()])
        .output()
        .await
        .expect("run ch05-loadbalancing-client");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        book_output(&reply_from(&first), &reply_from(&second))
    );
    first.stop().await.expect("clean stop");
    second.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_client_binary_reports_an_unknown_target_and_exits_non_zero() {
    let output = Command::new(env!("CARGO_BIN_EXE_ch05-loadbalancing-client"))
        .args([
            "--addr",
            &dead_addr(),
            "--target",
            "dns:///lb.example.grpc.io",
        ])
        .output()
        .await
        .expect("run ch05-loadbalancing-client");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no resolver for the scheme \"dns\", only \"example\""),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_server_binary_runs_both_backends_in_one_process() {
    let mut server = Command::new(env!("CARGO_BIN_EXE_ch05-loadbalancing-server"))
        .args(["--addr", "127.0.0.1:0", "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start ch05-loadbalancing-server");
    let mut log = BufReader::new(server.stderr.take().expect("piped stderr")).lines();

    let mut backends = Vec::new();
    let mut serving = Vec::new();
    while serving.len() < 2 {
        let line = tokio::time::timeout(LOG_WAIT, log.next_line())
            .await
            .expect("the server logs in time")
            .expect("read the log")
            .expect("one more line");
        if let Some((_, addr)) = line.split_once("Server started, listening on ") {
            backends.push(addr.to_owned());
        } else if let Some((_, port)) = line.split_once("serving on ") {
            serving.push(port.to_owned());
        }
    }
    let ports: Vec<_> = backends
        .iter()
        .map(|addr| format!(":{}", addr.rsplit(':').next().expect("HOST:PORT")))
        .collect();
    serving.sort();
    let mut expected_serving = ports.clone();
    expected_serving.sort();
    assert_eq!(serving, expected_serving, "each backend logs its port");

    let mut lines = Vec::new();
    book_flow(&resolver(&backends), TARGET, |line| lines.push(line))
        .await
        .expect("the flow succeeds");
    assert_eq!(
        lines,
        book_output(
            &format!("{MESSAGE} (from {})", ports[0]),
            &format!("{MESSAGE} (from {})", ports[1])
        )
    );
    server.kill().await.expect("stop the server");
}
