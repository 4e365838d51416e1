//! What every exercise test needs: the student's service on an ephemeral loopback port.

use tokio::net::TcpListener;
use tonic::service::Routes;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

pub use common::local::{LocalServer, ShutdownSignal};

/// Serves `routes` on `127.0.0.1:0`; reachable as soon as this returns.
pub async fn start(routes: Routes) -> std::io::Result<LocalServer<tonic::transport::Error>> {
    LocalServer::start(|listener: TcpListener, shutdown: ShutdownSignal| {
        Server::builder()
            .add_routes(routes)
            .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown.wait())
    })
    .await
}
