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

use std::process::ExitCode;
use std::time::Duration;

use ch02_productinfo::client::{FLOW_TIMEOUT, add_then_get, book_product};
use ch07_ops::cli::ClientArgs;
use ch07_ops::client::{ROUND_SPAN, observable_client};
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

/// The book's pause between rounds.
const PAUSE: Duration = Duration::from_secs(3);

#[tokio::main]
async fn main() -> ExitCode {
    let args = ClientArgs::parse();
    let _log = common::logging::init("info");
    common::client::run(&args.server, |channel| rounds(channel, &args)).await
}

/// The book's client loop: a traced round, then a pause, until `--rounds` or Ctrl-C.
async fn rounds(channel: Channel, args: &ClientArgs) -> Result<(), Box<dyn std::error::Error>> {
    let telemetry = Telemetry::init(CLIENT_SERVICE_NAME)?;
    let tracer = telemetry.tracer();
    let registry = Registry::new();
    let mut client = observable_client(channel, &registry, tracer.clone())?;
    let metrics = TcpListener::bind(args.metrics_addr).await?;
    tracing::info!("Metrics on http://{}/metrics", metrics.local_addr()?);
    tokio::spawn(exporter::serve(metrics, registry, std::future::pending()));
    let mut round = 0;
    loop {
        // The round's span is the parent of both calls' spans, and through them of the
        // server's: one trace per round.
        let round_cx = Context::current_with_span(tracer.start(ROUND_SPAN));
        let flow = add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT))
            .with_context(round_cx.clone())
            .await;
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
            () = tokio::time::sleep(PAUSE) => {}
            () = common::shutdown::signal() => return Ok(()),
        }
    }
}
