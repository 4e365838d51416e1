//! Exercise ch05/01 · 요청 ID 붙이기 (Tagging every call with a request id). The task is in
//! `README.md` beside this file; the checks are `tests/ch05_request_id_client.rs`.
//!
//! [`client`] makes chapter 3's OrderManagement client with the [`RequestId`] interceptor on
//! its channel, so every call, unary or streaming, passes through [`RequestId::call`] before
//! it leaves. What the interceptor does to the call's metadata is the exercise: for now it
//! lets every call go unchanged.

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use common::channel::Channel;
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::{Request, Status};

/// The metadata key that carries a call's id (gRPC metadata keys are lower case).
pub const REQUEST_ID: &str = "x-request-id";

/// A client interceptor that gives every call an `x-request-id`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestId;

impl Interceptor for RequestId {
    /// Runs once per call, before it is sent, with the call's metadata (and no message).
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        // EXERCISE: unless the caller already set one, insert a fresh id (a UUID v4:
        // `uuid::Uuid::new_v4()`) under `REQUEST_ID` in `request.metadata_mut()`.
        Ok(request)
    }
}

/// An OrderManagement client whose every call goes through [`RequestId`].
pub type Client = OrderManagementClient<InterceptedService<Channel, RequestId>>;

/// The OrderManagement client over `channel`, with [`RequestId`] on every call.
pub fn client(channel: Channel) -> Client {
    OrderManagementClient::with_interceptor(channel, RequestId)
}
