//! Exercise ch05/02 · 에러 세부 정보 (Rich error details): `google.rpc.BadRequest`. The task is
//! in `README.md` beside this file; the checks are `tests/ch05_bad_request_details.rs`.
//!
//! [`serve`] runs chapter 3's order service with a check in front of `addOrder`
//! ([`add_checked_order`]): [`check`] lists everything wrong with an order, and a bad order is
//! refused with [`refuse`]'s status. That status has the right code and message but says
//! nothing about which fields are wrong, and [`field_errors`], the client's reader of such a
//! status, finds nothing. Both are the exercise.

use book_proto::ecommerce::Order;
use ch03_patterns::service::{self, Reply};
use ch03_patterns::{OrderManagementService, OrderStore};
use tokio::net::TcpListener;
use tonic::{Request, Status};

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
pub fn refuse(_errors: &[FieldError]) -> Status {
    // EXERCISE: attach the details: a BadRequest holding one FieldViolation per error, in
    // the same order (tonic-types' `ErrorDetails` and `StatusExt::with_error_details`).
    Status::invalid_argument(INVALID_ORDER)
}

/// The client's side: the field errors of the `google.rpc.BadRequest` in `status`'s details,
/// in order; empty when it has none.
pub fn field_errors(_status: &Status) -> Vec<FieldError> {
    // EXERCISE: read the BadRequest back (`StatusExt::get_details_bad_request`) and turn
    // each of its field violations into a `FieldError`.
    Vec::new()
}

/// Serves chapter 3's order service, with [`add_checked_order`] for `addOrder`, on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    let orders = OrderManagementService::new(OrderStore::book()).with_add_order(add_checked_order);
    ch03_patterns::serve(listener, orders, shutdown).await
}
