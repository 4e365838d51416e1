//! The chapter's client: chapter 2's client flow through a channel with metrics and spans.

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use common::channel::Channel;
use opentelemetry_sdk::trace::SdkTracer;
use prometheus::Registry;
use tower::ServiceBuilder;

use crate::metrics::grpc::{GrpcMetrics, Side};
use crate::metrics::layer::{Metered, MetricsLayer};
use crate::telemetry::layer::{Traced, TracingLayer};

/// The book's name for the span around one round of the client (add, then get).
pub const ROUND_SPAN: &str = "ecommerce.ProductInfoClient";

/// A ProductInfo client whose calls are counted in `registry`'s `grpc_client_*` series and
/// traced with `tracer`, each call's span a child of the caller's current span.
pub fn observable_client(
    channel: Channel,
    registry: &Registry,
    tracer: SdkTracer,
) -> prometheus::Result<ProductInfoClient<Metered<Traced<Channel>>>> {
    Ok(ClientLayers::new(registry, tracer)?.client(channel))
}

/// The layers of [`observable_client`], registered once and put around any number of
/// channels: the balancing client makes a client per backend it picks, all counted in the
/// same series.
#[derive(Debug, Clone)]
pub struct ClientLayers {
    metrics: MetricsLayer,
    tracing: TracingLayer,
}

impl ClientLayers {
    /// Registers the `grpc_client_*` series in `registry`; spans are opened with `tracer`.
    pub fn new(registry: &Registry, tracer: SdkTracer) -> prometheus::Result<Self> {
        Ok(Self {
            metrics: MetricsLayer::new(GrpcMetrics::register(Side::Client, registry)?),
            tracing: TracingLayer::client(tracer),
        })
    }

    /// A ProductInfo client on `channel`, counted and traced.
    pub fn client(&self, channel: Channel) -> ProductInfoClient<Metered<Traced<Channel>>> {
        let service = ServiceBuilder::new()
            .layer(self.metrics.clone())
            .layer(self.tracing.clone())
            .service(channel);
        ProductInfoClient::new(service)
    }
}
