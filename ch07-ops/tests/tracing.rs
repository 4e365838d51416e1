//! Traces across the wire (book section "추적", Tracing): the server's span for a call is the
//! child of the client's span for it, because the client's layer sends a W3C `traceparent`
//! in the call's metadata and the server's layer reads it.
//!
//! Both sides export into one in-memory exporter, so the test sees the whole trace as a
//! backend would, and checks its shape: which span is whose parent, what they are named and
//! how each call ended.

use book_proto::ecommerce::ProductId;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch02_productinfo::client::{FLOW_TIMEOUT, add_then_get, book_product};
use ch07_ops::client::{ROUND_SPAN, observable_client};
use ch07_ops::server::ObservableServer;
use ch07_ops::telemetry::layer::STATUS_CODE_ATTRIBUTE;
use common::channel::Channel;
use common::deadline::Deadline;
use common::local::LocalServer;
use opentelemetry::context::FutureExt as _;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry::trace::{SpanId, SpanKind, Status, TraceContextExt as _, Tracer as _};
use opentelemetry::{Context, Value};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracer, SdkTracerProvider, SpanData};
use prometheus::Registry;

/// A tracer that exports each span into `exporter` as soon as it ends.
fn tracer(exporter: &InMemorySpanExporter, name: &'static str) -> SdkTracer {
    SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build()
        .tracer(name)
}

/// Chapter 7's server, traced into `exporter`, on an ephemeral port.
async fn traced_server(exporter: &InMemorySpanExporter) -> LocalServer<tonic::transport::Error> {
    let server = ObservableServer::new(&Registry::new(), tracer(exporter, "server"))
        .expect("register the metrics");
    LocalServer::start(|listener, shutdown| server.serve(listener, shutdown.wait()))
        .await
        .expect("bind 127.0.0.1:0")
}

/// The one finished span named `name` of kind `kind`.
fn span<'a>(spans: &'a [SpanData], name: &str, kind: SpanKind) -> &'a SpanData {
    let mut found = spans
        .iter()
        .filter(|span| span.name == name && span.span_kind == kind);
    let span = found
        .next()
        .unwrap_or_else(|| panic!("no {kind:?} span {name} in {spans:#?}"));
    assert!(found.next().is_none(), "two {kind:?} spans {name}");
    span
}

/// The value of the span's attribute `key`.
fn attribute<'a>(span: &'a SpanData, key: &str) -> &'a Value {
    &span
        .attributes
        .iter()
        .find(|attribute| attribute.key.as_str() == key)
        .unwrap_or_else(|| panic!("{} has no {key}: {span:#?}", span.name))
        .value
}

#[tokio::test]
async fn the_server_span_is_a_child_of_the_client_span() {
    let exporter = InMemorySpanExporter::default();
    let server = traced_server(&exporter).await;
    let client_tracer = tracer(&exporter, "client");
    let mut client = observable_client(server.channel(), &Registry::new(), client_tracer.clone())
        .expect("register the metrics");

    // One round of the book's client, inside its span.
    let round = Context::current_with_span(client_tracer.start(ROUND_SPAN));
    add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT))
        .with_context(round.clone())
        .await
        .expect("the flow succeeds");
    round.span().end();

    let spans = exporter.get_finished_spans().expect("the exporter works");
    assert_eq!(
        spans.len(),
        5,
        "a round, two client calls, two server calls"
    );
    let round = span(&spans, ROUND_SPAN, SpanKind::Internal);
    for method in ["addProduct", "getProduct"] {
        let name = format!("ecommerce.ProductInfo/{method}");
        let client = span(&spans, &name, SpanKind::Client);
        let server = span(&spans, &name, SpanKind::Server);

        assert_eq!(client.parent_span_id, round.span_context.span_id());
        assert_eq!(server.parent_span_id, client.span_context.span_id());
        assert!(
            server.parent_span_is_remote,
            "the parent came over the wire"
        );
        for side in [client, server] {
            assert_eq!(side.span_context.trace_id(), round.span_context.trace_id());
            assert_eq!(attribute(side, "rpc.system"), &Value::from("grpc"));
            assert_eq!(
                attribute(side, "rpc.service"),
                &Value::from("ecommerce.ProductInfo")
            );
            assert_eq!(attribute(side, "rpc.method"), &Value::from(method));
            assert_eq!(attribute(side, STATUS_CODE_ATTRIBUTE), &Value::I64(0));
            assert_eq!(side.status, Status::Unset);
        }
        // The server's span lies within the client's.
        assert!(client.start_time <= server.start_time && server.end_time <= client.end_time);
    }
}

#[tokio::test]
async fn a_failed_call_is_an_error_for_the_client_only() {
    let exporter = InMemorySpanExporter::default();
    let server = traced_server(&exporter).await;
    let mut client = observable_client(
        server.channel(),
        &Registry::new(),
        tracer(&exporter, "client"),
    )
    .expect("register the metrics");

    let missing = client
        .get_product(ProductId {
            value: "no-such-id".into(),
        })
        .await
        .expect_err("the id is unknown");
    assert_eq!(missing.code(), tonic::Code::NotFound);

    let spans = exporter.get_finished_spans().expect("the exporter works");
    let name = "ecommerce.ProductInfo/getProduct";
    let client = span(&spans, name, SpanKind::Client);
    let server = span(&spans, name, SpanKind::Server);
    for side in [client, server] {
        assert_eq!(attribute(side, STATUS_CODE_ATTRIBUTE), &Value::I64(5));
    }
    // OpenTelemetry's RPC conventions: NOT_FOUND is the client's failure, and the server's
    // correct answer.
    let Status::Error { description } = &client.status else {
        panic!("the client's span is not an error: {:?}", client.status);
    };
    assert!(description.starts_with("NOT_FOUND: "), "{description}");
    assert_eq!(server.status, Status::Unset);
}

#[tokio::test]
async fn a_call_without_trace_context_starts_a_new_trace() {
    let exporter = InMemorySpanExporter::default();
    let server = traced_server(&exporter).await;
    // A client with no tracing at all, like the book's plain Go client.
    let mut client = ProductInfoClient::<Channel>::new(server.channel());

    add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT))
        .await
        .expect("the flow succeeds");

    let spans = exporter.get_finished_spans().expect("the exporter works");
    assert_eq!(spans.len(), 2, "only the server's spans: {spans:#?}");
    let add = span(&spans, "ecommerce.ProductInfo/addProduct", SpanKind::Server);
    let get = span(&spans, "ecommerce.ProductInfo/getProduct", SpanKind::Server);
    assert_eq!(add.parent_span_id, SpanId::INVALID);
    assert_ne!(add.span_context.trace_id(), get.span_context.trace_id());
}
