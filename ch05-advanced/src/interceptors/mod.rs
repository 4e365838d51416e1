//! Interceptors (book section "인터셉터"): code that runs around every call, on either side.
//!
//! The book's Go samples install four: on the server a unary interceptor that logs the method,
//! the request before the handler runs and the response after it, and a stream interceptor that
//! wraps the stream to log every message received and sent with its type and time; on the
//! client, the same two.
//!
//! tonic's own `Interceptor` cannot do that: it is a synchronous function that sees a call's
//! metadata before the call, never its messages and never its response. What can is a tower
//! layer around the HTTP service, the same on a server (`Server::builder().layer(..)`) as on a
//! client (around the `Channel`). [`MessageLog`] is that layer: it wraps the request and the
//! response bodies, finds each gRPC message in them as the bytes stream past (`wire::split`,
//! shared with the workspace's other readers of the wire), and decodes it with the
//! descriptors of the book's protos, so it can print any message of any method, as Go's `%s`
//! does.

use std::pin::Pin;
use std::sync::{Arc, LazyLock};
use std::task::{Context, Poll};

use bytes::Bytes;
use chrono::SecondsFormat;
use http_body::Frame;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, MethodDescriptor};
use tonic::Status;
use tonic::body::Body;
use tower::{Layer, Service};

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::client::order_101;
use ch03_patterns::text::OrderText;
use ch03_patterns::{OrderManagementService, OrderStore};
use common::channel::Channel;
use tokio::net::TcpListener;
use wire::body::{Checked, FrameCheck};
use wire::split::{Found, MessageSplitter};

/// Which end of the call the layer sits on; it decides the words of the log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Around a server: requests are received, responses sent.
    Server,
    /// Around a client channel: requests are sent, responses received.
    Client,
}

/// The descriptors of every message and method of the book's protos.
static BOOK_DESCRIPTORS: LazyLock<Option<DescriptorPool>> =
    LazyLock::new(|| DescriptorPool::decode(book_proto::FILE_DESCRIPTOR_SET).ok());

/// The layer that logs every call and every message.
#[derive(Debug, Clone, Copy)]
pub struct MessageLogLayer(pub Side);

impl<S> Layer<S> for MessageLogLayer {
    type Service = MessageLog<S>;

    fn layer(&self, inner: S) -> MessageLog<S> {
        MessageLog {
            inner,
            side: self.0,
        }
    }
}

/// An HTTP service (a tonic server's routes, or a client's channel) whose calls are logged.
#[derive(Debug, Clone)]
pub struct MessageLog<S> {
    inner: S,
    side: Side,
}

impl<S> MessageLog<S> {
    /// Logs the calls made through a client channel.
    pub fn client(channel: S) -> Self {
        MessageLogLayer(Side::Client).layer(channel)
    }
}

impl<S> Service<http::Request<Body>> for MessageLog<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>>,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let call = Arc::new(CallLog::new(self.side, request.uri().path()));
        call.started();
        let outgoing = match self.side {
            Side::Server => Direction::Received,
            Side::Client => Direction::Sent,
        };
        let request = request.map(|body| LoggedBody::wrap(body, call.clone(), outgoing));
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
            Ok(response.map(|body| LoggedBody::wrap(body, call, outgoing.reverse())))
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Received,
    Sent,
}

impl Direction {
    fn reverse(self) -> Self {
        match self {
            Direction::Received => Direction::Sent,
            Direction::Sent => Direction::Received,
        }
    }
}

/// One call's logger: knows the method, whether it streams, and its message types.
struct CallLog {
    side: Side,
    path: String,
    method: Option<MethodDescriptor>,
}

impl CallLog {
    fn new(side: Side, path: &str) -> Self {
        let method = BOOK_DESCRIPTORS
            .as_ref()
            .and_then(|pool| find_method(pool, path));
        Self {
            side,
            path: path.to_owned(),
            method,
        }
    }

    /// A unary call is what Go's unary interceptors see; anything else goes to the stream ones.
    fn is_unary(&self) -> bool {
        self.method
            .as_ref()
            .is_some_and(|m| !m.is_client_streaming() && !m.is_server_streaming())
    }

    fn started(&self) {
        match (self.side, self.is_unary()) {
            (Side::Server, true) => tracing::info!("======= [Server Interceptor]  {}", self.path),
            (Side::Server, false) => {
                tracing::info!("====== [Server Stream Interceptor]  {}", self.path);
            }
            (Side::Client, true) => tracing::info!("Method : {}", self.path),
            (Side::Client, false) => tracing::info!("======= [Client Interceptor]  {}", self.path),
        }
    }

    fn message(&self, direction: Direction, found: Found) {
        let is_request = (self.side == Side::Server) == (direction == Direction::Received);
        let descriptor = self.method.as_ref().map(|method| match is_request {
            true => method.input(),
            false => method.output(),
        });
        if self.is_unary() {
            let text = describe(descriptor.as_ref(), found);
            match (self.side, is_request) {
                (Side::Server, true) => tracing::info!(" Pre Proc Message : {text}"),
                (Side::Server, false) => tracing::info!(" Post Proc Message : {text}"),
                (Side::Client, true) => {}
                (Side::Client, false) => tracing::info!("{text}"),
            }
            return;
        }
        let type_name =
            descriptor.map_or_else(|| "unknown".to_owned(), |d| d.full_name().to_owned());
        let now = chrono::Local::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        let (wrapper, verb) = match (self.side, direction) {
            (Side::Server, Direction::Received) => ("Server Stream Interceptor Wrapper", "Receive"),
            (Side::Server, Direction::Sent) => ("Server Stream Interceptor Wrapper", "Send"),
            (Side::Client, Direction::Received) => ("Client Stream Interceptor", "Receive"),
            (Side::Client, Direction::Sent) => ("Client Stream Interceptor", "Send"),
        };
        tracing::info!("====== [{wrapper}] {verb} a message (Type: {type_name}) at {now}");
    }
}

/// `/ecommerce.OrderManagement/addOrder` → the `addOrder` method of `ecommerce.OrderManagement`.
fn find_method(pool: &DescriptorPool, path: &str) -> Option<MethodDescriptor> {
    let (service, method) = path.strip_prefix('/')?.split_once('/')?;
    pool.get_service_by_name(service)?
        .methods()
        .find(|candidate| candidate.name() == method)
}

/// A message in protobuf text format, or what is known of it.
fn describe(descriptor: Option<&MessageDescriptor>, found: Found) -> String {
    match (descriptor, found) {
        (Some(descriptor), Found::Message(bytes)) => {
            match DynamicMessage::decode(descriptor.clone(), bytes.clone()) {
                Ok(message) => message.to_string(),
                Err(_) => format!(
                    "<{} bytes, not a valid {}>",
                    bytes.len(),
                    descriptor.full_name()
                ),
            }
        }
        (None, Found::Message(bytes)) => format!("<{} bytes>", bytes.len()),
        (_, Found::Compressed(length)) => format!("<{length} compressed bytes>"),
        (_, Found::TooLarge(length)) => format!("<{length} bytes, too large to show>"),
    }
}

/// Serves chapter 3's order service with [`MessageLogLayer`] around it.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    let orders = OrderManagementService::new(OrderStore::book());
    common::server::builder()
        .layer(MessageLogLayer(Side::Server))
        .add_service(OrderManagementServer::new(orders))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}

/// An order client whose calls are logged.
pub type Client = OrderManagementClient<MessageLog<Channel>>;

/// The book's client: adds order 101 and searches for "Google", printing the results (the
/// interceptor's lines go to the log).
pub async fn book_flow(client: &mut Client, mut print: impl FnMut(String)) -> Result<(), Status> {
    let reply = client.add_order(order_101()).await?;
    print(format!("AddOrder Response -> {}", reply.get_ref()));

    let mut orders = client
        .search_orders("Google".to_owned())
        .await?
        .into_inner();
    while let Some(order) = orders.message().await? {
        print(format!("Search Result : {}", OrderText(&order)));
    }
    print("EOF".to_owned());
    Ok(())
}

/// Messages larger than this are reported by size instead of being buffered for display.
pub const MAX_SHOWN: usize = 4 * 1024 * 1024;

/// What a body's frames tell the call's log: each message passing through it.
struct LoggedBody {
    splitter: MessageSplitter,
    call: Arc<CallLog>,
    direction: Direction,
}

impl LoggedBody {
    fn wrap(inner: Body, call: Arc<CallLog>, direction: Direction) -> Body {
        Checked::wrap(
            inner,
            Self {
                splitter: MessageSplitter::new(MAX_SHOWN),
                call,
                direction,
            },
        )
    }
}

impl FrameCheck for LoggedBody {
    fn frame(&mut self, frame: Frame<Bytes>) -> Result<Frame<Bytes>, Status> {
        if let Some(data) = frame.data_ref() {
            for found in self.splitter.push(data) {
                self.call.message(self.direction, found);
            }
        }
        Ok(frame)
    }
}
