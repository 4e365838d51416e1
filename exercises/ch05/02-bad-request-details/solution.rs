//! Exercise ch05/02 · 에러 세부 정보 (Rich error details): `google.rpc.BadRequest`, a
//! reference solution.
//!
//! A status code says what kind of failure it was; `INVALID_ARGUMENT` tells the client that
//! the request is wrong and that sending it again unchanged cannot help. It does not say
//! which field to fix. gRPC's richer error model carries that in the `grpc-status-details-bin`
//! trailer: a `google.rpc.Status` whose `details` are `Any` messages. `google.rpc.BadRequest`
//! is the standard one for bad input, one `FieldViolation` (field, description) per problem,
//! so a client (or a form in front of it) can point at every bad field at once instead of
//! making the user fix them one round trip at a time.
//!
//! tonic-types does the packing on both sides: `ErrorDetails` and
//! `StatusExt::with_error_details` on the server, `StatusExt::get_details_bad_request` on the
//! client. (Chapter 5's `ch05_advanced::error_handling` builds the bytes by hand, because the
//! book's Go server packs a bare `FieldViolation`; a `BadRequest` is what other gRPC
//! libraries look for.)
use book_proto::ecommerce::Order;
use ch03_patterns::service::{self, Reply};
use ch03_patterns::{OrderManagementService, OrderStore};
use tokio::net::TcpListener;
use tonic::{Code, Request, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

/// The status message of a refused order; the details say what is wrong with it.
pub const INVALID_ORDER: &str = "the order is not valid";

/// One thing wrong with a request: the field, named as in the .proto (`items[1]` for an
/// element of a repeated field), and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's path in the request message.
    pub field: String,
    /// Why its value is refused, for a person to read.
    pub description: String,
}

impl FieldError {
    fn new(field: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            description: description.into(),
        }
    }
}

/// Everything wrong with `order`, in the order of its fields; empty for a valid order.
pub fn check(order: &Order) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if order.id.trim().is_empty() {
        errors.push(FieldError::new("id", "an order needs an id"));
    }
    if order.items.is_empty() {
        errors.push(FieldError::new("items", "an order needs at least one item"));
    }
    for (index, item) in order.items.iter().enumerate() {
        if item.trim().is_empty() {
            errors.push(FieldError::new(
                format!("items[{index}]"),
                "an item needs a name",
            ));
        }
    }
    // Every comparison with NaN is false, so `price <= 0.0` alone would let NaN through.
    if order.price.is_nan() || order.price <= 0.0 {
        errors.push(FieldError::new(
            "price",
            format!("the price must be more than zero, not {}", order.price),
        ));
    }
    if order.destination.trim().is_empty() {
        errors.push(FieldError::new(
            "destination",
            "an order needs a destination",
        ));
    }
    errors
}

/// `addOrder` that refuses bad orders: adds a valid order as chapter 3 does; refuses a bad one
/// with [`refuse`].
pub async fn add_checked_order(store: OrderStore, request: Request<Order>) -> Reply<String> {
    let errors = check(request.get_ref());
    if !errors.is_empty() {
        return Err(refuse(&errors));
    }
    service::add_order(store, request).await
}

/// The status for a request with `errors`: `INVALID_ARGUMENT`, [`INVALID_ORDER`], and a
/// `google.rpc.BadRequest` with one field violation per error.
pub fn refuse(errors: &[FieldError]) -> Status {
    let violations: Vec<FieldViolation> = errors
        .iter()
        .map(|error| FieldViolation::new(&error.field, &error.description))
        .collect();
    Status::with_error_details(
        Code::InvalidArgument,
        INVALID_ORDER,
        ErrorDetails::with_bad_request(violations),
    )
}

/// The client's side: the field errors of the `google.rpc.BadRequest` in `status`'s details,
/// in order; empty when it has none.
///
/// A status without details, or with details that do not decode, has no field errors: a
/// client must cope with servers that send only a code and a message.
pub fn field_errors(status: &Status) -> Vec<FieldError> {
    status
        .get_details_bad_request()
        .map(|bad_request| {
            bad_request
                .field_violations
                .into_iter()
                .map(|violation| FieldError::new(violation.field, violation.description))
                .collect()
        })
        .unwrap_or_default()
}

/// Serves chapter 3's order service, with [`add_checked_order`] for `addOrder`, on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    let orders = OrderManagementService::new(OrderStore::book()).with_add_order(add_checked_order);
    ch03_patterns::serve(listener, orders, shutdown).await
}
