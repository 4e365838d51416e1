//! The messages the chapter explains: the book's own examples.

use book_proto::ecommerce::{Order, Product, ProductId};

/// The book's example for the encoding: a `ProductID` whose value is `"15"`, which it shows
/// as the four bytes `0a 02 31 35`.
pub fn product_id() -> ProductId {
    ProductId { value: "15".into() }
}

/// The product chapter 2's client adds: no id yet (the server gives one), so field 1 is
/// left out of the encoding.
pub fn product() -> Product {
    ch02_productinfo::client::book_product()
}

/// Order 102 from the book's chapter 3 samples: two items and no description.
pub fn order() -> Order {
    ch03_patterns::store::book_order("102").expect("order 102 is one of the book's orders")
}
