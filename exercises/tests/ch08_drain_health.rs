//! Checks for exercise ch08/02, 드레인 중인 서버의 헬스 체크 (Health checking while draining).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch08_drain_health -- --include-ignored`.
//!
//! The checks ask over gRPC, as a load balancer or `grpc_health_probe` would: `Check` for the
//! status now, `Watch` for the changes as they come.

use std::time::Duration;

use book_proto::ecommerce::Product;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch02_productinfo::ProductInfoService;
use common::channel::Channel;
use exercises::ch08::drain_health::{drain, health, resume, serve};
use exercises::harness::{self, LocalServer};
use tokio::sync::watch;
use tonic::{Code, Streaming};
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::{HealthCheckRequest, HealthCheckResponse};

const WHOLE_SERVER: &str = "";
const PRODUCT_INFO: &str = "ecommerce.ProductInfo";

/// How long a watcher waits for a change before the test fails: far longer than applying a
/// switch takes, even on a busy machine.
const PATIENCE: Duration = Duration::from_secs(10);

async fn check(client: &mut HealthClient<Channel>, service: &str) -> ServingStatus {
    client
        .check(HealthCheckRequest {
            service: service.into(),
        })
        .await
        .unwrap_or_else(|status| panic!("Check({service:?}) failed: {status:?}"))
        .into_inner()
        .status()
}

async fn watch_health(
    client: &mut HealthClient<Channel>,
    service: &str,
) -> Streaming<HealthCheckResponse> {
    client
        .watch(HealthCheckRequest {
            service: service.into(),
        })
        .await
        .unwrap_or_else(|status| panic!("Watch({service:?}) failed: {status:?}"))
        .into_inner()
}

/// Reads `stream` until it says `wanted`; fails when it does not within [`PATIENCE`].
async fn wait_for(
    stream: &mut Streaming<HealthCheckResponse>,
    service: &str,
    wanted: ServingStatus,
) {
    let mut said = Vec::new();
    let waited = tokio::time::timeout(PATIENCE, async {
        loop {
            let update = stream
                .message()
                .await
                .expect("the watch goes on")
                .expect("the watch does not end");
            said.push(update.status());
            if update.status() == wanted {
                return;
            }
        }
    })
    .await;
    assert!(
        waited.is_ok(),
        "Watch({service:?}) never said {wanted:?}; it said {said:?}"
    );
}

async fn add_a_product(channel: Channel) {
    ProductInfoClient::new(channel)
        .add_product(Product {
            name: "Apple iPhone 11".into(),
            price: 699.0,
            ..Product::default()
        })
        .await
        .expect("ProductInfo still answers");
}

/// ProductInfo and the student's health service on one server, with its reporter.
async fn start_with_reporter() -> (
    LocalServer<tonic::transport::Error>,
    tonic_health::server::HealthReporter,
) {
    let (reporter, health_service) = health().await;
    let routes = tonic::service::Routes::new(ProductInfoServer::new(ProductInfoService::default()))
        .add_service(health_service);
    let server = harness::start(routes).await.expect("bind a loopback port");
    (server, reporter)
}

async fn start_with_switch(
    draining: bool,
) -> (LocalServer<tonic::transport::Error>, watch::Sender<bool>) {
    let (switch, follower) = watch::channel(draining);
    let server =
        LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait(), follower))
            .await
            .expect("bind a loopback port");
    (server, switch)
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_new_server_is_serving() {
    let (server, _reporter) = start_with_reporter().await;
    let mut client = HealthClient::new(server.channel());

    assert_eq!(
        check(&mut client, WHOLE_SERVER).await,
        ServingStatus::Serving
    );
    assert_eq!(
        check(&mut client, PRODUCT_INFO).await,
        ServingStatus::Serving
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_draining_server_says_not_serving_and_still_serves() {
    let (server, reporter) = start_with_reporter().await;
    let mut client = HealthClient::new(server.channel());

    drain(&reporter).await;
    assert_eq!(
        check(&mut client, WHOLE_SERVER).await,
        ServingStatus::NotServing,
        "the whole server drains: that is what Kubernetes and load balancers ask"
    );
    assert_eq!(
        check(&mut client, PRODUCT_INFO).await,
        ServingStatus::NotServing
    );
    add_a_product(server.channel()).await;

    resume(&reporter).await;
    assert_eq!(
        check(&mut client, WHOLE_SERVER).await,
        ServingStatus::Serving
    );
    assert_eq!(
        check(&mut client, PRODUCT_INFO).await,
        ServingStatus::Serving
    );

    let unknown = client
        .check(HealthCheckRequest {
            service: "no.such.Service".into(),
        })
        .await
        .expect_err("a service the server does not have");
    assert_eq!(unknown.code(), Code::NotFound);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn watchers_see_the_switch_flipped_and_back() {
    let (server, switch) = start_with_switch(false).await;
    let mut client = HealthClient::new(server.channel());
    let mut whole = watch_health(&mut client, WHOLE_SERVER).await;
    let mut product_info = watch_health(&mut client, PRODUCT_INFO).await;
    wait_for(&mut whole, WHOLE_SERVER, ServingStatus::Serving).await;
    wait_for(&mut product_info, PRODUCT_INFO, ServingStatus::Serving).await;

    switch.send(true).expect("the server follows the switch");
    wait_for(&mut whole, WHOLE_SERVER, ServingStatus::NotServing).await;
    wait_for(&mut product_info, PRODUCT_INFO, ServingStatus::NotServing).await;
    add_a_product(server.channel()).await;

    switch.send(false).expect("the server follows the switch");
    wait_for(&mut whole, WHOLE_SERVER, ServingStatus::Serving).await;
    wait_for(&mut product_info, PRODUCT_INFO, ServingStatus::Serving).await;

    // A watch never ends on its own; the server's graceful shutdown waits for open calls.
    drop((whole, product_info));
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_server_started_with_the_switch_on_is_draining() {
    let (server, _switch) = start_with_switch(true).await;
    let mut client = HealthClient::new(server.channel());
    let mut whole = watch_health(&mut client, WHOLE_SERVER).await;
    let mut product_info = watch_health(&mut client, PRODUCT_INFO).await;

    wait_for(&mut whole, WHOLE_SERVER, ServingStatus::NotServing).await;
    wait_for(&mut product_info, PRODUCT_INFO, ServingStatus::NotServing).await;

    drop((whole, product_info));
    server.stop().await.expect("the server stops");
}
