//! gRPC statuses as HTTP responses, with grpc-gateway's mapping and error body.
//!
//! Every answer that is not a success goes through [`GatewayError`], whether the gRPC call
//! failed or the request never became one (no such route, a body too large, JSON that does not
//! parse): a client reads one JSON shape, `{"code", "message", "details"}`, whatever went wrong,
//! never axum's plain-text rejections or an empty body.

use axum::extract::rejection::BytesRejection;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use tonic::{Code, Status};

/// The HTTP status for a gRPC code, as grpc-gateway's `HTTPStatusFromCode` maps it.
pub fn http_status(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        // nginx's "client closed request": the caller went away.
        Code::Cancelled => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => {
            StatusCode::BAD_REQUEST
        }
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted => StatusCode::CONFLICT,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A failed request as the HTTP client sees it: an HTTP status and a JSON body
/// `{"code": 5, "message": "...", "details": []}`, grpc-gateway's shape.
#[derive(Debug)]
pub enum GatewayError {
    /// The gRPC call failed, or could not be made: the status grpc-gateway maps its code to.
    Call(Status),
    /// The request was refused before it became a call, for a reason HTTP has a status of its
    /// own for (404 no such route, 405 wrong method, 408 body too slow, 413 body too large).
    /// The body still carries a gRPC status, the one a gRPC server would give.
    Http(StatusCode, Status),
}

impl GatewayError {
    /// 413 Payload Too Large, with the RESOURCE_EXHAUSTED a gRPC server answers a message over
    /// its limit with.
    pub fn too_large(limit: usize) -> Self {
        Self::Http(
            StatusCode::PAYLOAD_TOO_LARGE,
            Status::resource_exhausted(format!("the request body is over {limit} bytes")),
        )
    }
}

impl From<Status> for GatewayError {
    fn from(status: Status) -> Self {
        Self::Call(status)
    }
}

/// axum's rejection when it cannot read a body: over the `DefaultBodyLimit` (413), or the
/// connection failed while the body was arriving (400). axum would answer it in plain text.
impl From<BytesRejection> for GatewayError {
    fn from(rejection: BytesRejection) -> Self {
        let message = rejection.body_text();
        let status = match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Status::resource_exhausted(message),
            _ => Status::invalid_argument(message),
        };
        Self::Http(rejection.status(), status)
    }
}

impl IntoResponse for GatewayError {
    fn into_response(self) -> Response {
        let (http, status) = match self {
            Self::Call(status) => (http_status(status.code()), status),
            Self::Http(http, status) => (http, status),
        };
        let body = serde_json::json!({
            "code": status.code() as i32,
            "message": status.message(),
            "details": [],
        });
        (
            http,
            [(http::header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    }
}
