//! Where the binaries are, and every plaintext server the README starts.

use std::path::Path;

use bytes::Bytes;
use ch04_internals::http2::call::grpc_headers;
use ch04_internals::http2::{Exchange, GrpcStatus, MessageKind, RawChannel, RawRequest};
use common::secret::BOOK_BEARER;
use http::{HeaderName, HeaderValue};
use test_support::process::ServerProcess;

/// The path of a workspace binary, next to the test's own `deps` folder.
///
/// # Panics
///
/// When the binary has not been built: `cargo test --workspace` builds every binary before it
/// runs a test; `cargo test -p robustness` alone does not.
pub fn binary(name: &str) -> String {
    let exe = std::env::current_exe().expect("the test binary's path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is not built: run `cargo build --bins` (cargo test --workspace builds it)",
        path.display()
    );
    path.to_string_lossy().into_owned()
}

/// A server binary and a unary call it answers quickly.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// The binary's name.
    pub binary: &'static str,
    /// Its arguments besides `--addr`.
    pub args: &'static [&'static str],
    /// A unary method it serves.
    pub path: &'static str,
    /// A request message for it: a message whose field 1 is this string (a `ProductID`, a
    /// `StringValue` or an `EchoRequest`).
    pub value: &'static str,
    /// Headers every call needs (credentials).
    pub headers: &'static [(&'static str, &'static str)],
}

const GET_PRODUCT: &str = "/ecommerce.ProductInfo/getProduct";
const GET_ORDER: &str = "/ecommerce.OrderManagement/getOrder";

const fn orders(binary: &'static str) -> Sample {
    Sample {
        binary,
        args: &[],
        path: GET_ORDER,
        value: "102",
        headers: &[],
    }
}

/// The fourteen plaintext servers the README starts, each with a call to make on it.
pub const PLAINTEXT_SERVERS: [Sample; 14] = [
    Sample {
        binary: "ch02-server",
        args: &[],
        path: GET_PRODUCT,
        value: "no-such-product",
        headers: &[],
    },
    orders("ch03-server"),
    orders("ch05-interceptors-server"),
    orders("ch05-deadlines-server"),
    orders("ch05-cancellation-server"),
    orders("ch05-error-handling-server"),
    orders("ch05-multiplexing-server"),
    orders("ch05-metadata-server"),
    Sample {
        binary: "ch05-loadbalancing-server",
        args: &[],
        path: "/grpc.examples.echo.Echo/UnaryEcho",
        value: "hello",
        headers: &[],
    },
    orders("ch05-compression-server"),
    orders("ch05-keepalive-server"),
    Sample {
        binary: "ch07-server",
        args: &["--metrics-addr", "127.0.0.1:0"],
        path: GET_PRODUCT,
        value: "no-such-product",
        headers: &[],
    },
    Sample {
        binary: "ch08-server",
        args: &[],
        path: GET_PRODUCT,
        value: "no-such-product",
        headers: &[],
    },
    Sample {
        binary: "ch08-middleware-server",
        args: &[],
        path: GET_PRODUCT,
        value: "no-such-product",
        headers: &[("authorization", BOOK_BEARER)],
    },
];

impl Sample {
    /// Starts the binary on an ephemeral port and waits for its start line.
    pub async fn start(&self) -> ServerProcess {
        ServerProcess::spawn(&binary(self.binary), self.args).await
    }

    /// The sample's call with these DATA frames and the gRPC headers, plus `extra` ones.
    pub fn request(&self, data: Vec<Bytes>) -> RawRequest {
        let mut headers = grpc_headers(std::time::Duration::from_secs(5));
        headers.extend(self.headers.iter().map(|(name, value)| {
            (
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            )
        }));
        RawRequest {
            path: self.path.to_owned(),
            headers,
            data,
            sends: MessageKind::ProductId,
            expects: MessageKind::Product,
        }
    }

    /// The sample's call, well formed.
    pub fn good_request(&self) -> RawRequest {
        let message = string_field(self.value);
        self.request(vec![wire::frame(&message)])
    }

    /// Makes the sample's call and checks the server answered it (OK, or NOT_FOUND for the
    /// made-up product): it is still serving.
    pub async fn still_serves(&self, addr: &str) {
        let channel = RawChannel::connect(addr)
            .await
            .unwrap_or_else(|error| panic!("{}: cannot connect again: {error}", self.binary));
        self.serves(&channel).await;
    }

    /// Makes the sample's call on `channel` and checks the server answered it.
    pub async fn serves(&self, channel: &RawChannel) {
        let exchange = channel
            .call(&self.good_request())
            .await
            .unwrap_or_else(|error| panic!("{}: no answer to a good call: {error}", self.binary));
        let code = grpc_code(&exchange);
        assert!(
            code == 0 || code == 5,
            "{}: a good call got {code}\n{exchange}",
            self.binary
        );
    }
}

/// A protobuf message whose field 1 is the string `value`.
pub fn string_field(value: &str) -> Vec<u8> {
    let mut message = vec![0x0a, u8::try_from(value.len()).expect("a short string")];
    message.extend_from_slice(value.as_bytes());
    message
}

/// The gRPC status code of an exchange.
///
/// # Panics
///
/// When the server gave no valid `grpc-status`.
pub fn grpc_code(exchange: &Exchange) -> u32 {
    status(exchange).code
}

/// The gRPC status of an exchange.
///
/// # Panics
///
/// When the server gave no valid `grpc-status`.
pub fn status(exchange: &Exchange) -> GrpcStatus {
    exchange
        .grpc_status()
        .unwrap_or_else(|| panic!("no grpc-status\n{exchange}"))
        .unwrap_or_else(|error| panic!("an invalid grpc-status: {error:?}\n{exchange}"))
}
