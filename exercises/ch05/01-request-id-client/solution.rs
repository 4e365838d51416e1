//! Exercise ch05/01 · 요청 ID 붙이기 (Tagging every call with a request id): a reference
//! solution.
//!
//! A tonic `Interceptor` is the right tool on this side: it runs synchronously for every call
//! the client makes, unary and streaming alike, and sees (and may change) the call's metadata
//! before anything is sent. That is all a request id needs; logging messages, as the book's
//! interceptors do, would need a tower layer instead (see `ch05_advanced::interceptors`).

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use common::channel::Channel;
use tonic::metadata::AsciiMetadataValue;
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::{Request, Status};
use uuid::Uuid;

/// The metadata key that carries a call's id (gRPC metadata keys are lower case).
pub const REQUEST_ID: &str = "x-request-id";

/// A client interceptor that gives every call an `x-request-id`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestId;

impl Interceptor for RequestId {
    /// Adds a fresh UUID v4 as the call's `x-request-id`, unless the caller set one already:
    /// a caller that is itself serving a request passes that request's id on, so one id
    /// follows the work through every service it touches.
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        if request.metadata().contains_key(REQUEST_ID) {
            return Ok(request);
        }
        // A hyphenated UUID is plain ASCII, so this cannot fail; should it ever, the call
        // fails on the client with INTERNAL instead of leaving without an id.
        let id = AsciiMetadataValue::try_from(Uuid::new_v4().to_string())
            .map_err(|error| Status::internal(format!("cannot make a request id: {error}")))?;
        request.metadata_mut().insert(REQUEST_ID, id);
        Ok(request)
    }
}

/// An OrderManagement client whose every call goes through [`RequestId`].
pub type Client = OrderManagementClient<InterceptedService<Channel, RequestId>>;

/// The OrderManagement client over `channel`, with [`RequestId`] on every call.
pub fn client(channel: Channel) -> Client {
    OrderManagementClient::with_interceptor(channel, RequestId)
}
