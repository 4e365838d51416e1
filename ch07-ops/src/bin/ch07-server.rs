//! `ch07-server`: ProductInfo ready for production: health, Prometheus metrics and
//! OpenTelemetry traces (book sections "메트릭" (Metrics) and "추적" (Tracing)).
//!
//! Terminal 1: `cargo run --bin ch07-server` (gRPC and health on 50051, metrics on 9092)
//! Terminal 2: `cargo run --bin ch07-client` (metrics on 9094), then
//! `curl -s localhost:9092/metrics | grep -E '^(grpc_server|product_mgt)'`
//!
//! It logs `Server started, listening on 0.0.0.0:50051`, `Metrics on http://0.0.0.0:9092/metrics`,
//! and per call chapter 2's `Product <id> : <name> - Added.` / `- Retrieved.` followed by the
//! call's span, `Span ecommerce.ProductInfo/addProduct (Server) trace=… parent=…`, whose
//! parent is the client's span. With `OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317`
//! the spans go to that collector instead.

use ch07_ops::cli::ServerArgs;
use ch07_ops::metrics::exporter;
use ch07_ops::server::ObservableServer;
use ch07_ops::telemetry::{SERVER_SERVICE_NAME, Telemetry};
use clap::Parser;
use prometheus::Registry;
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ServerArgs::parse();
    let _log = common::logging::init("info");
    let telemetry = Telemetry::init(SERVER_SERVICE_NAME)?;
    let registry = Registry::new();
    let server = ObservableServer::new(&registry, telemetry.tracer())?;
    common::server::run(&args.server, |listener, shutdown| async move {
        let metrics = TcpListener::bind(args.metrics_addr).await?;
        tracing::info!("Metrics on http://{}/metrics", metrics.local_addr()?);
        tokio::spawn(exporter::serve(metrics, registry, std::future::pending()));
        server
            .serve(listener, shutdown)
            .await
            .map_err(std::io::Error::other)
    })
    .await
}
