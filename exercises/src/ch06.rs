//! Chapter 6, 「보안 적용 gRPC」 (Secured gRPC): put the `helloworld.Greeter` behind TLS, then
//! behind mutual TLS, with the chapter's certificates (`ch06_security::Certs`); then check
//! each call's credentials, and what its caller's role may call.
//!
//! 1. [`greeter_tls`]: one-way TLS: the server proves who it is, the connection is encrypted.
//! 2. [`greeter_mtls`]: mutual TLS: only clients with a certificate from the server's CA get
//!    to call at all.
//! 3. [`basic_auth_check`]: a server interceptor that lets in only calls carrying the book's
//!    basic credentials, compared in constant time.
//! 4. [`role_per_method`]: a server layer that reads each call's bearer token and method, and
//!    lets a role call only the methods a policy table gives it.
//!
//! [`checks`] serves and calls the Greeter with the chapter's own TLS settings, for the two
//! TLS tasks' tests.

#[cfg_attr(not(feature = "solution"), path = "../ch06/01-greeter-tls/skeleton.rs")]
#[cfg_attr(feature = "solution", path = "../ch06/01-greeter-tls/solution.rs")]
pub mod greeter_tls;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch06/02-greeter-mtls/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch06/02-greeter-mtls/solution.rs")]
pub mod greeter_mtls;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch06/03-basic-auth-check/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch06/03-basic-auth-check/solution.rs")]
pub mod basic_auth_check;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch06/04-role-per-method/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch06/04-role-per-method/solution.rs")]
pub mod role_per_method;

/// What the checks of the two TLS tasks share: the Greeter served and called with chapter 6's
/// own TLS settings, to try a student's client and server against.
pub mod checks {
    use std::time::Duration;

    use book_proto::helloworld::HelloRequest;
    use book_proto::helloworld::greeter_client::GreeterClient;
    use book_proto::helloworld::greeter_server::GreeterServer;
    use ch05_advanced::multiplexing::GreeterService;
    use ch06_security::Certs;
    use ch06_security::tls::{ClientCerts, client_tls, server_tls};
    use common::deadline::Deadline;
    use tonic::Status;
    use tonic::transport::server::TcpIncoming;
    use tonic::transport::{Channel, Endpoint, Identity, Server};

    use crate::harness::LocalServer;

    /// Generous: a debug build's first TLS handshake on a busy machine can be slow.
    const TIMEOUT: Duration = Duration::from_secs(10);

    /// A Greeter server running for a check.
    pub type Running = LocalServer<tonic::transport::Error>;

    /// A fresh CA with its server and client certificates, in memory.
    pub fn certs() -> Certs {
        Certs::generate().expect("make certificates")
    }

    /// A TLS Greeter made with chapter 6's settings, asking clients for `client_certs`.
    pub async fn reference_server(certs: &Certs, client_certs: ClientCerts) -> Running {
        let tls = server_tls(certs, client_certs);
        LocalServer::start(|listener, shutdown| async move {
            Server::builder()
                .tls_config(tls)?
                .add_service(GreeterServer::new(GreeterService))
                .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown.wait())
                .await
        })
        .await
        .expect("bind a loopback port")
    }

    /// A TLS channel to `server` made with chapter 6's client settings: trusting the CA of
    /// `certs` for the server's certificate, and showing `identity` (or no certificate).
    pub fn tls_channel(server: &Running, certs: &Certs, identity: Option<Identity>) -> Channel {
        Endpoint::from_shared(format!("https://{}", server.addr()))
            .and_then(|endpoint| endpoint.tls_config(client_tls(certs.ca_certificate(), identity)))
            .expect("a TLS endpoint")
            .connect_lazy()
    }

    /// `SayHello` with `name`, under a deadline so that a wrong setup fails instead of hanging.
    pub async fn say_hello(
        channel: impl Into<common::channel::Channel>,
        name: &str,
    ) -> Result<String, Status> {
        let deadline = Deadline::after(TIMEOUT);
        let request = deadline.request(HelloRequest { name: name.into() });
        let reply = deadline
            .run(GreeterClient::new(channel.into()).say_hello(request))
            .await?;
        Ok(reply.into_inner().message)
    }
}
