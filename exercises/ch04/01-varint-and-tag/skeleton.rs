//! Exercise ch04/01 · 배리언트와 태그 (Varints and tags, by hand). The task is in
//! `README.md` beside this file; the checks are `tests/ch04_varint_and_tag.rs`.
//!
//! Three functions, each building on the one before: [`varint`] writes a number the way
//! protobuf writes every integer, tag and length; [`tag`] writes what starts every field;
//! [`product_id`] writes the book's whole `ProductID` message. Chapter 4's crate has all of
//! this already (`ch04_internals::protobuf`); the point here is to write it yourself, so do
//! not call it.

use ch04_internals::protobuf::wire::WireType;

/// `value` as a varint: seven bits per byte, least significant group first, the top bit of
/// every byte but the last set (`150` is `96 01`).
pub fn varint(value: u64) -> Vec<u8> {
    // EXERCISE: right for 0 to 127 only. Take the low seven bits (`value & 0x7f`) while
    // more than seven bits are left, with 0x80 added to say "another byte follows".
    vec![(value & 0xff) as u8]
}

/// The tag of a field: its key `(field_number << 3) | wire type`, as a varint (`0a` for a
/// string in field 1).
pub fn tag(field_number: u32, _wire_type: WireType) -> Vec<u8> {
    // EXERCISE: the key keeps the wire type's number (`WireType::bits`) in its low three bits.
    varint(u64::from(field_number))
}

/// The book's `ProductID { value }` (`string value = 1;`) as protobuf bytes: the bytes
/// prost's `encode_to_vec` makes (`0a 02 31 35` for `"15"`).
pub fn product_id(value: &str) -> Vec<u8> {
    // EXERCISE: a string field is its tag (field 1, length-delimited), its length in bytes
    // as a varint, then its UTF-8 bytes. And proto3 leaves out a field that holds its
    // default value.
    value.as_bytes().to_vec()
}
