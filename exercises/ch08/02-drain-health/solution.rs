//! Exercise ch08/02 · 드레인 중인 서버의 헬스 체크 (Health checking while draining): a reference
//! solution.
//!
//! Draining changes what health says, not what the server does: ProductInfo keeps answering,
//! so calls already routed here (and clients slow to notice) still succeed, while checkers
//! and load balancers see NOT_SERVING and send new calls elsewhere. Both names are set: the
//! service's, for clients that check the service they use, and the whole server's, `""`,
//! which is what Kubernetes probes and most load balancers ask. `Watch` streams see each
//! change as it is set; tonic-health sends it to them.

use std::future::Future;

use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch02_productinfo::ProductInfoService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tonic::server::NamedService;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic_health::ServingStatus;
use tonic_health::pb::health_server::{Health, HealthServer};
use tonic_health::server::HealthReporter;

/// The name health checks take for the whole server.
const WHOLE_SERVER: &str = "";

/// ProductInfo's name in health checks, `ecommerce.ProductInfo`, from the generated server.
const PRODUCT_INFO: &str = <ProductInfoServer<ProductInfoService> as NamedService>::NAME;

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
pub async fn drain(reporter: &HealthReporter) {
    set_all(reporter, ServingStatus::NotServing).await;
    tracing::info!("Health: NOT_SERVING, draining");
}

/// Stops draining: the whole server and ProductInfo report SERVING again.
pub async fn resume(reporter: &HealthReporter) {
    set_all(reporter, ServingStatus::Serving).await;
    tracing::info!("Health: SERVING");
}

/// Sets `status` for every service of the server, then for the whole server: a checker that
/// sees the whole server's new status can rely on the services' being set already.
async fn set_all(reporter: &HealthReporter, status: ServingStatus) {
    reporter.set_service_status(PRODUCT_INFO, status).await;
    reporter.set_service_status(WHOLE_SERVER, status).await;
}

/// Keeps the health that `reporter` sets in line with `switch` (`true`: draining) until the
/// switch's sender is dropped; what was set last then stays.
pub async fn follow(reporter: HealthReporter, mut switch: watch::Receiver<bool>) {
    loop {
        // `borrow_and_update` marks the value seen, so `changed` below waits for the next
        // one; a value set while this one was being applied is not missed.
        let draining = *switch.borrow_and_update();
        if draining {
            drain(&reporter).await;
        } else {
            resume(&reporter).await;
        }
        if switch.changed().await.is_err() {
            // The sender is gone: nobody can flip the switch any more.
            return;
        }
    }
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
