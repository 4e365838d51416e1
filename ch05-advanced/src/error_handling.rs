//! Error handling (book section "에러 처리"): a status code, a message, and rich details.
//!
//! A gRPC call fails with a status: a code (`INVALID_ARGUMENT`), a message, and optionally a
//! `google.rpc.Status` in the `grpc-status-details-bin` trailer, whose `details` are `Any`
//! messages a client can decode by type. The book's Go server rejects order id `-1` with
//! `INVALID_ARGUMENT` "Invalid information received" and one `google.rpc.BadRequest.FieldViolation`
//! for field `ID`.
//!
//! The Go server packs the `FieldViolation` itself, not wrapped in a `BadRequest` as tonic-types'
//! `with_error_details` (and most servers) would. For the book's Go client to find it where it
//! looks, [`invalid_order`] builds the same bytes by hand; [`field_violations`] on the client
//! side reads both forms.

use book_proto::ecommerce::Order;
use ch03_patterns::client::{Client, order_101};
use ch03_patterns::service::{self, Reply};
use ch03_patterns::{OrderManagementService, OrderStore};
use common::deadline::Deadline;
use common::status::RpcError;
use prost::Message;
use prost_types::Any;
use tonic::{Code, Request, Status};
use tonic_types::pb::BadRequest;
use tonic_types::pb::bad_request::FieldViolation;

/// The order id the book's server rejects.
pub const INVALID_ID: &str = "-1";

/// The status message of a rejected order.
pub const INVALID_MESSAGE: &str = "Invalid information received";

const FIELD_VIOLATION_TYPE: &str = "type.googleapis.com/google.rpc.BadRequest.FieldViolation";
const BAD_REQUEST_TYPE: &str = "type.googleapis.com/google.rpc.BadRequest";

/// The order service of the error-handling sample: chapter 3's, over the book's orders, with
/// [`add_valid_order`] for `addOrder`.
pub fn order_service() -> OrderManagementService {
    OrderManagementService::new(OrderStore::book()).with_add_order(add_valid_order)
}

/// `addOrder` that rejects order id `-1` with [`invalid_order`] and adds any other as chapter 3
/// does.
pub async fn add_valid_order(store: OrderStore, request: Request<Order>) -> Reply<String> {
    let order = request.get_ref();
    if order.id == INVALID_ID {
        tracing::info!("Order ID is invalid! -> Received Order ID {}", order.id);
        return Err(invalid_order(order));
    }
    service::add_order(store, request).await
}

/// `INVALID_ARGUMENT` with a field violation for `ID`, byte for byte as the book's Go server
/// sends it.
pub fn invalid_order(order: &Order) -> Status {
    let violation = FieldViolation {
        field: "ID".into(),
        description: format!(
            "Order ID received is not valid {} : {}",
            order.id, order.description
        ),
        ..FieldViolation::default()
    };
    let details = tonic_types::pb::Status {
        code: Code::InvalidArgument as i32,
        message: INVALID_MESSAGE.into(),
        details: vec![Any {
            type_url: FIELD_VIOLATION_TYPE.into(),
            value: violation.encode_to_vec(),
        }],
    };
    Status::with_details(
        Code::InvalidArgument,
        INVALID_MESSAGE,
        details.encode_to_vec().into(),
    )
}

/// What a status's details say about the request's fields.
#[derive(Debug, Default, PartialEq)]
pub struct Details {
    /// Every field violation, packed alone or in a `BadRequest`.
    pub field_violations: Vec<FieldViolation>,
    /// The type URLs of details of any other type.
    pub other_types: Vec<String>,
}

/// Decodes the `google.rpc.Status` a status carries in `grpc-status-details-bin`. Details that
/// do not decode are listed with the other types rather than failing the whole read.
pub fn field_violations(status: &Status) -> Details {
    let mut found = Details::default();
    let Ok(rich) = tonic_types::pb::Status::decode(status.details()) else {
        return found;
    };
    for detail in rich.details {
        let decoded = match detail.type_url.as_str() {
            FIELD_VIOLATION_TYPE => FieldViolation::decode(detail.value.as_slice())
                .map(|violation| vec![violation])
                .ok(),
            BAD_REQUEST_TYPE => BadRequest::decode(detail.value.as_slice())
                .map(|bad_request| bad_request.field_violations)
                .ok(),
            _ => None,
        };
        match decoded {
            Some(violations) => found.field_violations.extend(violations),
            None => found.other_types.push(detail.type_url),
        }
    }
    found
}

/// The book's client: adds order `-1` and prints what the error says, in the Go client's words.
pub async fn book_flow(client: &mut Client, mut print: impl FnMut(String)) {
    let order = Order {
        id: INVALID_ID.into(),
        ..order_101()
    };
    let deadline = Deadline::after(ch03_patterns::client::FLOW_TIMEOUT);
    match ch03_patterns::client::add_order(client, &deadline, order).await {
        Ok(reply) => print(format!("AddOrder Response -> {reply}")),
        Err(status) if status.code() == Code::InvalidArgument => {
            print(format!("Invalid Argument Error : {:?}", status.code()));
            let details = field_violations(&status);
            for violation in details.field_violations {
                print(format!(
                    "Request Field Invalid: field:{:?} description:{:?}",
                    violation.field, violation.description
                ));
            }
            for other in details.other_types {
                print(format!("Unexpected error type: {other}"));
            }
        }
        Err(status) => print(format!("Unhandled error : {}", RpcError(&status))),
    }
}
