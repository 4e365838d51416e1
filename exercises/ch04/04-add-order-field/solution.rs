//! Exercise ch04/04 · 필드 추가하기 (Adding a field to Order): a reference solution.
//!
//! Fixing the numbers (`solution.proto`) makes version 1 and version 2 read each other's
//! bytes. It does not make a round trip through a version 1 program lossless: prost, like
//! most protobuf libraries for Rust, does not keep the fields it does not know, so the book's
//! client that reads an order, changes its price and sends it back has dropped `customer` on
//! the way. What arrives is an order with `customer: ""`, and a server that stored it as is
//! would erase the customer of every order an old client touches.
//!
//! A proto3 `string` cannot say "not sent" apart from "sent empty", so the rule here is that
//! an update never clears the customer: an empty one keeps what is stored. A field that must
//! be clearable would be declared `optional string customer = 6;`, which gives it presence
//! (`Option<String>` in Rust): `None` from an old client, `Some("")` to clear.

use crate::ch04::proto::Order;

/// The order to store when a client sends `update` for the stored order `stored` (same id).
///
/// The client may be a version 2 program, which knows about `customer`, or a version 1
/// program (the book's), which does not: it read the order, changed what it knows about, and
/// sent it back.
pub fn apply_update(stored: &Order, mut update: Order) -> Order {
    if update.customer.is_empty() {
        update.customer.clone_from(&stored.customer);
    }
    update
}
