//! Orders and shipments as the book's clients print them.
//!
//! Go's `log.Print(order)` prints a message in protobuf text format, which leaves out fields
//! holding their default value: `id:"106" items:"Amazon Echo" items:"Apple iPhone XS"
//! price:300 destination:"Mountain View, CA"` (no `description`, it is empty). The printer is
//! common's [`TextFormat`], which chapter 2's products print with too.

use std::fmt;

use book_proto::ecommerce::{CombinedShipment, Order};
use common::text_format::TextFormat;

/// An order in protobuf text format.
pub struct OrderText<'a>(pub &'a Order);

impl fmt::Display for OrderText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Order {
            id,
            items,
            description,
            price,
            destination,
        } = self.0;
        let text = TextFormat::new()
            .text("id", id)
            .texts("items", items)
            .text("description", description)
            .float("price", *price)
            .text("destination", destination);
        write!(f, "{text}")
    }
}

/// A combined shipment as its id and the ids of its orders: `cmb - San Jose, CA -> [103]`.
pub struct ShipmentText<'a>(pub &'a CombinedShipment);

impl fmt::Display for ShipmentText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self
            .0
            .orders_list
            .iter()
            .map(|order| order.id.as_str())
            .collect();
        write!(f, "{} -> [{}]", self.0.id, ids.join(", "))
    }
}
