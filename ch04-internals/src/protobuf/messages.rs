//! The book's messages, field by field, as `product_info.proto` and `order_management.proto`
//! declare them.
//!
//! This is the knowledge that protoc (here prost) turns into generated code: which field
//! number carries which field, and of what type. The encoder asks a message for its
//! [`fields`](BookMessage::fields); the decoder hands a message each field it reads with
//! [`merge`](BookMessage::merge). Field names appear only for the annotations: they are
//! never on the wire.
//!
//! Depends on [`wire`](super::wire) alone, for the fields [`merge`](BookMessage::merge) is
//! handed; the encoder and the decoder depend on it.

use book_proto::ecommerce::{Order, Product, ProductId};

use super::wire::{DecodeError, RawField};

/// A field's value as the encoder writes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// `string`: length-delimited UTF-8.
    Text(&'a str),
    /// `float`: four bytes, little-endian IEEE 754.
    Float(f32),
    /// `repeated string`: one length-delimited field per element, each with its own tag.
    RepeatedText(&'a [String]),
}

impl Value<'_> {
    /// Whether this is the type's default value, which proto3 leaves off the wire: an empty
    /// string or list, or a float of +0.0. Floats compare by bits, so -0.0 is not a default.
    pub fn is_default(self) -> bool {
        match self {
            Self::Text(text) => text.is_empty(),
            Self::Float(value) => value.to_bits() == 0,
            Self::RepeatedText(items) => items.is_empty(),
        }
    }
}

/// One field of a message: its number and name in the `.proto`, and its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field<'a> {
    /// The field number, which is what travels.
    pub number: u32,
    /// The field name, for people.
    pub name: &'static str,
    /// The value.
    pub value: Value<'a>,
}

impl<'a> Field<'a> {
    fn text(number: u32, name: &'static str, value: &'a str) -> Self {
        Self {
            number,
            name,
            value: Value::Text(value),
        }
    }

    fn float(number: u32, name: &'static str, value: f32) -> Self {
        Self {
            number,
            name,
            value: Value::Float(value),
        }
    }

    fn repeated_text(number: u32, name: &'static str, values: &'a [String]) -> Self {
        Self {
            number,
            name,
            value: Value::RepeatedText(values),
        }
    }
}

/// `Product { id: "", name: "Apple iPhone 11", … }`: every field by its `.proto` name,
/// defaults included, so a reader can see which fields the encoding leaves out. A string
/// longer than [`SHOWN_CHARACTERS`] is cut, with its length in bytes.
pub fn describe<M: BookMessage>(message: &M) -> String {
    let fields: Vec<String> = message
        .fields()
        .iter()
        .map(|field| match field.value {
            Value::Text(text) => format!("{}: {}", field.name, quoted(text)),
            Value::Float(value) => format!("{}: {value:?}", field.name),
            Value::RepeatedText(items) => {
                let items: Vec<String> = items.iter().map(|item| quoted(item)).collect();
                format!("{}: [{}]", field.name, items.join(", "))
            }
        })
        .collect();
    format!("{} {{ {} }}", M::NAME, fields.join(", "))
}

/// How many characters of a string [`describe`] shows.
pub const SHOWN_CHARACTERS: usize = 100;

fn quoted(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARACTERS) {
        None => format!("{text:?}"),
        Some((cut, _)) => format!("{:?}… ({} bytes)", &text[..cut], text.len()),
    }
}

/// A message of the book that the hand-written encoder and decoder know.
pub trait BookMessage: Default + std::fmt::Debug {
    /// The message's name in the `.proto`.
    const NAME: &'static str;

    /// Every field, in field-number order (the order protobuf encoders write them in).
    fn fields(&self) -> Vec<Field<'_>>;

    /// Takes in one field read from the wire.
    ///
    /// A singular field seen twice keeps the last value; a repeated field collects every
    /// value; a field number the `.proto` does not have is skipped, which is how an old
    /// program reads messages from a newer one.
    fn merge(&mut self, field: RawField<'_>) -> Result<(), DecodeError>;
}

impl BookMessage for ProductId {
    const NAME: &'static str = "ProductID";

    fn fields(&self) -> Vec<Field<'_>> {
        vec![Field::text(1, "value", &self.value)]
    }

    fn merge(&mut self, field: RawField<'_>) -> Result<(), DecodeError> {
        if field.tag.field_number == 1 {
            self.value = field.text(Self::NAME, "value")?;
        }
        Ok(())
    }
}

impl BookMessage for Product {
    const NAME: &'static str = "Product";

    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            Field::text(1, "id", &self.id),
            Field::text(2, "name", &self.name),
            Field::text(3, "description", &self.description),
            Field::float(4, "price", self.price),
        ]
    }

    fn merge(&mut self, field: RawField<'_>) -> Result<(), DecodeError> {
        match field.tag.field_number {
            1 => self.id = field.text(Self::NAME, "id")?,
            2 => self.name = field.text(Self::NAME, "name")?,
            3 => self.description = field.text(Self::NAME, "description")?,
            4 => self.price = field.float(Self::NAME, "price")?,
            _ => {}
        }
        Ok(())
    }
}

impl BookMessage for Order {
    const NAME: &'static str = "Order";

    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            Field::text(1, "id", &self.id),
            Field::repeated_text(2, "items", &self.items),
            Field::text(3, "description", &self.description),
            Field::float(4, "price", self.price),
            Field::text(5, "destination", &self.destination),
        ]
    }

    fn merge(&mut self, field: RawField<'_>) -> Result<(), DecodeError> {
        match field.tag.field_number {
            1 => self.id = field.text(Self::NAME, "id")?,
            2 => self.items.push(field.text(Self::NAME, "items")?),
            3 => self.description = field.text(Self::NAME, "description")?,
            4 => self.price = field.float(Self::NAME, "price")?,
            5 => self.destination = field.text(Self::NAME, "destination")?,
            _ => {}
        }
        Ok(())
    }
}
