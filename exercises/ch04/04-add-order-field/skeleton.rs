//! Exercise ch04/04 · 필드 추가하기 (Adding a field to Order). The task is in `README.md`
//! beside this file; the checks are `tests/ch04_add_order_field.rs`.
//!
//! Two places to change. `skeleton.proto` beside this file is version 2 of the book's
//! `Order`, with a new `customer` field: its field numbers are the first thing to fix (the
//! generated type is [`crate::ch04::proto::Order`]). [`apply_update`], below, is the second:
//! how the server stores an order that a client sent to `updateOrders`.

use crate::ch04::proto::Order;

/// The order to store when a client sends `update` for the stored order `stored` (same id).
///
/// The client may be a version 2 program, which knows about `customer`, or a version 1
/// program (the book's), which does not: it read the order, changed what it knows about, and
/// sent it back.
pub fn apply_update(_stored: &Order, update: Order) -> Order {
    // EXERCISE: a version 1 client cannot send the customer back: its generated `Order` has
    // no such field, and prost drops the fields it does not know while decoding. Keep the
    // stored customer when the update has none.
    update
}
