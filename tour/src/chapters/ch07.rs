//! Chapter 7: the service as it runs in production: health, a load test, metrics and a trace.

use std::sync::Arc;

use anyhow::{Context as _, ensure};
use ch02_productinfo::client::{FLOW_TIMEOUT, add_then_get, book_product};
use ch05_advanced::loadbalancing::Policy;
use ch07_ops::balancing::{
    DnsBalancer, Resolver, StaticName, add_then_get_balanced, loopback_replicas,
};
use ch07_ops::client::ClientLayers;
use ch07_ops::client::{ROUND_SPAN, observable_client};
use ch07_ops::loadtest::plan::{Method, Plan, Stop};
use ch07_ops::loadtest::{self, Progress};
use ch07_ops::metrics::exporter;
use ch07_ops::server::ObservableServer;
use ch07_ops::telemetry::log_exporter::SpanLine;
use common::deadline::Deadline;
use common::local::LocalServer;
use opentelemetry::Context;
use opentelemetry::context::FutureExt as _;
use opentelemetry::trace::{TraceContextExt as _, Tracer as _, TracerProvider as _};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};
use prometheus::Registry;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use crate::transcript::Transcript;

pub async fn run(transcript: &mut Transcript) -> anyhow::Result<()> {
    // The spans are kept in memory, so the transcript can show them after the calls.
    let spans = InMemorySpanExporter::default();
    let tracer = SdkTracerProvider::builder()
        .with_simple_exporter(spans.clone())
        .build()
        .tracer("tour");
    let server_registry = Registry::new();
    let server = ObservableServer::new(&server_registry, tracer.clone())?;
    let server = LocalServer::start(|listener, shutdown| server.serve(listener, shutdown.wait()))
        .await
        .context("start the ch07 server")?;
    transcript.say(&format!(
        "ch07-server (ProductInfo with health, metrics and tracing) is listening on {}.",
        server.addr()
    ));

    transcript.say("The health check a Kubernetes gRPC probe makes (deploy/k8s/server.yaml):");
    let health = HealthClient::new(server.channel())
        .check(HealthCheckRequest::default())
        .await?
        .into_inner();
    let status = ServingStatus::try_from(health.status)?;
    transcript.output(&format!("status: {}", status.as_str_name()));
    ensure!(status == ServingStatus::Serving, "the server is {status:?}");

    transcript.say("One round of ch07-client, in the book's span `ecommerce.ProductInfoClient`:");
    let mut client = observable_client(server.channel(), &Registry::new(), tracer.clone())?;
    let round = Context::current_with_span(tracer.start(ROUND_SPAN));
    let flow = add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT))
        .with_context(round.clone())
        .await?;
    round.span().end();
    transcript.output(&flow.to_string());

    transcript
        .say("Its spans as they ended; each server span's parent is the client span before it:");
    let finished = spans.get_finished_spans()?;
    for span in &finished {
        transcript.output(&SpanLine(span).to_string());
    }
    let server_add = finished
        .iter()
        .find(|span| span.name == "ecommerce.ProductInfo/addProduct" && span.parent_span_is_remote)
        .context("no server span for addProduct")?;
    ensure!(
        finished
            .iter()
            .any(|span| span.span_context.span_id() == server_add.parent_span_id),
        "the server's span has no parent among the client's"
    );

    transcript.say("ch07-loadtest --method getProduct -n 200 -c 10 (the book's ghz):");
    let plan = Plan {
        method: Method::GetProduct,
        stop: Stop::Total(200),
        concurrency: 10,
        connections: 1,
        rate: None,
        product_id: None,
    };
    let report = loadtest::run(
        &server.addr().to_string(),
        &plan,
        Arc::new(Progress::default()),
    )
    .await?;
    transcript.output(&format!(
        "Count: {}  Status codes: {:?}",
        report.count, report.status_codes
    ));
    ensure!(
        report.status_codes.get("OK") == Some(&200),
        "the load test saw {:?}",
        report.status_codes
    );

    transcript.say("What Prometheus scrapes from :9092/metrics afterwards (counters only):");
    let scrape = exporter::render(&server_registry)?;
    let counters: Vec<&str> = scrape
        .lines()
        .filter(|line| {
            line.starts_with("grpc_server_handled_total") || line.starts_with("product_mgt")
        })
        .collect();
    transcript.output(&counters.join("\n"));
    ensure!(
        counters.contains(&r#"product_mgt_server_handle_count{name="Apple iPhone 11"} 2"#),
        "unexpected business counter: {counters:?}"
    );

    server.stop().await.context("stop the server")?;
    transcript.say("The server stopped gracefully.");
    balanced_replicas(transcript).await
}

/// Three replicas behind one name, as the headless Service `productinfo-headless` lists the
/// pods, and the client's round robin over them (deploy/k8s, src/balancing.rs).
async fn balanced_replicas(transcript: &mut Transcript) -> anyhow::Result<()> {
    const NAME: &str = "productinfo-headless";
    let listeners = loopback_replicas(3)
        .await
        .context("bind 127.0.0.1, .2 and .3")?;
    let port = listeners[0].local_addr()?.port();
    let untraced = SdkTracerProvider::builder().build().tracer("tour");
    let mut replicas = Vec::new();
    for listener in listeners {
        let ip = listener.local_addr()?.ip();
        let registry = Registry::new();
        let server = ObservableServer::new(&registry, untraced.clone())?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(server.serve(listener, async {
            let _ = stopped.await;
        }));
        replicas.push((ip, registry, stop, task));
    }
    transcript.say(&format!(
        "Three replicas on port {port} of 127.0.0.1, .2 and .3, one name for all three (the \
         headless Service's DNS; here --resolve). ch07-client --addr dns:///{NAME}:{port} --lb \
         round_robin, three rounds:"
    ));
    let resolver = Resolver::new([StaticName {
        name: NAME.to_owned(),
        ips: replicas.iter().map(|(ip, ..)| *ip).collect(),
    }]);
    let mut balancer = DnsBalancer::resolve(NAME, port, resolver, Policy::RoundRobin).await?;
    let layers = ClientLayers::new(&Registry::new(), untraced)?;
    for _ in 0..3 {
        let routed = add_then_get_balanced(
            &mut balancer,
            &layers,
            book_product(),
            Deadline::after(FLOW_TIMEOUT),
        )
        .await?;
        let added = routed.to_string();
        transcript.output(added.lines().next().unwrap_or_default());
    }
    transcript.say("What each replica counted, one round each:");
    for (ip, registry, stop, task) in replicas {
        let scrape = exporter::render(&registry)?;
        let added = scrape
            .lines()
            .find(|line| {
                line.starts_with(
                    r#"grpc_server_handled_total{grpc_code="OK",grpc_method="addProduct""#,
                )
            })
            .context(format!("{ip} counted no addProduct"))?;
        transcript.output(&format!("{ip}:{port} {added}"));
        ensure!(added.ends_with(" 1"), "{ip} counted {added}, not one round");
        let _ = stop.send(());
        task.await?.context("stop a replica")?;
    }
    Ok(())
}
