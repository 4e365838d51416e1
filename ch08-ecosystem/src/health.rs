//! Health checking (「헬스 체크」): `grpc.health.v1.Health`, tied to the server's real state.
//!
//! The protocol has two calls. `Check` answers once with the status of a service, or of the
//! whole server for the empty name `""`; a name the server does not know gets NOT_FOUND.
//! `Watch` answers with the current status and then with every change, which is how a load
//! balancer learns that a server is going away without polling.
//!
//! tonic-health keeps the statuses; [`ServerHealth`] decides them: SERVING once the services
//! are added, NOT_SERVING as soon as shutdown begins, while calls in flight still finish.

use crate::product_info;
use tonic_health::ServingStatus;
use tonic_health::pb::health_server::{Health, HealthServer};
use tonic_health::server::HealthReporter;

/// The name Check and Watch take for the whole server.
pub const WHOLE_SERVER: &str = "";

/// The server's side of health checking: the reporter that sets the statuses served by the
/// `grpc.health.v1.Health` service it was created with.
#[derive(Clone)]
pub struct ServerHealth {
    reporter: HealthReporter,
}

impl ServerHealth {
    /// A health service reporting the whole server and ProductInfo as SERVING.
    pub async fn serving() -> (Self, HealthServer<impl Health>) {
        let (reporter, service) = tonic_health::server::health_reporter();
        reporter.set_serving::<product_info::Server>().await;
        (Self { reporter }, service)
    }

    /// Marks the whole server and each of its services NOT_SERVING: shutdown has begun.
    pub async fn shutting_down(&self) {
        self.reporter
            .set_not_serving::<product_info::Server>()
            .await;
        self.reporter
            .set_service_status(WHOLE_SERVER, ServingStatus::NotServing)
            .await;
        tracing::info!("Health: NOT_SERVING, shutting down");
    }
}
