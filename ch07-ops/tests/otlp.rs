//! The binaries' spans over OTLP: with `OTEL_EXPORTER_OTLP_ENDPOINT` set, `ch07-server` and
//! `ch07-client` send their spans to an OpenTelemetry collector, and the collector sees one
//! trace across the two processes.
//!
//! The collector here is the real OTLP/gRPC service, `TraceService/Export` from the
//! OpenTelemetry protos, answering on an ephemeral port and handing each export to the test:
//! what Jaeger or the OpenTelemetry Collector would receive.

use std::time::Duration;

use common::local::LocalServer;
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value;
use opentelemetry_proto::tonic::trace::v1::Span;
use opentelemetry_proto::tonic::trace::v1::span::SpanKind;
use test_support::process::ServerProcess;
use tokio::sync::mpsc;
use tonic::transport::Server;
use tonic::{Request, Response, Status};

/// How long the test waits for the spans to arrive.
const PATIENCE: Duration = Duration::from_secs(30);

/// A collector that passes every span it receives on, with its resource's `service.name`.
struct Collector(mpsc::UnboundedSender<(String, Span)>);

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: Request<ExportTraceServiceRequest>,
    ) -> Result<Response<ExportTraceServiceResponse>, Status> {
        for resource_spans in request.into_inner().resource_spans {
            let service = resource_spans
                .resource
                .iter()
                .flat_map(|resource| &resource.attributes)
                .find(|attribute| attribute.key == "service.name")
                .and_then(|attribute| attribute.value.as_ref()?.value.clone());
            let Some(any_value::Value::StringValue(service)) = service else {
                return Err(Status::invalid_argument("a resource without service.name"));
            };
            for scope_spans in resource_spans.scope_spans {
                for span in scope_spans.spans {
                    let _ = self.0.send((service.clone(), span));
                }
            }
        }
        Ok(Response::new(ExportTraceServiceResponse::default()))
    }
}

/// The spans the collector receives, kept as they arrive.
struct Received {
    spans: mpsc::UnboundedReceiver<(String, Span)>,
    kept: Vec<(String, Span)>,
}

impl Received {
    /// The span named `name` from `service`, waiting for it if it has not arrived yet
    /// (spans arrive in the order they end: a round's calls before the round).
    async fn span(&mut self, service: &str, name: &str) -> Span {
        let found = |(from, span): &(String, Span)| from == service && span.name == name;
        tokio::time::timeout(PATIENCE, async {
            loop {
                if let Some((_, span)) = self.kept.iter().find(|kept| found(kept)) {
                    return span.clone();
                }
                let span = self.spans.recv().await.expect("the collector is running");
                self.kept.push(span);
            }
        })
        .await
        .unwrap_or_else(|_| panic!("no span {name} from {service} within {PATIENCE:?}"))
    }
}

#[tokio::test]
async fn both_binaries_send_one_trace_to_the_collector() {
    let (received, spans) = mpsc::unbounded_channel();
    let mut spans = Received {
        spans,
        kept: Vec::new(),
    };
    let collector = LocalServer::start(|listener, shutdown| {
        Server::builder()
            .add_service(TraceServiceServer::new(Collector(received)))
            .serve_with_incoming_shutdown(
                tokio_stream::wrappers::TcpListenerStream::new(listener),
                shutdown.wait(),
            )
    })
    .await
    .expect("bind 127.0.0.1:0");
    let otlp = [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.http_uri()),
        // Export each batch after 100 ms rather than the default 5 s.
        ("OTEL_BSP_SCHEDULE_DELAY", "100".to_owned()),
    ];

    let server = ServerProcess::spawn_with_env(
        env!("CARGO_BIN_EXE_ch07-server"),
        ["--metrics-addr", "127.0.0.1:0"],
        otlp.clone(),
    )
    .await;
    assert!(
        server
            .lines_before_start()
            .iter()
            .any(|line| line.contains("Exporting spans over OTLP to http://127.0.0.1:")),
        "{:?}",
        server.lines_before_start()
    );
    let client = tokio::process::Command::new(env!("CARGO_BIN_EXE_ch07-client"))
        .args(["--addr", server.addr(), "--metrics-addr", "127.0.0.1:0"])
        .args(["--rounds", "1"])
        .envs(otlp)
        .output()
        .await
        .expect("run ch07-client");
    assert!(client.status.success(), "{client:?}");

    let round = spans
        .span("product_info_client", "ecommerce.ProductInfoClient")
        .await;
    let call = "ecommerce.ProductInfo/addProduct";
    let client_call = spans.span("product_info_client", call).await;
    let server_call = spans.span("product_info", call).await;
    assert_eq!(client_call.parent_span_id, round.span_id);
    assert_eq!(server_call.parent_span_id, client_call.span_id);
    assert_eq!(server_call.trace_id, round.trace_id);
    assert_eq!(client_call.kind, SpanKind::Client as i32);
    assert_eq!(server_call.kind, SpanKind::Server as i32);

    assert!(server.terminate().await.success());
}
