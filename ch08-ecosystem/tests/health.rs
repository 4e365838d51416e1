//! Health checking: Check and Watch for the whole server and per service, reflecting the
//! server's real state.

use ch08_ecosystem::serve;
use common::channel::Channel;
use common::local::LocalServer;
use futures::StreamExt;
use tonic::Code;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

fn request(service: &str) -> HealthCheckRequest {
    HealthCheckRequest {
        service: service.into(),
    }
}

async fn check(channel: Channel, service: &str) -> Result<ServingStatus, tonic::Status> {
    let response = HealthClient::new(channel).check(request(service)).await?;
    Ok(response.into_inner().status())
}

#[tokio::test]
async fn check_answers_for_the_server_and_each_service() {
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait()))
        .await
        .expect("server starts");

    for service in ["", "ecommerce.ProductInfo"] {
        let status = check(server.channel(), service)
            .await
            .expect("check succeeds");
        assert_eq!(status, ServingStatus::Serving, "service {service:?}");
    }
    let unknown = check(server.channel(), "ecommerce.Nope")
        .await
        .expect_err("an unknown service is an error");
    assert_eq!(unknown.code(), Code::NotFound);

    server.stop().await.expect("server stops cleanly");
}

#[tokio::test]
async fn watch_sees_not_serving_when_shutdown_begins() {
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait()))
        .await
        .expect("server starts");
    let mut client = HealthClient::new(server.channel());
    let mut whole = client.watch(request("")).await.expect("watch").into_inner();
    let mut product = client
        .watch(request("ecommerce.ProductInfo"))
        .await
        .expect("watch")
        .into_inner();

    for stream in [&mut whole, &mut product] {
        let first = stream
            .next()
            .await
            .expect("a status")
            .expect("not an error");
        assert_eq!(first.status(), ServingStatus::Serving);
    }

    let stopped = server.request_shutdown();
    for stream in [&mut whole, &mut product] {
        let next = stream
            .next()
            .await
            .expect("a status")
            .expect("not an error");
        assert_eq!(next.status(), ServingStatus::NotServing);
    }

    // The watchers hang up, so the server drains without waiting out its drain timeout.
    drop((whole, product));
    stopped
        .await
        .expect("server task finishes")
        .expect("server stops cleanly");
}

#[tokio::test]
async fn watch_of_an_unknown_service_is_not_found() {
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait()))
        .await
        .expect("server starts");
    let status = HealthClient::new(server.channel())
        .watch(request("ecommerce.Nope"))
        .await
        .expect_err("tonic-health refuses to watch a service it does not know");
    assert_eq!(status.code(), Code::NotFound);
    server.stop().await.expect("server stops cleanly");
}
