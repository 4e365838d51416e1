//! The chapter's server: chapter 2's ProductInfo as it would run in production, with the
//! health service Kubernetes probes, Prometheus metrics and OpenTelemetry spans.

use std::future::Future;

use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch02_productinfo::MAX_MESSAGE_SIZE;
use opentelemetry_sdk::trace::SdkTracer;
use prometheus::Registry;
use tokio::net::TcpListener;

use crate::metrics::business::CountedProductInfo;
use crate::metrics::grpc::{GrpcMetrics, Side};
use crate::metrics::layer::MetricsLayer;
use crate::telemetry::layer::TracingLayer;

/// The server's observed parts: the gRPC series' layer and the service that keeps the
/// business counter, both registered in one registry, and the layer that traces each call.
#[derive(Debug)]
pub struct ObservableServer {
    metrics: MetricsLayer,
    tracing: TracingLayer,
    service: CountedProductInfo,
}

impl ObservableServer {
    /// Registers the server's series in `registry`; spans are opened with `tracer`.
    pub fn new(registry: &Registry, tracer: SdkTracer) -> prometheus::Result<Self> {
        Ok(Self {
            metrics: MetricsLayer::new(GrpcMetrics::register(Side::Server, registry)?),
            tracing: TracingLayer::server(tracer),
            service: CountedProductInfo::register(registry)?,
        })
    }

    /// Serves ProductInfo and `grpc.health.v1.Health` on `listener` until `shutdown`
    /// completes. Health answers SERVING for the whole server (`""`) and for
    /// `ecommerce.ProductInfo` as long as the server runs: what the Kubernetes probes in
    /// `deploy/k8s/server.yaml` ask.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), tonic::transport::Error> {
        let (health, health_service) = tonic_health::server::health_reporter();
        health
            .set_serving::<ProductInfoServer<CountedProductInfo>>()
            .await;
        common::server::builder()
            .layer(self.metrics)
            .layer(self.tracing)
            .add_service(health_service)
            .add_service(
                ProductInfoServer::new(self.service).max_decoding_message_size(MAX_MESSAGE_SIZE),
            )
            .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
            .await
    }
}
