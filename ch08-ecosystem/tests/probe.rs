//! The health probe: one test per exit code, the binary run for SERVING and for bad flags,
//! and a probe over TLS.

use std::process::Command;
use std::time::Duration;

use ch08_ecosystem::probe::{Outcome, ProbeArgs, parse_duration, probe};
use ch08_ecosystem::serve;
use common::local::LocalServer;
use tonic::Code;
use tonic::transport::{Server, ServerTlsConfig};
use tonic_health::ServingStatus;

const PROBE: &str = env!("CARGO_BIN_EXE_ch08-health-probe");

fn args(addr: impl ToString) -> ProbeArgs {
    ProbeArgs {
        addr: addr.to_string(),
        service: String::new(),
        connect_timeout: Duration::from_secs(5),
        rpc_timeout: Duration::from_secs(5),
        tls: false,
        tls_ca_cert: None,
        tls_server_name: None,
    }
}

/// Runs the probe binary on a blocking thread, so the server in this runtime keeps serving.
async fn run_binary(flags: Vec<String>) -> (Option<i32>, String, String) {
    tokio::task::spawn_blocking(move || {
        let output = Command::new(PROBE)
            .args(flags)
            .output()
            .expect("probe binary runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .expect("probe thread finishes")
}

#[tokio::test]
async fn exit_0_when_serving() {
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait()))
        .await
        .expect("server starts");

    let flags = [
        "--addr",
        &server.addr().to_string(),
        "--service",
        "ecommerce.ProductInfo",
    ];
    let (code, stdout, _) = run_binary(flags.map(String::from).to_vec()).await;
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "status: SERVING\n");

    assert_eq!(probe(&args(server.addr())).await, Outcome::Serving);
    server.stop().await.expect("server stops cleanly");
}

#[tokio::test]
async fn exit_1_on_invalid_arguments() {
    let (code, _, stderr) =
        run_binary(["--connect-timeout", "soon"].map(String::from).to_vec()).await;
    assert_eq!(code, Some(1));
    assert!(stderr.contains("not a duration"), "{stderr}");

    let mut ca_without_tls = args("localhost:50051");
    ca_without_tls.tls_ca_cert = Some("ca.pem".into());
    let outcome = probe(&ca_without_tls).await;
    assert_eq!(outcome.exit_code(), 1, "{outcome}");

    let mut tls_without_ca = args("localhost:50051");
    tls_without_ca.tls = true;
    let outcome = probe(&tls_without_ca).await;
    assert_eq!(outcome.exit_code(), 1, "{outcome}");
    assert!(
        outcome.to_string().contains("--tls needs --tls-ca-cert"),
        "{outcome}"
    );
}

#[tokio::test]
async fn exit_2_when_nothing_listens() {
    // A port that was just free: bind it, note it, close it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local address");
    drop(listener);

    let outcome = probe(&args(addr)).await;
    assert!(matches!(outcome, Outcome::ConnectionFailed(_)), "{outcome}");
    assert_eq!(outcome.exit_code(), 2);
}

#[tokio::test]
async fn exit_3_when_the_check_fails() {
    // Chapter 2's server has no Health service: UNIMPLEMENTED.
    let plain =
        LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
            .await
            .expect("server starts");
    let outcome = probe(&args(plain.addr())).await;
    assert!(
        matches!(outcome, Outcome::RpcFailed(Code::Unimplemented, _)),
        "{outcome}"
    );
    assert_eq!(outcome.exit_code(), 3);
    assert!(
        outcome
            .to_string()
            .contains("does not implement the grpc health protocol")
    );
    plain.stop().await.expect("server stops cleanly");

    // A service the server does not know: NOT_FOUND.
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait()))
        .await
        .expect("server starts");
    let mut unknown = args(server.addr());
    unknown.service = "ecommerce.Nope".into();
    let outcome = probe(&unknown).await;
    assert!(
        matches!(outcome, Outcome::RpcFailed(Code::NotFound, _)),
        "{outcome}"
    );
    assert_eq!(outcome.exit_code(), 3);
    server.stop().await.expect("server stops cleanly");
}

#[tokio::test]
async fn exit_4_when_not_serving() {
    let server = LocalServer::start(|listener, shutdown| async move {
        let (reporter, health) = tonic_health::server::health_reporter();
        reporter
            .set_service_status("", ServingStatus::NotServing)
            .await;
        Server::builder()
            .add_service(health)
            .serve_with_incoming_shutdown(
                tonic::transport::server::TcpIncoming::from(listener),
                shutdown.wait(),
            )
            .await
    })
    .await
    .expect("server starts");

    let outcome = probe(&args(server.addr())).await;
    assert_eq!(
        outcome,
        Outcome::Unhealthy(tonic_health::pb::health_check_response::ServingStatus::NotServing)
    );
    assert_eq!(outcome.exit_code(), 4);
    assert_eq!(
        outcome.to_string(),
        "service unhealthy (responded with \"NOT_SERVING\")"
    );
    server.stop().await.expect("server stops cleanly");
}

#[tokio::test]
async fn probes_over_tls() {
    let certs = ch06_security::certs::Certs::generate().expect("certificates");
    let identity = certs.server_identity();
    let server = LocalServer::start(|listener, shutdown| async move {
        let (_reporter, health) = tonic_health::server::health_reporter();
        Server::builder()
            .tls_config(ServerTlsConfig::new().identity(identity))?
            .add_service(health)
            .serve_with_incoming_shutdown(
                tonic::transport::server::TcpIncoming::from(listener),
                shutdown.wait(),
            )
            .await
    })
    .await
    .expect("server starts");
    let dir = tempfile::tempdir().expect("temporary folder");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &certs.ca_cert).expect("CA written");

    // Connected by IP, so the name to check comes from --tls-server-name.
    let mut tls = args(server.addr());
    tls.tls = true;
    tls.tls_ca_cert = Some(ca_file.clone());
    tls.tls_server_name = Some("localhost".into());
    assert_eq!(probe(&tls).await, Outcome::Serving);

    // A name the certificate does not carry fails the handshake: a connection failure.
    tls.tls_server_name = Some("example.com".into());
    assert_eq!(probe(&tls).await.exit_code(), 2);

    server.stop().await.expect("server stops cleanly");
}

#[test]
fn durations_read_like_grpc_health_probe() {
    assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
    assert_eq!(parse_duration("1s"), Ok(Duration::from_secs(1)));
    assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
    assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
    assert!(parse_duration("10").is_err());
    assert!(parse_duration("soon").is_err());
}
