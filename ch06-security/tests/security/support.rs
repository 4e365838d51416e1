//! What every test of the chapter needs: a sample's server on a loopback port, with a fresh
//! set of certificates, and clients for it.

use std::time::Duration;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch02_productinfo::client::{Flow, FlowError, add_then_get};
use ch06_security::auth::credentials::CallCredentials;
use ch06_security::client::{SecuredChannel, Transport, book_product, channel};
use ch06_security::{Certs, Mechanism};
use common::channel::Channel;
use common::deadline::Deadline;
use common::local::LocalServer;
use tonic::transport::Endpoint;
use tonic::{Code, Status};

/// Generous: a debug build's first TLS handshake on a busy machine is no place for the book's
/// one second.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A sample's server, running, and the certificates it was started with.
pub struct Sample {
    pub server: LocalServer<tonic::transport::Error>,
    pub certs: Certs,
    pub mechanism: Mechanism,
}

impl Sample {
    /// Starts `mechanism`'s server with a new set of certificates.
    pub async fn start(mechanism: Mechanism) -> Self {
        let certs = Certs::generate().expect("make certificates");
        let security = mechanism
            .server_security(&certs)
            .expect("the server's settings");
        let server = LocalServer::start(|listener, shutdown| {
            ch06_security::serve(listener, security, shutdown.wait())
        })
        .await
        .expect("bind a loopback port");
        Self {
            server,
            certs,
            mechanism,
        }
    }

    pub fn addr(&self) -> String {
        self.server.addr().to_string()
    }

    /// A channel over the sample's own transport, with `credentials`.
    pub fn channel(&self, credentials: CallCredentials) -> SecuredChannel {
        self.channel_over(self.mechanism.client_transport(&self.certs), credentials)
    }

    pub fn channel_over(
        &self,
        transport: Transport,
        credentials: CallCredentials,
    ) -> SecuredChannel {
        channel(&self.addr(), transport, credentials).expect("a channel")
    }

    /// A TLS channel without the crate's credentials interceptor, for a test's own.
    pub fn bare_channel(&self) -> Channel {
        let Transport::Tls(tls) = self.mechanism.client_transport(&self.certs) else {
            unreachable!("every sample uses TLS");
        };
        common::channel::guard(
            Endpoint::from_shared(format!("https://{}", self.addr()))
                .and_then(|endpoint| endpoint.tls_config(tls))
                .expect("a TLS endpoint")
                .connect_lazy(),
        )
    }

    pub fn products(&self, credentials: CallCredentials) -> ProductInfoClient<SecuredChannel> {
        ProductInfoClient::new(self.channel(credentials))
    }

    pub fn orders(&self, credentials: CallCredentials) -> OrderManagementClient<SecuredChannel> {
        OrderManagementClient::new(self.channel(credentials))
    }

    /// The book's flow with `credentials` on the sample's transport, which must succeed.
    pub async fn book_flow(&self, credentials: CallCredentials) -> Flow {
        let flow = flow(&mut self.products(credentials))
            .await
            .expect("the book's flow");
        assert_eq!(flow.product.name, "Samsung S10");
        assert_eq!(flow.product.id, flow.id.value);
        flow
    }

    pub async fn stop(self) {
        self.server.stop().await.expect("a clean stop");
    }
}

/// Adds the book's Samsung S10 and gets it back.
pub async fn flow(client: &mut ProductInfoClient<SecuredChannel>) -> Result<Flow, FlowError> {
    add_then_get(client, book_product(), Deadline::after(TEST_TIMEOUT)).await
}

/// The status a refused call ended with.
pub fn refused<T: std::fmt::Debug>(result: Result<T, Status>) -> Status {
    result.expect_err("the call should have been refused")
}

/// Asserts the code and the exact message.
pub fn assert_status(status: &Status, code: Code, message: &str) {
    assert_eq!(
        (status.code(), status.message()),
        (code, message),
        "{status:?}"
    );
}

/// Asserts that a call failed because the connection did: the TLS handshake was refused, or
/// the server closed the connection right after it. tonic's code depends on the moment the
/// client noticed: before sending the request (`UNAVAILABLE`), while sending it (`UNKNOWN`,
/// "broken pipe", or the server's TLS alert), or while waiting for the answer (`CANCELLED`,
/// "connection closed"). grpc-go says `UNAVAILABLE` in all three cases.
pub fn assert_connection_failed(status: &Status) {
    assert!(
        matches!(
            status.code(),
            Code::Unavailable | Code::Unknown | Code::Cancelled
        ),
        "{status:?}"
    );
}
