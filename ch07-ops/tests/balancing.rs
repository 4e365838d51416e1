//! `ch07-client --addr dns:///NAME:PORT --lb round_robin` against three `ch07` servers
//! "behind one name": the same port on 127.0.0.1, 127.0.0.2 and 127.0.0.3, and `--resolve`
//! giving the name those three addresses, as a headless Service's DNS gives a pod's IPs.
//!
//! The servers run in-process, each with its own metrics registry, so the rounds are counted
//! where they landed; the client is the binary, and the test reads what it prints.

use std::process::Stdio;

use ch05_advanced::loadbalancing::Policy;
use ch07_ops::balancing::{InvalidTarget, StaticName, Target, loopback_replicas};
use ch07_ops::cli::ClientArgs;
use ch07_ops::metrics::exporter;
use ch07_ops::server::ObservableServer;
use clap::Parser;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use prometheus::Registry;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Command;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The name the client resolves with `--resolve`.
const NAME: &str = "productinfo-headless";

/// One `ch07` server on one loopback address, with its own metrics.
struct Replica {
    addr: String,
    registry: Registry,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<Result<(), tonic::transport::Error>>,
}

impl Replica {
    /// How many `method` calls this server answered OK, by its `grpc_server_handled_total`.
    fn handled(&self, method: &str) -> u64 {
        let scrape = exporter::render(&self.registry).expect("render the metrics");
        let series = format!(
            r#"grpc_server_handled_total{{grpc_code="OK",grpc_method="{method}",grpc_service="ecommerce.ProductInfo",grpc_type="unary"}} "#
        );
        scrape
            .lines()
            .find_map(|line| line.strip_prefix(&series))
            .map_or(0, |count| count.parse().expect("a count"))
    }

    async fn stop(self) {
        let _ = self.shutdown.send(());
        self.task
            .await
            .expect("the server task ends")
            .expect("the server stops cleanly");
    }
}

/// Three servers on one port of 127.0.0.1, .2 and .3; the port.
async fn three_replicas() -> (Vec<Replica>, u16) {
    let listeners = loopback_replicas(3).await.expect("bind 127.0.0.1-3");
    let port = listeners[0].local_addr().expect("bound").port();
    let replicas = listeners
        .into_iter()
        .map(|listener| {
            let addr = listener.local_addr().expect("bound").to_string();
            let registry = Registry::new();
            let tracer = SdkTracerProvider::builder()
                .build()
                .tracer("balancing test");
            let server = ObservableServer::new(&registry, tracer).expect("register");
            let (shutdown, signal) = oneshot::channel::<()>();
            let task = tokio::spawn(server.serve(listener, async {
                let _ = signal.await;
            }));
            Replica {
                addr,
                registry,
                shutdown,
                task,
            }
        })
        .collect();
    (replicas, port)
}

/// `ch07-client` with a balanced target over the three replicas, and `extra` flags.
fn balanced_client(port: u16, extra: &[&str]) -> Command {
    let mut client = Command::new(env!("CARGO_BIN_EXE_ch07-client"));
    client
        .args(["--addr", &format!("dns:///{NAME}:{port}")])
        .args([
            "--resolve",
            &format!("{NAME}=127.0.0.1,127.0.0.2,127.0.0.3"),
        ])
        .args(["--lb", "round_robin", "--metrics-addr", "127.0.0.1:0"])
        .args(extra)
        .env("RUST_LOG", "info")
        .kill_on_drop(true);
    client
}

/// The backend a printed line names: `… (from 127.0.0.2:PORT)`.
fn backend(line: &str) -> &str {
    line.rsplit_once(" (from ")
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("no backend in {line:?}"))
}

#[tokio::test]
async fn round_robin_spreads_the_rounds_evenly_over_three_servers_behind_one_name() {
    let (replicas, port) = three_replicas().await;
    let rounds = 9;
    let output = balanced_client(port, &["--rounds", "9", "--pause-ms", "0"])
        .output()
        .await
        .expect("run ch07-client");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains(&format!(
            "Resolved {NAME}:{port} to 127.0.0.1:{port}, 127.0.0.2:{port}, 127.0.0.3:{port}"
        )),
        "{stderr}"
    );

    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2 * rounds, "{stdout}");
    for (round, pair) in lines.chunks(2).enumerate() {
        let expected = &replicas[round % 3].addr;
        assert!(
            pair[0].starts_with("Product ID: ")
                && pair[0].ends_with(&format!(" added successfully (from {expected})")),
            "round {round}: {stdout}"
        );
        assert!(pair[1].contains(r#"name:"Apple iPhone 11""#), "{stdout}");
        assert_eq!(
            backend(pair[1]),
            expected,
            "both calls of a round go to one backend"
        );
    }
    for replica in &replicas {
        assert_eq!(replica.handled("addProduct"), 3, "{}", replica.addr);
        assert_eq!(replica.handled("getProduct"), 3, "{}", replica.addr);
    }
    for replica in replicas {
        replica.stop().await;
    }
}

#[tokio::test]
async fn a_stopped_replica_is_passed_over_and_no_round_fails() {
    let (mut replicas, port) = three_replicas().await;
    // Between the stop below and .2's next turn come two pauses: 600 ms for a stop that takes
    // a few, so even a loaded machine stops .2 before the client comes back to it.
    let mut client = balanced_client(port, &["--rounds", "12", "--pause-ms", "300"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ch07-client");
    let mut stdout = BufReader::new(client.stdout.take().expect("piped")).lines();
    let mut stderr = client.stderr.take().expect("piped");
    let mut next_line = async || {
        stdout
            .next_line()
            .await
            .expect("read the client's output")
            .expect("the client prints every round")
    };
    // Two rounds first, on .1 and .2, then .2 stops.
    for _ in 0..4 {
        next_line().await;
    }
    let stopped = replicas.remove(1);
    let stopped_addr = stopped.addr.clone();
    let stopped_rounds = stopped.handled("addProduct");
    stopped.stop().await;

    // Every round printed from now on began after .2 had closed its listener.
    let mut after: Vec<String> = Vec::new();
    for _ in 0..2 * (12 - 2) {
        after.push(backend(&next_line().await).to_owned());
    }
    let status = client.wait().await.expect("the client exits");
    let mut log = String::new();
    stderr.read_to_string(&mut log).await.expect("read stderr");
    assert!(status.success(), "a round failed:\n{log}");
    assert!(
        log.contains(&format!(
            "{stopped_addr} is unavailable, trying the next backend"
        )),
        "{log}"
    );
    assert!(
        !after.contains(&stopped_addr),
        "a round went to the stopped replica: {after:?}"
    );
    for replica in &replicas {
        let printed = after.iter().filter(|addr| **addr == replica.addr).count();
        assert!(printed > 0, "{} got no round after the stop", replica.addr);
    }
    assert!(
        stopped_rounds >= 1,
        "the stopped replica had answered a round"
    );
    for replica in replicas {
        replica.stop().await;
    }
}

#[test]
fn targets_read_as_grpc_names() {
    let parse = |addr: &str| addr.parse::<Target>();
    assert_eq!(
        parse("productinfo:50051").expect("host:port"),
        Target::Direct("productinfo:50051".to_owned())
    );
    for addr in [
        "dns:///productinfo-headless:50051",
        "dns:productinfo-headless:50051",
    ] {
        assert_eq!(
            parse(addr).expect("a dns target"),
            Target::Dns {
                name: "productinfo-headless".to_owned(),
                port: 50051
            }
        );
    }
    for addr in [
        "dns:///productinfo-headless",
        "dns:///:50051",
        "dns://8.8.8.8/productinfo:50051",
        "dns:///productinfo:http",
    ] {
        assert!(
            matches!(parse(addr), Err(InvalidTarget::Malformed(_))),
            "{addr}"
        );
    }
}

#[test]
fn lb_and_resolve_are_flags_of_a_dns_target_only() {
    let args = |extra: &[&str]| {
        ClientArgs::try_parse_from(["ch07-client"].iter().chain(extra)).expect("parse")
    };
    let balanced = args(&[
        "--addr",
        "dns:///productinfo:50051",
        "--lb",
        "round_robin",
        "--resolve",
        "productinfo=127.0.0.1,127.0.0.2",
    ]);
    assert_eq!(balanced.lb, Some(Policy::RoundRobin));
    assert_eq!(
        balanced.resolve,
        vec![StaticName {
            name: "productinfo".to_owned(),
            ips: vec![
                "127.0.0.1".parse().expect("ip"),
                "127.0.0.2".parse().expect("ip")
            ],
        }]
    );
    assert!(balanced.target().is_ok());

    let direct = args(&["--addr", "localhost:50051", "--lb", "round_robin"]);
    assert!(matches!(
        direct.target(),
        Err(InvalidTarget::NothingToBalance(_))
    ));
    for bad in [
        ["--lb", "least_request"],
        ["--resolve", "productinfo"],
        ["--resolve", "productinfo=not-an-ip"],
    ] {
        assert!(
            ClientArgs::try_parse_from(["ch07-client"].iter().chain(bad.iter())).is_err(),
            "{bad:?}"
        );
    }
}
