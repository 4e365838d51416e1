//! The chapter's client: chapter 2's client flow through a channel with metrics.

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use prometheus::Registry;
use tonic::transport::Channel;
use tower::Layer;

use crate::metrics::grpc::{GrpcMetrics, Side};
use crate::metrics::layer::{Metered, MetricsLayer};

/// A ProductInfo client whose calls are counted in `registry`'s `grpc_client_*` series.
pub fn metered_client(
    channel: Channel,
    registry: &Registry,
) -> prometheus::Result<ProductInfoClient<Metered<Channel>>> {
    let layer = MetricsLayer::new(GrpcMetrics::register(Side::Client, registry)?);
    Ok(ProductInfoClient::new(layer.layer(channel)))
}
