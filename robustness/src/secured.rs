//! The secured servers (`ch06-server`, `ch08-middleware-server`), and a client that sends
//! exactly the bytes a test means.
//!
//! The chapters' own clients are polite: [`ch06_security::auth::credentials::CallCredentials`]
//! only ever writes a well-formed header, and refuses to send one over plaintext. An attacker,
//! or a client in another language, is under no such rule. [`channel`] is plain tonic with the
//! `authorization` value set by hand, so a test can send `Basic` with nothing after it, a
//! token one byte short, or no header at all, over whatever TLS settings it chooses.

use std::time::Duration;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Order, Product, ProductId};
use bytes::Bytes;
use ch06_security::certs::Certs;
use test_support::process::ServerProcess;
use tonic::body::Body;
use tonic::client::GrpcService;
use tonic::codegen::StdError;
use tonic::metadata::AsciiMetadataValue;
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, ClientTlsConfig, Endpoint};
use tonic::{Code, Request, Status};

use crate::servers::binary;

/// How long a test's call may take, handshake included: generous, for a debug build on a busy
/// machine, and still short enough that a hung server fails the test rather than stalls it.
pub const CALL_WAIT: Duration = Duration::from_secs(10);

/// A certificate folder made by `ch06-gen-certs`, the one the ch06 binaries read.
pub fn certs() -> (tempfile::TempDir, Certs) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let certs = ch06_security::cert_dir::generate(dir.path(), true).expect("certificates");
    (dir, certs)
}

/// The folder as a `--certs` argument.
pub fn dir_arg(dir: &tempfile::TempDir) -> String {
    dir.path().to_string_lossy().into_owned()
}

/// Starts `ch06-server <mechanism>` with the certificates in `dir`.
pub async fn ch06_server(mechanism: &str, dir: &tempfile::TempDir) -> ServerProcess {
    ServerProcess::spawn(
        &binary("ch06-server"),
        [mechanism, "--certs", &dir_arg(dir)],
    )
    .await
}

/// Puts exactly this value in every call's `authorization` header, or no header at all.
#[derive(Clone)]
pub struct Authorization(Option<AsciiMetadataValue>);

impl Authorization {
    /// The header `authorization: <value>`, byte for byte (`None`: no header).
    ///
    /// # Panics
    ///
    /// When `value` cannot be a header value (a control character).
    pub fn new(value: Option<&str>) -> Self {
        Self(value.map(|value| {
            AsciiMetadataValue::try_from(value)
                .unwrap_or_else(|_| panic!("{value:?} is not a header value"))
        }))
    }
}

impl Interceptor for Authorization {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        if let Some(value) = &self.0 {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        Ok(request)
    }
}

/// A channel of plain tonic whose calls carry `authorization`.
pub type RawChannel = InterceptedService<Channel, Authorization>;

/// A channel to `addr` over TLS with `tls`, or over plaintext HTTP/2 (h2c) with `None`, each
/// call carrying `authorization`. It connects on the first call, as grpc-go's `Dial` does, so a
/// failed handshake is that call's status.
///
/// # Panics
///
/// When the TLS settings are refused.
pub fn channel(
    addr: &str,
    tls: Option<ClientTlsConfig>,
    authorization: Option<&str>,
) -> RawChannel {
    let scheme = if tls.is_some() { "https" } else { "http" };
    let mut endpoint = Endpoint::from_shared(format!("{scheme}://{addr}"))
        .expect("a valid address")
        .connect_timeout(CALL_WAIT)
        .timeout(CALL_WAIT);
    if let Some(tls) = tls {
        endpoint = endpoint.tls_config(tls).expect("valid TLS settings");
    }
    InterceptedService::new(endpoint.connect_lazy(), Authorization::new(authorization))
}

/// The TLS settings of a client that trusts `certs`' CA and expects the server's certificate to
/// name `localhost`, showing `certs`' client certificate when `mutual`.
pub fn client_tls(certs: &Certs, mutual: bool) -> ClientTlsConfig {
    let config = ClientTlsConfig::new()
        .ca_certificate(certs.ca_certificate())
        .domain_name("localhost");
    if mutual {
        config.identity(certs.client_identity())
    } else {
        config
    }
}

/// What a channel must be for the book's generated clients to call through it: tonic's
/// [`Channel`], with or without interceptors, and the chapters' guarded channel alike.
pub trait CallChannel:
    GrpcService<
        Body,
        Error: Into<StdError>,
        ResponseBody: http_body::Body<Data = Bytes, Error: Into<StdError> + Send> + Send + 'static,
    > + Clone
{
}

impl<T> CallChannel for T where
    T: GrpcService<
            Body,
            Error: Into<StdError>,
            ResponseBody: http_body::Body<Data = Bytes, Error: Into<StdError> + Send>
                              + Send
                              + 'static,
        > + Clone
{
}

/// Each call's method name and outcome: `Ok` for an answer, or for `NOT_FOUND` about the
/// made-up product (the call got through to the service).
pub type Outcomes = Vec<(&'static str, Result<(), Status>)>;

/// ProductInfo's two methods, each called once with `channel`.
pub async fn call_product_info(channel: impl CallChannel) -> Outcomes {
    let mut products = ProductInfoClient::new(channel);
    // A name, because chapter 8's service panics on an empty one (on purpose).
    let product = Product {
        name: "Apple".into(),
        ..Product::default()
    };
    let id = ProductId {
        value: "no-such-product".into(),
    };
    vec![
        ("addProduct", products.add_product(product).await.map(drop)),
        (
            "getProduct",
            ok_or_not_found(products.get_product(id).await.map(drop)),
        ),
    ]
}

/// OrderManagement's five methods, unary and streaming, each called once with `channel`.
pub async fn call_order_management(channel: impl CallChannel) -> Outcomes {
    let mut orders = OrderManagementClient::new(channel);
    let order = || Order {
        id: "201".into(),
        items: vec!["Apple Watch S4".into()],
        destination: "San Jose, CA".into(),
        price: 400.0,
        ..Order::default()
    };
    vec![
        ("addOrder", orders.add_order(order()).await.map(drop)),
        (
            "getOrder",
            orders.get_order(String::from("102")).await.map(drop),
        ),
        (
            "searchOrders",
            match orders.search_orders(String::from("Google")).await {
                Ok(response) => response.into_inner().message().await.map(drop),
                Err(status) => Err(status),
            },
        ),
        (
            "updateOrders",
            orders
                .update_orders(Request::new(futures::stream::iter([order()])))
                .await
                .map(drop),
        ),
        (
            "processOrders",
            match orders
                .process_orders(futures::stream::iter([String::from("102")]))
                .await
            {
                Ok(response) => response.into_inner().message().await.map(drop),
                Err(status) => Err(status),
            },
        ),
    ]
}

/// The seven methods of ch06-server, each called once with `channel`.
pub async fn call_every_method(channel: impl CallChannel) -> Outcomes {
    let mut outcomes = call_product_info(channel.clone()).await;
    outcomes.extend(call_order_management(channel).await);
    outcomes
}

fn ok_or_not_found(result: Result<(), Status>) -> Result<(), Status> {
    match result {
        Err(status) if status.code() == Code::NotFound => Ok(()),
        other => other,
    }
}

/// Adds a product named `marker` with `channel`, expecting it to be answered, and returns
/// what the server logged before the line that says so: everything the calls before it
/// made the server log, and nothing of what is logged later.
///
/// # Panics
///
/// When the call fails, or the server logs no such line within 30 seconds.
pub async fn still_serves(
    server: &mut ServerProcess,
    channel: impl CallChannel,
    marker: &str,
) -> Vec<String> {
    let product = Product {
        name: marker.into(),
        ..Product::default()
    };
    ProductInfoClient::new(channel)
        .add_product(product)
        .await
        .unwrap_or_else(|status| panic!("{marker}: a good call failed: {status:?}"));
    let added = format!(" : {marker} - Added.");
    let mut before = Vec::new();
    loop {
        let line = server.next_line().await;
        if line.contains(&added) {
            return before;
        }
        before.push(line);
    }
}
