//! gRPC statuses as HTTP responses, with grpc-gateway's mapping and error body.

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
    /// The client did not send the whole request within the gateway's time: 408 Request
    /// Timeout, the answer HTTP has for a client too slow to finish its request.
    SlowRequest(Status),
}

impl From<Status> for GatewayError {
    fn from(status: Status) -> Self {
        Self::Call(status)
    }
}

impl IntoResponse for GatewayError {
    fn into_response(self) -> Response {
        let (http, status) = match self {
            Self::Call(status) => (http_status(status.code()), status),
            Self::SlowRequest(status) => (StatusCode::REQUEST_TIMEOUT, status),
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
