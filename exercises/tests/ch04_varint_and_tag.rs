//! Checks for exercise ch04/01, 배리언트와 태그 (Varints and tags, by hand).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch04_varint_and_tag -- --include-ignored`.
//!
//! The reference is prost, the encoder tonic runs: `prost::encoding` holds the functions its
//! generated code calls (hidden from its documentation, but public).

use book_proto::ecommerce::ProductId;
use ch04_internals::protobuf::wire::{MAX_FIELD_NUMBER, WireType};
use exercises::ch04::varint_and_tag::{product_id, tag, varint};
use prost::Message;

fn prost_varint(value: u64) -> Vec<u8> {
    let mut bytes = Vec::new();
    prost::encoding::encode_varint(value, &mut bytes);
    bytes
}

fn prost_tag(field_number: u32, wire_type: WireType) -> Vec<u8> {
    let wire_type = prost::encoding::WireType::try_from(u64::from(wire_type.bits()))
        .expect("prost has the same six wire types");
    let mut bytes = Vec::new();
    prost::encoding::encode_key(field_number, wire_type, &mut bytes);
    bytes
}

const WIRE_TYPES: [WireType; 6] = [
    WireType::Varint,
    WireType::I64,
    WireType::Len,
    WireType::StartGroup,
    WireType::EndGroup,
    WireType::I32,
];

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn numbers_below_128_are_one_byte() {
    for value in [0, 1, 15, 127] {
        assert_eq!(varint(value), [value as u8], "{value}");
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_documentations_examples() {
    assert_eq!(varint(128), [0x80, 0x01]);
    assert_eq!(varint(150), [0x96, 0x01]);
    assert_eq!(varint(300), [0xac, 0x02]);
    assert_eq!(varint(16_384), [0x80, 0x80, 0x01]);
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn varints_are_prosts_from_0_to_u64_max() {
    // Every power of two and the number below it: each size of varint, and both sides of
    // each boundary between sizes.
    let values = (0..64)
        .flat_map(|shift| [1u64 << shift, (1u64 << shift) - 1, (1u64 << shift) + 1])
        .chain([u64::MAX, u64::from(u32::MAX), 0x0123_4567_89ab_cdef]);
    for value in values {
        assert_eq!(varint(value), prost_varint(value), "{value} (0x{value:x})");
    }
    assert_eq!(varint(u64::MAX).len(), 10, "a u64 takes ten bytes at most");
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_books_tag_for_product_id_is_0x0a() {
    assert_eq!(tag(1, WireType::Len), [0x0a]);
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn tags_are_prosts_for_every_wire_type() {
    let field_numbers = [1, 2, 4, 5, 15, 16, 2047, 2048, 100_000, MAX_FIELD_NUMBER];
    for field_number in field_numbers {
        for wire_type in WIRE_TYPES {
            assert_eq!(
                tag(field_number, wire_type),
                prost_tag(field_number, wire_type),
                "field {field_number}, wire type {wire_type}"
            );
        }
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_books_product_id_15_is_four_bytes() {
    assert_eq!(product_id("15"), [0x0a, 0x02, 0x31, 0x35]);
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn product_ids_are_prosts() {
    let values = [
        String::new(),
        "15".to_owned(),
        "한국어".to_owned(),
        "x".repeat(127),
        "x".repeat(128),
        "상품".repeat(5_000),
    ];
    for value in values {
        let expected = ProductId {
            value: value.clone(),
        }
        .encode_to_vec();
        let bytes = product_id(&value);
        assert_eq!(
            bytes,
            expected,
            "a value of {} bytes ({} characters)",
            value.len(),
            value.chars().count()
        );
        let decoded = ProductId::decode(&bytes[..]).expect("prost reads it back");
        assert_eq!(decoded.value, value);
    }
}
