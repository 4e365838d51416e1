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
use exercises::expect::{Sent, describe_status, sent};
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

/// `Check(service)`'s answer.
async fn check(call: &Sent, client: &mut HealthClient<Channel>, service: &str) -> ServingStatus {
    call.expect_ok(
        client
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await,
    )
    .into_inner()
    .status()
}

/// Checks that `Check(service)` answers `wanted`; `why` is added to the expectation.
async fn expect_check(
    call: &Sent,
    client: &mut HealthClient<Channel>,
    service: &str,
    wanted: ServingStatus,
    why: &str,
) {
    let status = check(call, client, service).await;
    call.expect(
        status == wanted,
        format!("Check({service:?}) says {wanted:?}{why}"),
        status,
    );
}

async fn watch_health(
    call: &Sent,
    client: &mut HealthClient<Channel>,
    service: &str,
) -> Streaming<HealthCheckResponse> {
    call.expect_ok(
        client
            .watch(HealthCheckRequest {
                service: service.into(),
            })
            .await,
    )
    .into_inner()
}

/// Reads `stream` until it says `wanted`; fails when it does not within [`PATIENCE`], or
/// when the watch fails or ends.
async fn wait_for(
    call: &Sent,
    stream: &mut Streaming<HealthCheckResponse>,
    service: &str,
    wanted: ServingStatus,
) {
    let expected = format!("Watch({service:?}) says {wanted:?} within {PATIENCE:?}");
    let mut said = Vec::new();
    let waited = tokio::time::timeout(PATIENCE, async {
        loop {
            match stream.message().await {
                Ok(Some(update)) => {
                    said.push(update.status());
                    if update.status() == wanted {
                        return Ok(());
                    }
                }
                Ok(None) => return Err("the watch ended".to_owned()),
                Err(status) => return Err(describe_status(&status)),
            }
        }
    })
    .await;
    match waited {
        Ok(Ok(())) => {}
        Ok(Err(ended)) => call.fail(expected, format!("it said {said:?}, then {ended}")),
        Err(_) => call.fail(expected, format!("it said {said:?}, and nothing more")),
    }
}

async fn add_a_product(call: &Sent, channel: Channel) {
    call.expect_ok(
        ProductInfoClient::new(channel)
            .add_product(Product {
                name: "Apple iPhone 11".into(),
                price: 699.0,
                ..Product::default()
            })
            .await,
    );
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
    let call = sent("Check(\"\") and Check(\"ecommerce.ProductInfo\") to a server just started");

    expect_check(&call, &mut client, WHOLE_SERVER, ServingStatus::Serving, "").await;
    expect_check(&call, &mut client, PRODUCT_INFO, ServingStatus::Serving, "").await;
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
    let call = sent("Check(\"\"), Check(\"ecommerce.ProductInfo\") and addProduct after drain()");
    expect_check(
        &call,
        &mut client,
        WHOLE_SERVER,
        ServingStatus::NotServing,
        ": the whole server drains, and that is what Kubernetes and load balancers ask",
    )
    .await;
    expect_check(
        &call,
        &mut client,
        PRODUCT_INFO,
        ServingStatus::NotServing,
        "",
    )
    .await;
    add_a_product(&call, server.channel()).await;

    resume(&reporter).await;
    let call =
        sent("Check(\"\") and Check(\"ecommerce.ProductInfo\") after drain(), then resume()");
    expect_check(&call, &mut client, WHOLE_SERVER, ServingStatus::Serving, "").await;
    expect_check(&call, &mut client, PRODUCT_INFO, ServingStatus::Serving, "").await;

    let call = sent("Check(\"no.such.Service\"), a service the server does not have");
    call.expect_code(
        client
            .check(HealthCheckRequest {
                service: "no.such.Service".into(),
            })
            .await,
        Code::NotFound,
    );
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
    let call = sent(
        "Watch(\"\") and Watch(\"ecommerce.ProductInfo\") on a server started with the switch off",
    );
    let mut whole = watch_health(&call, &mut client, WHOLE_SERVER).await;
    let mut product_info = watch_health(&call, &mut client, PRODUCT_INFO).await;
    wait_for(&call, &mut whole, WHOLE_SERVER, ServingStatus::Serving).await;
    wait_for(
        &call,
        &mut product_info,
        PRODUCT_INFO,
        ServingStatus::Serving,
    )
    .await;

    let call = sent(
        "the drain switch turned on, with Watch(\"\") and Watch(\"ecommerce.ProductInfo\") open",
    );
    if switch.send(true).is_err() {
        call.fail(
            "a server that follows the drain switch",
            "a server that dropped the switch's receiver: nobody watches it",
        );
    }
    wait_for(&call, &mut whole, WHOLE_SERVER, ServingStatus::NotServing).await;
    wait_for(
        &call,
        &mut product_info,
        PRODUCT_INFO,
        ServingStatus::NotServing,
    )
    .await;
    add_a_product(&call, server.channel()).await;

    let call = sent("the drain switch turned back off, with the watches open");
    if switch.send(false).is_err() {
        call.fail(
            "a server that follows the drain switch",
            "a server that dropped the switch's receiver: nobody watches it",
        );
    }
    wait_for(&call, &mut whole, WHOLE_SERVER, ServingStatus::Serving).await;
    wait_for(
        &call,
        &mut product_info,
        PRODUCT_INFO,
        ServingStatus::Serving,
    )
    .await;

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
    let call = sent(
        "Watch(\"\") and Watch(\"ecommerce.ProductInfo\") on a server started with the switch on",
    );
    let mut whole = watch_health(&call, &mut client, WHOLE_SERVER).await;
    let mut product_info = watch_health(&call, &mut client, PRODUCT_INFO).await;

    wait_for(&call, &mut whole, WHOLE_SERVER, ServingStatus::NotServing).await;
    wait_for(
        &call,
        &mut product_info,
        PRODUCT_INFO,
        ServingStatus::NotServing,
    )
    .await;

    drop((whole, product_info));
    server.stop().await.expect("the server stops");
}
