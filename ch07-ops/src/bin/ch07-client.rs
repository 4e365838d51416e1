//! `ch07-client`: chapter 2's client flow with Prometheus metrics and OpenTelemetry traces
//! (book sections "메트릭" (Metrics) and "추적" (Tracing)).
//!
//! Terminal 1: `cargo run --bin ch07-server`
//! Terminal 2: `cargo run --bin ch07-client` then `curl -s localhost:9094/metrics | grep ^grpc_client`
//!
//! As the book's client, it adds and gets the book's product every 3 seconds until Ctrl-C
//! (`--rounds N` stops after N), printing chapter 2's `Product ID: … added successfully` and
//! `Product: …` each round, while its `grpc_client_*` series are served on port 9094. Each
//! round is one trace: the book's span `ecommerce.ProductInfoClient`, with a child span per
//! call, logged as they end (or sent to `OTEL_EXPORTER_OTLP_ENDPOINT`).
//!
//! 클라이언트 측 로드밸런싱 (Client-side load balancing) · 책 밖의 내용 (beyond the book):
//! `--addr dns:///NAME:PORT --lb round_robin` resolves NAME to every address it has (on
//! Kubernetes, the headless Service `productinfo-headless`: every ready pod) and spreads the
//! rounds over them, each line followed by the backend that answered:
//! `Product ID: … added successfully (from 127.0.0.2:50051)`. `--resolve NAME=IP,IP,IP`
//! answers NAME without DNS, for three local servers (the README's demo):
//!
//! `cargo run --bin ch07-client -- --addr dns:///productinfo:50051 --resolve
//! productinfo=127.0.0.1,127.0.0.2,127.0.0.3 --lb round_robin --rounds 6 --pause-ms 0`

use std::process::ExitCode;
use std::time::Duration;

use ch02_productinfo::client::{FLOW_TIMEOUT, add_then_get, book_product};
use ch05_advanced::loadbalancing::Policy;
use ch07_ops::balancing::{DnsBalancer, Resolver, Target, add_then_get_balanced};
use ch07_ops::cli::ClientArgs;
use ch07_ops::client::{ClientLayers, ROUND_SPAN};
use ch07_ops::metrics::exporter;
use ch07_ops::telemetry::{CLIENT_SERVICE_NAME, Telemetry};
use clap::Parser;
use common::channel::Channel;
use common::deadline::Deadline;
use opentelemetry::Context;
use opentelemetry::context::FutureExt as _;
use opentelemetry::trace::{Status, TraceContextExt as _, Tracer as _};
use prometheus::Registry;
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    let args = ClientArgs::parse();
    let _log = common::logging::init("info");
    match args.target() {
        Ok(Target::Direct(_)) => {
            common::client::run(&args.server, |channel| {
                rounds(Backends::One(channel), &args)
            })
            .await
        }
        Ok(Target::Dns { name, port }) => {
            let resolver = Resolver::new(args.resolve.clone());
            let policy = args.lb.unwrap_or(Policy::PickFirst);
            let outcome = match DnsBalancer::resolve(&name, port, resolver, policy).await {
                Ok(balancer) => rounds(Backends::Balanced(balancer), &args).await,
                Err(error) => Err(error.into()),
            };
            match outcome {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("{error}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(2)
        }
    }
}

/// Where the rounds go: the one server of `--addr HOST:PORT`, or the backends of a name.
enum Backends {
    One(Channel),
    Balanced(DnsBalancer),
}

/// The book's client loop: a traced round, then a pause, until `--rounds` or Ctrl-C.
async fn rounds(
    mut backends: Backends,
    args: &ClientArgs,
) -> Result<(), Box<dyn std::error::Error>> {
    let telemetry = Telemetry::init(CLIENT_SERVICE_NAME)?;
    let tracer = telemetry.tracer();
    let registry = Registry::new();
    let layers = ClientLayers::new(&registry, tracer.clone())?;
    let metrics = TcpListener::bind(args.metrics_addr).await?;
    tracing::info!("Metrics on http://{}/metrics", metrics.local_addr()?);
    tokio::spawn(exporter::serve(metrics, registry, std::future::pending()));
    let mut round = 0;
    loop {
        // The round's span is the parent of both calls' spans, and through them of the
        // server's: one trace per round.
        let round_cx = Context::current_with_span(tracer.start(ROUND_SPAN));
        let deadline = Deadline::after(FLOW_TIMEOUT);
        let flow = match &mut backends {
            Backends::One(channel) => add_then_get(
                &mut layers.client(channel.clone()),
                book_product(),
                deadline,
            )
            .with_context(round_cx.clone())
            .await
            .map(|flow| flow.to_string()),
            Backends::Balanced(balancer) => {
                add_then_get_balanced(balancer, &layers, book_product(), deadline)
                    .with_context(round_cx.clone())
                    .await
                    .map(|routed| routed.to_string())
            }
        };
        if let Err(error) = &flow {
            round_cx.span().set_status(Status::error(error.to_string()));
        }
        round_cx.span().end();
        println!("{}", flow?);
        round += 1;
        if args.rounds.is_some_and(|rounds| round >= rounds) {
            return Ok(());
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(args.pause_ms)) => {}
            () = common::shutdown::signal() => return Ok(()),
        }
    }
}
