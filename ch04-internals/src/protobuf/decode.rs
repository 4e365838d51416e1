//! Reading protobuf by hand: split the bytes into fields, then give each field to its message.
//!
//! The reader needs no schema to find where a field ends: the wire type in the tag says how
//! to skip it. Only the message knows what its fields mean ([`BookMessage::merge`]). Every
//! check a real decoder makes is here, because the bytes come from a peer: a varint that runs
//! off the end, a length longer than what is left, a wire type that does not exist, a string
//! that is not UTF-8. Each is an error that says so, never a panic.
//!
//! Depends on [`wire`](super::wire) (tags, varints, the raw field, the errors) and
//! [`messages`](super::messages) (which message takes which field); neither depends on it.

use super::messages::BookMessage;
use super::wire::{DecodeError, MAX_GROUP_DEPTH, RawField, RawValue, Tag, WireType, take_varint};

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
