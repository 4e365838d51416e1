//! The three building blocks of the protobuf wire format: varints, wire types and tags.
//!
//! A protobuf message is a plain sequence of fields, with no header and no end marker. Each
//! field starts with a *tag*, `(field_number << 3) | wire_type`, itself written as a varint.
//! The field number says which field of the `.proto` this is; the wire type says how long
//! the value that follows is, so a reader can skip a field it does not know. Field names never
//! travel: that is why renaming a field is harmless and renumbering one is not.
//!
//! A field as a reader finds it, before any schema gives it a meaning ([`RawField`]), and the
//! ways bytes can break these rules ([`DecodeError`]), are here too, so that this module
//! depends on no other: [`messages`](super::messages), [`encode`](mod@super::encode) and
//! [`decode`](mod@super::decode) build on it.

use std::fmt;

/// How the value after a tag is laid out (the book's table of wire types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireType {
    /// 0: a varint. int32, int64, uint32, uint64, sint32, sint64, bool, enum.
    Varint,
    /// 1: eight bytes, little-endian. fixed64, sfixed64, double.
    I64,
    /// 2: a varint length, then that many bytes. string, bytes, embedded messages, packed
    /// repeated fields.
    Len,
    /// 3: the start of a group, a proto2 feature that proto3 no longer has.
    StartGroup,
    /// 4: the end of a group.
    EndGroup,
    /// 5: four bytes, little-endian. fixed32, sfixed32, float.
    I32,
}

impl WireType {
    /// The wire type in the low three bits of a tag, if those bits name one (6 and 7 do not).
    pub fn from_bits(bits: u8) -> Option<Self> {
        match bits {
            0 => Some(Self::Varint),
            1 => Some(Self::I64),
            2 => Some(Self::Len),
            3 => Some(Self::StartGroup),
            4 => Some(Self::EndGroup),
            5 => Some(Self::I32),
            _ => None,
        }
    }

    /// The number the wire type is written as.
    pub fn bits(self) -> u8 {
        match self {
            Self::Varint => 0,
            Self::I64 => 1,
            Self::Len => 2,
            Self::StartGroup => 3,
            Self::EndGroup => 4,
            Self::I32 => 5,
        }
    }

    /// The name the protobuf documentation uses.
    pub fn name(self) -> &'static str {
        match self {
            Self::Varint => "varint",
            Self::I64 => "64-bit",
            Self::Len => "length-delimited",
            Self::StartGroup => "start group",
            Self::EndGroup => "end group",
            Self::I32 => "32-bit",
        }
    }
}

impl fmt::Display for WireType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.bits(), self.name())
    }
}

/// The largest field number a `.proto` may use: 2^29 - 1, so that a tag fits in 32 bits.
pub const MAX_FIELD_NUMBER: u32 = (1 << 29) - 1;

/// What starts every field: its number and its wire type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    /// The field number from the `.proto` (`string name = 2;` has number 2).
    pub field_number: u32,
    /// How the value that follows is laid out.
    pub wire_type: WireType,
}

impl Tag {
    /// The tag of field `field_number` with values of `wire_type`.
    pub const fn new(field_number: u32, wire_type: WireType) -> Self {
        Self {
            field_number,
            wire_type,
        }
    }

    /// The number written on the wire (as a varint): `(field_number << 3) | wire_type`.
    pub fn key(self) -> u64 {
        (u64::from(self.field_number) << 3) | u64::from(self.wire_type.bits())
    }

    /// Reads a tag back from the number on the wire.
    ///
    /// A key must fit in 32 bits, its low three bits must name a wire type, and field number 0
    /// does not exist.
    pub fn from_key(key: u64) -> Result<Self, DecodeError> {
        let key = u32::try_from(key).map_err(|_| DecodeError::KeyTooLarge(key))?;
        let bits = (key & 0b111) as u8;
        let wire_type = WireType::from_bits(bits).ok_or(DecodeError::NoSuchWireType(bits))?;
        let field_number = key >> 3;
        if field_number == 0 {
            return Err(DecodeError::FieldNumberZero);
        }
        Ok(Self::new(field_number, wire_type))
    }
}

/// Appends `value` as a varint: seven bits per byte, least significant group first, the top
/// bit of each byte set when another byte follows. Small numbers take one byte; a `u64` takes
/// at most ten.
pub fn put_varint(mut value: u64, out: &mut Vec<u8>) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// The longest varint: ten bytes carry 70 bits, enough for 64.
pub const MAX_VARINT_LEN: usize = 10;

/// Reads a varint from the front of `input` and advances past it.
///
/// Fails when the input ends inside the varint, or when it runs past ten bytes or 64 bits.
pub fn take_varint(input: &mut &[u8]) -> Result<u64, DecodeError> {
    let mut value = 0u64;
    for (index, &byte) in input.iter().enumerate().take(MAX_VARINT_LEN) {
        let group = u64::from(byte & 0x7f);
        // The tenth byte holds only the 64th bit.
        if index == MAX_VARINT_LEN - 1 && group > 1 {
            return Err(DecodeError::VarintOverflow);
        }
        value |= group << (7 * index);
        if byte < 0x80 {
            *input = &input[index + 1..];
            return Ok(value);
        }
    }
    if input.len() >= MAX_VARINT_LEN {
        Err(DecodeError::VarintOverflow)
    } else {
        Err(DecodeError::VarintTruncated)
    }
}

/// The seven-bit groups of a varint's bytes, least significant first: `[0x48, 0x01]` for
/// the bytes `c8 01` (200 = 0x48 + 0x01 × 128). Used to explain a varint, not to decode one.
pub fn varint_groups(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().map(|byte| byte & 0x7f).collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn varint(value: u64) -> Vec<u8> {
        let mut out = Vec::new();
        put_varint(value, &mut out);
        out
    }

    #[test]
    fn varints_take_seven_bits_per_byte() {
        assert_eq!(varint(0), [0x00]);
        assert_eq!(varint(1), [0x01]);
        assert_eq!(varint(127), [0x7f]);
        assert_eq!(varint(128), [0x80, 0x01]);
        assert_eq!(varint(150), [0x96, 0x01]);
        assert_eq!(varint(300), [0xac, 0x02]);
        assert_eq!(varint(u64::MAX).len(), MAX_VARINT_LEN);
    }

    #[test]
    fn varints_read_back_and_advance() {
        for value in [0, 1, 127, 128, 300, 1 << 35, u64::MAX] {
            let mut bytes = varint(value);
            bytes.push(0xee);
            let mut input = &bytes[..];
            assert_eq!(take_varint(&mut input), Ok(value));
            assert_eq!(input, [0xee]);
        }
    }

    #[test]
    fn broken_varints_are_errors() {
        assert_eq!(take_varint(&mut &[][..]), Err(DecodeError::VarintTruncated));
        assert_eq!(
            take_varint(&mut &[0x80, 0x80][..]),
            Err(DecodeError::VarintTruncated)
        );
        assert_eq!(
            take_varint(&mut &[0xff; 11][..]),
            Err(DecodeError::VarintOverflow)
        );
        let mut too_big = vec![0xff; 9];
        too_big.push(0x02);
        assert_eq!(
            take_varint(&mut &too_big[..]),
            Err(DecodeError::VarintOverflow)
        );
    }

    #[test]
    fn the_books_tag_for_a_string_in_field_one_is_ten() {
        let tag = Tag::new(1, WireType::Len);
        assert_eq!(tag.key(), 0x0a);
        assert_eq!(Tag::from_key(0x0a), Ok(tag));
        assert_eq!(
            Tag::new(MAX_FIELD_NUMBER, WireType::I32).key(),
            u64::from(u32::MAX) - 2
        );
    }

    #[test]
    fn impossible_tags_are_errors() {
        assert_eq!(Tag::from_key(0x02), Err(DecodeError::FieldNumberZero));
        assert_eq!(Tag::from_key(0x0e), Err(DecodeError::NoSuchWireType(6)));
        assert_eq!(
            Tag::from_key(1 << 32),
            Err(DecodeError::KeyTooLarge(1 << 32))
        );
    }
}
