//! Exercise ch08/02 · 드레인 중인 서버의 헬스 체크 (Health checking while draining). The task is
//! in `README.md` beside this file; the checks are `tests/ch08_drain_health.rs`.
//!
//! Before an instance is taken out of service it is *drained*: it keeps answering the calls
//! it gets, but tells health checkers NOT_SERVING so that load balancers stop sending it
//! new ones. [`health`] creates the `grpc.health.v1.Health` service (tonic-health) and the
//! reporter that sets what it answers; [`serve`] runs ProductInfo and health, and has
//! [`follow`] apply an operator's drain switch. [`drain`], [`resume`] and [`follow`] are
//! not written yet.

use std::future::Future;

use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch02_productinfo::ProductInfoService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic_health::pb::health_server::{Health, HealthServer};
use tonic_health::server::HealthReporter;

/// The health service, and the reporter that sets what it answers: SERVING for the whole
/// server (the name `""`) and for `ecommerce.ProductInfo`.
pub async fn health() -> (HealthReporter, HealthServer<impl Health>) {
    let (reporter, service) = tonic_health::server::health_reporter();
    // tonic-health reports the whole server, `""`, as SERVING from the start.
    reporter
        .set_serving::<ProductInfoServer<ProductInfoService>>()
        .await;
    (reporter, service)
}

/// Starts draining: the whole server and ProductInfo report NOT_SERVING.
pub async fn drain(_reporter: &HealthReporter) {
    // EXERCISE: set NOT_SERVING for `ecommerce.ProductInfo` and for the whole server, `""`.
}

/// Stops draining: the whole server and ProductInfo report SERVING again.
pub async fn resume(_reporter: &HealthReporter) {
    // EXERCISE: set SERVING for both again.
}

/// Keeps the health that `reporter` sets in line with `switch` (`true`: draining) until the
/// switch's sender is dropped; what was set last then stays.
pub async fn follow(_reporter: HealthReporter, _switch: watch::Receiver<bool>) {
    // EXERCISE: apply the switch's value as it is now, then each new value it takes.
}

/// Serves ProductInfo and health on `listener` until `shutdown` completes, draining while
/// `switch` says `true`.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
    switch: watch::Receiver<bool>,
) -> Result<(), tonic::transport::Error> {
    let (reporter, health_service) = health().await;
    let following = tokio::spawn(follow(reporter, switch));
    let served = Server::builder()
        .add_service(ProductInfoServer::new(ProductInfoService::default()))
        .add_service(health_service)
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await;
    following.abort();
    served
}
