//! Distributed tracing (book section "추적", Tracing) with OpenTelemetry, where the book used
//! OpenCensus and OpenTracing with Jaeger.
//!
//! A trace is a tree of spans. The client opens a span for each call and sends its identity
//! in the call's metadata as a W3C `traceparent` entry; the server reads it and opens its own
//! span for the call as that span's child. A tracing backend then shows one trace across both
//! processes. The book's samples never got this far: the OpenCensus one had no stats handler,
//! so nothing crossed the wire, and the OpenTracing one closed its reporter at start-up.
//!
//! * [`propagation`]: the trace context in and out of gRPC metadata.
//! * [`layer`]: the tower layer that opens a span per call, on a server's routes or on a
//!   client's channel, and records the call's `grpc-status` in it.
//! * [`log_exporter`]: where finished spans go when no collector is configured: one log line
//!   each.
//! * [`Telemetry`]: the pipeline a binary sets up at start, OTLP or the log.

pub mod layer;
pub mod log_exporter;
pub mod propagation;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::ExporterBuildError;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::{SdkTracer, SdkTracerProvider};

use log_exporter::LogExporter;

/// The variable that switches export to OTLP, as every OpenTelemetry SDK reads it.
pub const OTLP_ENDPOINT_VAR: &str = "OTEL_EXPORTER_OTLP_ENDPOINT";

/// The service name the book's Go server gave Jaeger.
pub const SERVER_SERVICE_NAME: &str = "product_info";

/// The service name of the chapter's client.
pub const CLIENT_SERVICE_NAME: &str = "product_info_client";

/// A binary's tracing pipeline. Dropping it flushes the spans not exported yet.
#[derive(Debug)]
pub struct Telemetry {
    provider: SdkTracerProvider,
}

impl Telemetry {
    /// Spans of `service_name` go over OTLP/gRPC when [`OTLP_ENDPOINT_VAR`] is set (to
    /// `http://localhost:4317`, say, for a local Jaeger or OpenTelemetry Collector), in
    /// batches from a background thread; otherwise to the log, one line per span as it ends.
    ///
    /// Call it inside the Tokio runtime: the OTLP exporter is a tonic client.
    pub fn init(service_name: &'static str) -> Result<Self, ExporterBuildError> {
        let resource = Resource::builder().with_service_name(service_name).build();
        let builder = SdkTracerProvider::builder().with_resource(resource);
        let provider = match std::env::var(OTLP_ENDPOINT_VAR) {
            Ok(endpoint) => {
                let exporter = opentelemetry_otlp::SpanExporter::builder()
                    .with_tonic()
                    .build()?;
                tracing::info!("Exporting spans over OTLP to {endpoint}");
                builder.with_batch_exporter(exporter).build()
            }
            Err(_) => builder.with_simple_exporter(LogExporter).build(),
        };
        Ok(Self { provider })
    }

    /// The tracer the binary's layers open their spans with.
    pub fn tracer(&self) -> SdkTracer {
        self.provider.tracer("ch07-ops")
    }
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Err(error) = self.provider.shutdown() {
            tracing::warn!("Spans may be lost: {error}");
        }
    }
}
