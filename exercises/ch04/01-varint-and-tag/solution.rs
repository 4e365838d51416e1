//! Exercise ch04/01 · 배리언트와 태그 (Varints and tags, by hand): a reference solution.
//!
//! A varint spends one bit of every byte on "more follows", so small numbers, which most
//! tags, lengths and counts are, take one byte, and a `u64` takes at most ten. A tag packs
//! the field number and the wire type into one varint; the wire type is what lets any reader,
//! even one without the `.proto`, find where a field ends and skip it.

use ch04_internals::protobuf::wire::WireType;

/// `value` as a varint: seven bits per byte, least significant group first, the top bit of
/// every byte but the last set (`150` is `96 01`).
pub fn varint(mut value: u64) -> Vec<u8> {
    let mut bytes = Vec::new();
    // More than seven bits left: send the low seven with the continuation bit.
    while value >= 0x80 {
        bytes.push((value & 0x7f) as u8 | 0x80);
        value >>= 7;
    }
    // The last group, below 0x80, so its top bit is clear.
    bytes.push(value as u8);
    bytes
}

/// The tag of a field: its key `(field_number << 3) | wire type`, as a varint (`0a` for a
/// string in field 1).
pub fn tag(field_number: u32, wire_type: WireType) -> Vec<u8> {
    // Widened to u64 before the shift, so it cannot overflow: the largest field number,
    // 2^29 - 1, shifted by three only just fits a u32.
    let key = (u64::from(field_number) << 3) | u64::from(wire_type.bits());
    varint(key)
}

/// The book's `ProductID { value }` (`string value = 1;`) as protobuf bytes: the bytes
/// prost's `encode_to_vec` makes (`0a 02 31 35` for `"15"`).
pub fn product_id(value: &str) -> Vec<u8> {
    // proto3 does not write a field that holds its default value: for a string, "". The
    // empty message is zero bytes, and reads back as `value: ""`.
    if value.is_empty() {
        return Vec::new();
    }
    let mut bytes = tag(1, WireType::Len);
    // The length counts bytes, not characters: "한" is three bytes of UTF-8.
    bytes.extend(varint(value.len() as u64));
    bytes.extend_from_slice(value.as_bytes());
    bytes
}
