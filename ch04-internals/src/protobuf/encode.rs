//! Writing protobuf by hand, one annotated piece at a time.
//!
//! The encoder produces [`Piece`]s: some bytes and what they mean (a tag, a length, a
//! string, a float). [`encode`] just concatenates them, so the bytes `ch04-encode` explains
//! are exactly the bytes that go on the wire, and the property tests compare them with
//! prost's.
//!
//! The rules, for the types the book's messages use:
//! * a field is a tag followed by its value; fields go in field-number order;
//! * proto3 leaves out a field that holds its default value: an empty string, a float of
//!   +0.0 (compared by bits, so -0.0 is written: it is not the default);
//! * a `string` is length-delimited: a varint length in bytes (not characters), then UTF-8;
//! * a `float` is four bytes, little-endian;
//! * a `repeated string` writes one complete field (tag, length, bytes) per element, empty
//!   elements included, because an element's position in the list is data.

use std::fmt;

use super::messages::{BookMessage, Field, Value};
use super::wire::{Tag, WireType, put_varint, varint_groups};

/// Some bytes of an encoding and what they mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// The bytes, as they go on the wire.
    pub bytes: Vec<u8>,
    /// What they are.
    pub meaning: Meaning,
}

/// What a [`Piece`] of an encoding is.
#[derive(Debug, Clone, PartialEq)]
pub enum Meaning {
    /// A field's tag, written as a varint.
    Tag {
        /// The tag.
        tag: Tag,
        /// The field's name in the `.proto`.
        field: &'static str,
    },
    /// The length of a length-delimited value, written as a varint.
    Length(u64),
    /// The UTF-8 bytes of a string.
    Text(String),
    /// The four little-endian bytes of a float.
    Float(f32),
}

/// Encodes `message` as the pieces of its encoding, in order.
pub fn encode_annotated<M: BookMessage>(message: &M) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let written = message
        .fields()
        .into_iter()
        .filter(|field| !field.value.is_default());
    for field in written {
        match field.value {
            Value::Text(text) => put_text(&mut pieces, &field, text),
            Value::Float(value) => {
                put_tag(&mut pieces, &field, WireType::I32);
                pieces.push(Piece {
                    bytes: value.to_le_bytes().to_vec(),
                    meaning: Meaning::Float(value),
                });
            }
            Value::RepeatedText(items) => {
                for item in items {
                    put_text(&mut pieces, &field, item);
                }
            }
        }
    }
    pieces
}

/// Encodes `message` to the bytes that go on the wire.
pub fn encode<M: BookMessage>(message: &M) -> Vec<u8> {
    encode_annotated(message)
        .into_iter()
        .flat_map(|piece| piece.bytes)
        .collect()
}

fn put_tag(pieces: &mut Vec<Piece>, field: &Field<'_>, wire_type: WireType) {
    let tag = Tag::new(field.number, wire_type);
    pieces.push(Piece {
        bytes: varint(tag.key()),
        meaning: Meaning::Tag {
            tag,
            field: field.name,
        },
    });
}

fn put_text(pieces: &mut Vec<Piece>, field: &Field<'_>, text: &str) {
    put_tag(pieces, field, WireType::Len);
    let length = text.len() as u64;
    pieces.push(Piece {
        bytes: varint(length),
        meaning: Meaning::Length(length),
    });
    pieces.push(Piece {
        bytes: text.as_bytes().to_vec(),
        meaning: Meaning::Text(text.to_owned()),
    });
}

fn varint(value: u64) -> Vec<u8> {
    let mut bytes = Vec::new();
    put_varint(value, &mut bytes);
    bytes
}

/// The note `ch04-encode` prints next to the bytes.
impl fmt::Display for Piece {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.meaning {
            Meaning::Tag { tag, field } => write!(
                f,
                "tag: field {} ({field}), wire type {}: ({} << 3) | {} = {}{}",
                tag.field_number,
                tag.wire_type,
                tag.field_number,
                tag.wire_type.bits(),
                tag.key(),
                VarintSum(&self.bytes),
            ),
            Meaning::Length(length) => {
                write!(f, "length: {length}{}", VarintSum(&self.bytes))
            }
            Meaning::Text(text) => {
                let characters = text.chars().count();
                if characters == text.len() {
                    write!(f, "{text:?}")
                } else {
                    write!(
                        f,
                        "{text:?}: {characters} characters in {} bytes of UTF-8",
                        text.len()
                    )
                }
            }
            Meaning::Float(value) => write!(
                f,
                "{value:?} (float, little-endian; bits 0x{:08x})",
                value.to_bits()
            ),
        }
    }
}

/// How a varint of more than one byte adds up: ` (varint: 72 + 1 × 128)`. Nothing for a
/// one-byte varint, which is just its value.
struct VarintSum<'a>(&'a [u8]);

impl fmt::Display for VarintSum<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.len() < 2 {
            return Ok(());
        }
        write!(f, " (varint: ")?;
        for (index, group) in varint_groups(self.0).into_iter().enumerate() {
            match index {
                0 => write!(f, "{group}")?,
                _ => write!(f, " + {group} × {}", 1u128 << (7 * index))?,
            }
        }
        write!(f, ")")
    }
}

#[cfg(test)]
mod tests {
    use book_proto::ecommerce::{Order, Product, ProductId};

    use super::*;

    #[test]
    fn the_books_product_id_is_four_bytes() {
        let id = ProductId { value: "15".into() };
        assert_eq!(encode(&id), [0x0a, 0x02, 0x31, 0x35]);
        let notes: Vec<String> = encode_annotated(&id)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            notes,
            [
                "tag: field 1 (value), wire type 2 (length-delimited): (1 << 3) | 2 = 10",
                "length: 2",
                "\"15\"",
            ]
        );
    }

    #[test]
    fn default_values_are_left_out() {
        assert!(encode(&Product::default()).is_empty());
        let price_only = Product {
            price: 1.5,
            ..Product::default()
        };
        assert_eq!(encode(&price_only), [0x25, 0x00, 0x00, 0xc0, 0x3f]);
    }

    #[test]
    fn negative_zero_is_not_the_default() {
        let negative_zero = Product {
            price: -0.0,
            ..Product::default()
        };
        assert_eq!(encode(&negative_zero), [0x25, 0x00, 0x00, 0x00, 0x80]);
    }

    #[test]
    fn every_repeated_element_gets_its_own_tag_even_an_empty_one() {
        let order = Order {
            items: vec!["a".into(), String::new()],
            ..Order::default()
        };
        assert_eq!(encode(&order), [0x12, 0x01, 0x61, 0x12, 0x00]);
    }

    #[test]
    fn long_lengths_explain_their_varint() {
        let id = ProductId {
            value: "x".repeat(200),
        };
        let pieces = encode_annotated(&id);
        assert_eq!(pieces[1].bytes, [0xc8, 0x01]);
        assert_eq!(pieces[1].to_string(), "length: 200 (varint: 72 + 1 × 128)");
    }

    #[test]
    fn lengths_count_bytes_not_characters() {
        let id = ProductId {
            value: "커피 ☕".into(),
        };
        let pieces = encode_annotated(&id);
        assert_eq!(pieces[1].meaning, Meaning::Length(10));
        assert_eq!(
            pieces[2].to_string(),
            "\"커피 ☕\": 4 characters in 10 bytes of UTF-8"
        );
    }

    #[test]
    fn floats_are_little_endian() {
        let piece = Piece {
            bytes: 699.0f32.to_le_bytes().to_vec(),
            meaning: Meaning::Float(699.0),
        };
        assert_eq!(piece.bytes, [0x00, 0xc0, 0x2e, 0x44]);
        assert_eq!(
            piece.to_string(),
            "699.0 (float, little-endian; bits 0x442ec000)"
        );
    }
}
