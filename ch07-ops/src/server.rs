//! The chapter's server: chapter 2's ProductInfo with metrics (book section "메트릭").

use std::future::Future;

use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch02_productinfo::MAX_MESSAGE_SIZE;
use prometheus::Registry;
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

use crate::metrics::business::CountedProductInfo;
use crate::metrics::grpc::{GrpcMetrics, Side};
use crate::metrics::layer::MetricsLayer;

/// The server's metered parts, registered in one registry: the gRPC series' layer and the
/// service that keeps the business counter.
#[derive(Debug)]
pub struct MeteredServer {
    layer: MetricsLayer,
    service: CountedProductInfo,
}

impl MeteredServer {
    /// Registers the server's series in `registry`.
    pub fn register(registry: &Registry) -> prometheus::Result<Self> {
        Ok(Self {
            layer: MetricsLayer::new(GrpcMetrics::register(Side::Server, registry)?),
            service: CountedProductInfo::register(registry)?,
        })
    }

    /// Serves ProductInfo on `listener` until `shutdown` completes, as chapter 2's `serve`.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), tonic::transport::Error> {
        let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
        Server::builder()
            .layer(self.layer)
            .add_service(
                ProductInfoServer::new(self.service).max_decoding_message_size(MAX_MESSAGE_SIZE),
            )
            .serve_with_incoming_shutdown(incoming, shutdown)
            .await
    }
}
