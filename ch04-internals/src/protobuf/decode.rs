//! Reading protobuf by hand: split the bytes into fields, then give each field to its message.
//!
//! The reader needs no schema to find where a field ends: the wire type in the tag says how
//! to skip it. Only the message knows what its fields mean ([`BookMessage::merge`]). Every
//! check a real decoder makes is here, because the bytes come from a peer: a varint that runs
//! off the end, a length longer than what is left, a wire type that does not exist, a string
//! that is not UTF-8. Each is an error that says so, never a panic.

use std::fmt;

use super::messages::BookMessage;
use super::wire::{Tag, WireType, take_varint};

/// How deeply groups may nest before the decoder gives up (prost's limit too), so that a
/// hostile message cannot exhaust the stack.
pub const MAX_GROUP_DEPTH: usize = 100;

/// Why some bytes are not a valid message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The input ends in the middle of a varint.
    VarintTruncated,
    /// A varint longer than ten bytes, or larger than 64 bits.
    VarintOverflow,
    /// A tag key larger than 32 bits.
    KeyTooLarge(u64),
    /// The low three bits of a tag are 6 or 7, which name no wire type.
    NoSuchWireType(u8),
    /// A tag with field number 0, which no `.proto` can declare.
    FieldNumberZero,
    /// A value needs more bytes than the input has left.
    Truncated {
        /// What was being read.
        what: &'static str,
        /// The bytes it needs.
        needed: u64,
        /// The bytes left.
        available: usize,
    },
    /// An end-group tag with no matching start-group tag.
    UnexpectedEndGroup(u32),
    /// Groups nested deeper than [`MAX_GROUP_DEPTH`].
    GroupsTooDeep,
    /// A known field arrived with a wire type its type cannot have.
    WrongWireType {
        /// `Message.field`.
        field: String,
        /// The wire type of the field's type.
        expected: WireType,
        /// The wire type on the wire.
        found: WireType,
    },
    /// A `string` field whose bytes are not UTF-8.
    InvalidUtf8 {
        /// `Message.field`.
        field: String,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::VarintTruncated => write!(f, "the input ends inside a varint"),
            Self::VarintOverflow => write!(f, "a varint longer than 64 bits"),
            Self::KeyTooLarge(key) => write!(f, "tag key {key} does not fit in 32 bits"),
            Self::NoSuchWireType(bits) => write!(f, "wire type {bits} does not exist"),
            Self::FieldNumberZero => write!(f, "field number 0 does not exist"),
            Self::Truncated {
                what,
                needed,
                available,
            } => write!(
                f,
                "{what} needs {needed} bytes but only {available} are left"
            ),
            Self::UnexpectedEndGroup(field) => {
                write!(f, "an end-group tag for field {field} that no group opened")
            }
            Self::GroupsTooDeep => {
                write!(f, "groups nested more than {MAX_GROUP_DEPTH} deep")
            }
            Self::WrongWireType {
                field,
                expected,
                found,
            } => write!(
                f,
                "{field} has wire type {expected}, but the input has {found}"
            ),
            Self::InvalidUtf8 { field } => write!(f, "{field} is not valid UTF-8"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A field's value as the wire type lays it out, before any schema gives it a meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawValue<'a> {
    /// Wire type 0.
    Varint(u64),
    /// Wire type 1.
    I64([u8; 8]),
    /// Wire type 2: the bytes after the length.
    Len(&'a [u8]),
    /// Wire type 3, read up to its end-group tag and skipped.
    Group,
    /// Wire type 5.
    I32([u8; 4]),
}

/// One field as read from the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawField<'a> {
    /// The field's tag.
    pub tag: Tag,
    /// Its value.
    pub value: RawValue<'a>,
}

impl RawField<'_> {
    /// The value of a `string` field of `message`.
    pub fn text(self, message: &str, field: &str) -> Result<String, DecodeError> {
        match self.value {
            RawValue::Len(bytes) => {
                String::from_utf8(bytes.to_vec()).map_err(|_| DecodeError::InvalidUtf8 {
                    field: format!("{message}.{field}"),
                })
            }
            _ => Err(self.wrong_wire_type(message, field, WireType::Len)),
        }
    }

    /// The value of a `float` field of `message`.
    pub fn float(self, message: &str, field: &str) -> Result<f32, DecodeError> {
        match self.value {
            RawValue::I32(bytes) => Ok(f32::from_le_bytes(bytes)),
            _ => Err(self.wrong_wire_type(message, field, WireType::I32)),
        }
    }

    fn wrong_wire_type(self, message: &str, field: &str, expected: WireType) -> DecodeError {
        DecodeError::WrongWireType {
            field: format!("{message}.{field}"),
            expected,
            found: self.tag.wire_type,
        }
    }
}

/// Decodes a whole message: reads fields until the bytes run out and merges each one.
pub fn decode<M: BookMessage>(mut bytes: &[u8]) -> Result<M, DecodeError> {
    let mut message = M::default();
    while !bytes.is_empty() {
        let field = read_field(&mut bytes)?;
        message.merge(field)?;
    }
    Ok(message)
}

/// Reads the field at the front of `input` and advances past it.
pub fn read_field<'a>(input: &mut &'a [u8]) -> Result<RawField<'a>, DecodeError> {
    let tag = Tag::from_key(take_varint(input)?)?;
    let value = match tag.wire_type {
        WireType::Varint => RawValue::Varint(take_varint(input)?),
        WireType::I64 => RawValue::I64(take_array(input, "a 64-bit value")?),
        WireType::I32 => RawValue::I32(take_array(input, "a 32-bit value")?),
        WireType::Len => {
            let length = take_varint(input)?;
            RawValue::Len(take(input, length, "a length-delimited value")?)
        }
        WireType::StartGroup => {
            skip_group(input, tag.field_number, 1)?;
            RawValue::Group
        }
        WireType::EndGroup => return Err(DecodeError::UnexpectedEndGroup(tag.field_number)),
    };
    Ok(RawField { tag, value })
}

/// Skips the fields of a group up to and including its end-group tag. `depth` counts the
/// groups the fields being read are inside.
fn skip_group(input: &mut &[u8], field_number: u32, depth: usize) -> Result<(), DecodeError> {
    loop {
        let tag = Tag::from_key(take_varint(input)?)?;
        match tag.wire_type {
            WireType::EndGroup if tag.field_number == field_number => return Ok(()),
            WireType::EndGroup => return Err(DecodeError::UnexpectedEndGroup(tag.field_number)),
            _ if depth >= MAX_GROUP_DEPTH => return Err(DecodeError::GroupsTooDeep),
            WireType::Varint => {
                take_varint(input)?;
            }
            WireType::I64 => {
                take(input, 8, "a 64-bit value")?;
            }
            WireType::I32 => {
                take(input, 4, "a 32-bit value")?;
            }
            WireType::Len => {
                let length = take_varint(input)?;
                take(input, length, "a length-delimited value")?;
            }
            WireType::StartGroup => skip_group(input, tag.field_number, depth + 1)?,
        }
    }
}

fn take<'a>(
    input: &mut &'a [u8],
    length: u64,
    what: &'static str,
) -> Result<&'a [u8], DecodeError> {
    let truncated = DecodeError::Truncated {
        what,
        needed: length,
        available: input.len(),
    };
    let length = usize::try_from(length).map_err(|_| truncated.clone())?;
    if length > input.len() {
        return Err(truncated);
    }
    let (value, rest) = input.split_at(length);
    *input = rest;
    Ok(value)
}

fn take_array<const N: usize>(
    input: &mut &[u8],
    what: &'static str,
) -> Result<[u8; N], DecodeError> {
    let bytes = take(input, N as u64, what)?;
    let mut array = [0; N];
    array.copy_from_slice(bytes);
    Ok(array)
}

#[cfg(test)]
mod tests {
    use book_proto::ecommerce::{Product, ProductId};

    use super::*;

    #[test]
    fn the_books_product_id_decodes() {
        let id: ProductId = decode(&[0x0a, 0x02, 0x31, 0x35]).expect("valid");
        assert_eq!(id.value, "15");
    }

    #[test]
    fn a_known_field_with_another_wire_type_is_an_error() {
        let varint_in_field_one = [0x08, 0x96, 0x01];
        let error = decode::<ProductId>(&varint_in_field_one).expect_err("field 1 is a string");
        assert_eq!(
            error.to_string(),
            "ProductID.value has wire type 2 (length-delimited), but the input has 0 (varint)"
        );
    }

    #[test]
    fn unknown_fields_of_every_wire_type_are_skipped() {
        let bytes = [
            0x10, 0x96, 0x01, // field 2, varint
            0x19, 1, 2, 3, 4, 5, 6, 7, 8, // field 3, 64-bit
            0x25, 1, 2, 3, 4, // field 4, 32-bit
            0x2a, 0x01, 0xff, // field 5, length-delimited
            0x33, 0x08, 0x01, 0x34, // field 6, a group holding a varint
            0x0a, 0x01, 0x41, // field 1, "A"
        ];
        let id: ProductId = decode(&bytes).expect("valid");
        assert_eq!(id.value, "A");
    }

    #[test]
    fn the_last_value_of_a_singular_field_wins() {
        let bytes = [0x0a, 0x01, 0x41, 0x0a, 0x01, 0x42];
        let id: ProductId = decode(&bytes).expect("valid");
        assert_eq!(id.value, "B");
    }

    #[test]
    fn broken_messages_say_what_is_wrong() {
        let cases: [(&[u8], &str); 6] = [
            (
                &[0x0a, 0x05, 0x31],
                "a length-delimited value needs 5 bytes but only 1 are left",
            ),
            (&[0x0f], "wire type 7 does not exist"),
            (&[0x02, 0x00], "field number 0 does not exist"),
            (&[0x0a, 0x01, 0xff], "ProductID.value is not valid UTF-8"),
            (&[0x0c], "an end-group tag for field 1 that no group opened"),
            (&[0x0a], "the input ends inside a varint"),
        ];
        for (bytes, message) in cases {
            let error = decode::<ProductId>(bytes).expect_err("broken");
            assert_eq!(error.to_string(), message, "{bytes:02x?}");
        }
        let error = decode::<Product>(&[0x25, 0x00, 0x00]).expect_err("short float");
        assert_eq!(
            error.to_string(),
            "a 32-bit value needs 4 bytes but only 2 are left"
        );
    }

    #[test]
    fn groups_nest_up_to_the_limit() {
        let nested = |depth: usize| {
            let mut bytes = vec![0x4b; depth]; // field 9, start group
            bytes.extend(vec![0x4c; depth]); // field 9, end group
            bytes
        };
        assert!(decode::<Product>(&nested(MAX_GROUP_DEPTH)).is_ok());
        assert_eq!(
            decode::<Product>(&nested(MAX_GROUP_DEPTH + 1)).expect_err("too deep"),
            DecodeError::GroupsTooDeep
        );
    }
}
