//! A message printed the way the book's Go clients print one.
//!
//! Go's `log.Printf("Product: %v", product)` writes the message in protobuf text format, on one
//! line: `name:value` for each field, separated by spaces, strings quoted, a repeated field
//! once per element, and the fields that hold their default value (an empty string or list,
//! a zero number) left out, since proto3 does not send them either:
//!
//! ```text
//! id:"106" items:"Amazon Echo" items:"Apple iPhone XS" price:300 destination:"Mountain View, CA"
//! ```
//!
//! Chapter 2 prints products and chapter 3 orders with this one printer; each chapter lists
//! its message's fields in `.proto` order.

use std::fmt;

/// A message's fields in protobuf text format, added in field-number order.
///
/// ```
/// use common::text_format::TextFormat;
///
/// let text = TextFormat::new()
///     .text("id", "15")
///     .text("description", "")
///     .float("price", 699.0);
/// assert_eq!(text.to_string(), r#"id:"15" price:699"#);
/// ```
#[derive(Debug, Default)]
pub struct TextFormat {
    fields: Vec<String>,
}

impl TextFormat {
    /// No fields yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A `string` field, quoted; left out when empty.
    pub fn text(mut self, name: &str, value: &str) -> Self {
        if !value.is_empty() {
            self.fields.push(format!("{name}:{value:?}"));
        }
        self
    }

    /// A `repeated string` field: one `name:"…"` per element.
    pub fn texts(mut self, name: &str, values: &[String]) -> Self {
        self.fields
            .extend(values.iter().map(|value| format!("{name}:{value:?}")));
        self
    }

    /// A `float` field; left out when it is +0.0 (compared by bits: -0.0 is not the default).
    pub fn float(mut self, name: &str, value: f32) -> Self {
        if value.to_bits() != 0 {
            self.fields.push(format!("{name}:{value}"));
        }
        self
    }
}

impl fmt::Display for TextFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fields.join(" "))
    }
}
