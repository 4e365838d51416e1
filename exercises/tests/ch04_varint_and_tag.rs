//! Checks for exercise ch04/01, 배리언트와 태그 (Varints and tags, by hand).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch04_varint_and_tag -- --include-ignored`.
//!
//! The reference is prost, the encoder tonic runs: `prost::encoding` holds the functions its
//! generated code calls (hidden from its documentation, but public).

use std::fmt;

use book_proto::ecommerce::ProductId;
use ch04_internals::protobuf::wire::{MAX_FIELD_NUMBER, WireType};
use exercises::ch04::varint_and_tag::{product_id, tag, varint};
use exercises::expect::sent;
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

/// Bytes as a failed check shows them: in hex, `[0a, 02, 31, 35]`.
#[derive(PartialEq)]
struct Hex(Vec<u8>);

impl fmt::Debug for Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02x?}", self.0)
    }
}

fn hex(bytes: impl AsRef<[u8]>) -> Hex {
    Hex(bytes.as_ref().to_vec())
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
        sent(format!("varint({value})")).expect_eq(hex(varint(value)), hex([value as u8]));
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_documentations_examples() {
    sent("varint(128)").expect_eq(hex(varint(128)), hex([0x80, 0x01]));
    sent("varint(150)").expect_eq(hex(varint(150)), hex([0x96, 0x01]));
    sent("varint(300)").expect_eq(hex(varint(300)), hex([0xac, 0x02]));
    sent("varint(16384)").expect_eq(hex(varint(16_384)), hex([0x80, 0x80, 0x01]));
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
        sent(format!(
            "varint({value}), that is 0x{value:x}; expected is what prost writes"
        ))
        .expect_eq(hex(varint(value)), hex(prost_varint(value)));
    }
    let call = sent("varint(u64::MAX): a u64 takes ten bytes at most");
    call.expect_eq(varint(u64::MAX).len(), 10);
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_books_tag_for_product_id_is_0x0a() {
    sent("tag(1, WireType::Len)").expect_eq(hex(tag(1, WireType::Len)), hex([0x0a]));
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
            sent(format!(
                "tag({field_number}, {wire_type}); expected is what prost writes"
            ))
            .expect_eq(
                hex(tag(field_number, wire_type)),
                hex(prost_tag(field_number, wire_type)),
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
    sent("product_id(\"15\")").expect_eq(hex(product_id("15")), hex([0x0a, 0x02, 0x31, 0x35]));
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
        let call = sent(format!(
            "product_id of a value of {} bytes ({} characters); expected is what prost writes",
            value.len(),
            value.chars().count()
        ));
        let bytes = product_id(&value);
        call.expect_eq(hex(&bytes), hex(&expected));
        match ProductId::decode(&bytes[..]) {
            Ok(decoded) => call.expect_eq(decoded.value, value),
            Err(error) => call.fail("bytes prost reads back", format!("prost: {error}")),
        }
    }
}
