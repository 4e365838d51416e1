//! Exercise ch06/02 · Greeter에 mTLS 적용하기 (Securing the Greeter with mutual TLS). The task
//! is in `README.md` beside this file; the checks are `tests/ch06_greeter_mtls.rs`.
//!
//! [`serve`] and [`channel`] already speak one-way TLS (exercise ch06/01's answer): the
//! server shows its certificate, the client checks it. The client stays anonymous, so anyone
//! who trusts the CA can call. Making the server demand a client certificate, and the client
//! show one, is the exercise.

use std::future::Future;
use std::net::SocketAddr;

use book_proto::helloworld::greeter_server::GreeterServer;
use ch05_advanced::multiplexing::GreeterService;
use ch06_security::Certs;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, ClientTlsConfig, Endpoint, Server, ServerTlsConfig};

/// The name the client expects in the server's certificate.
pub const SERVER_NAME: &str = "localhost";

/// Serves the Greeter on `listener` until `shutdown` completes, over mutual TLS: the server
/// shows the server certificate of `certs`, and lets in only clients whose certificate the
/// CA of `certs` signed.
pub async fn serve(
    listener: TcpListener,
    certs: Certs,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    // EXERCISE: also make the server require a client certificate signed by the CA.
    let tls = ServerTlsConfig::new().identity(certs.server_identity());
    Server::builder()
        .tls_config(tls)?
        .add_service(GreeterServer::new(GreeterService))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await
}

/// A channel to the Greeter at `addr` over mutual TLS: it trusts the CA of `certs` for the
/// server's certificate and shows the client certificate of `certs`. It connects on the
/// first call.
pub fn channel(addr: SocketAddr, certs: &Certs) -> Result<Channel, tonic::transport::Error> {
    // EXERCISE: also show the client's certificate and key.
    let tls = ClientTlsConfig::new()
        .ca_certificate(certs.ca_certificate())
        .domain_name(SERVER_NAME);
    Ok(Endpoint::from_shared(format!("https://{addr}"))?
        .tls_config(tls)?
        .connect_lazy())
}
