//! The hand-written encoder and decoder, proved against prost (the code tonic runs) on many
//! generated messages: empty, non-ASCII and long strings, special floats, long lists.

use book_proto::ecommerce::{Order, Product, ProductId};
use ch04_internals::protobuf::{decode, encode};
use proptest::prelude::*;

/// -0.0: the one value where the hand encoder and prost 0.14 part ways.
const NEGATIVE_ZERO: u32 = 0x8000_0000;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zA-Z0-9 ]{1,20}",
        any::<String>(),
        r"[가-힣☕🚀é\x00-\x1f]{1,40}",
        ".{100,3000}",
    ]
}

/// A list element: short, so that a list of dozens stays quick to generate.
fn item() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zA-Z0-9 ]{1,20}",
        "[가-힣☕🚀é]{1,10}",
        any::<String>(),
    ]
}

fn price() -> impl Strategy<Value = f32> {
    prop_oneof![
        any::<f32>(),
        Just(0.0),
        Just(-0.0),
        Just(f32::NAN),
        Just(f32::INFINITY),
        Just(f32::NEG_INFINITY),
        Just(f32::MIN_POSITIVE / 2.0),
        Just(699.0),
    ]
}

fn product_id() -> impl Strategy<Value = ProductId> {
    text().prop_map(|value| ProductId { value })
}

fn product() -> impl Strategy<Value = Product> {
    (text(), text(), text(), price()).prop_map(|(id, name, description, price)| Product {
        id,
        name,
        description,
        price,
    })
}

fn order() -> impl Strategy<Value = Order> {
    (
        text(),
        prop::collection::vec(item(), 0..40),
        text(),
        price(),
        text(),
    )
        .prop_map(|(id, items, description, price, destination)| Order {
            id,
            items,
            description,
            price,
            destination,
        })
}

/// Messages are equal when their floats have the same bits (so NaN equals NaN, and -0.0
/// differs from 0.0).
fn same_product(a: &Product, b: &Product) -> bool {
    a.id == b.id
        && a.name == b.name
        && a.description == b.description
        && a.price.to_bits() == b.price.to_bits()
}

fn same_order(a: &Order, b: &Order) -> bool {
    a.id == b.id
        && a.items == b.items
        && a.description == b.description
        && a.price.to_bits() == b.price.to_bits()
        && a.destination == b.destination
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn product_ids_encode_and_decode_as_prost_does(id in product_id()) {
        let ours = encode(&id);
        prop_assert_eq!(&ours, &prost::Message::encode_to_vec(&id));
        prop_assert_eq!(decode::<ProductId>(&ours), Ok(id));
    }

    #[test]
    fn products_encode_as_prost_does_except_negative_zero(product in product()) {
        let ours = encode(&product);
        let theirs = prost::Message::encode_to_vec(&product);
        if product.price.to_bits() == NEGATIVE_ZERO {
            // prost writes nothing for -0.0, exactly as for +0.0; proto3 writes it.
            let positive_zero = Product { price: 0.0, ..product.clone() };
            prop_assert_eq!(&encode(&positive_zero), &theirs);
            prop_assert_eq!(ours.len(), theirs.len() + 5);
        } else {
            prop_assert_eq!(&ours, &theirs);
        }
        // prost reads back every bit of what we write, -0.0 and NaN included.
        let read_by_prost: Product = prost::Message::decode(&ours[..]).expect("prost decodes");
        prop_assert!(same_product(&read_by_prost, &product), "{read_by_prost:?}");
    }

    #[test]
    fn products_decode_as_prost_does(product in product()) {
        let theirs = prost::Message::encode_to_vec(&product);
        let ours: Product = decode(&theirs).expect("prost's bytes decode");
        let expected: Product = prost::Message::decode(&theirs[..]).expect("prost decodes");
        prop_assert!(same_product(&ours, &expected), "{ours:?} vs {expected:?}");
    }

    #[test]
    fn orders_round_trip_through_both(order in order()) {
        let ours = encode(&order);
        let theirs = prost::Message::encode_to_vec(&order);
        if order.price.to_bits() != NEGATIVE_ZERO {
            prop_assert_eq!(&ours, &theirs);
        }
        let decoded_by_us: Order = decode(&theirs).expect("prost's bytes decode");
        let decoded_by_prost: Order = prost::Message::decode(&ours[..]).expect("prost decodes");
        prop_assert!(same_order(&decoded_by_prost, &order), "{decoded_by_prost:?}");
        let expected = Order {
            price: if order.price.to_bits() == NEGATIVE_ZERO { 0.0 } else { order.price },
            ..order.clone()
        };
        prop_assert!(same_order(&decoded_by_us, &expected), "{decoded_by_us:?}");
    }
}

/// A field with any tag (field numbers around the known ones, every wire type including the
/// six and seven that do not exist) and a payload that may or may not fit it.
fn field_soup() -> impl Strategy<Value = Vec<u8>> {
    let field = (0u8..12, 0u8..8, prop::collection::vec(any::<u8>(), 0..12)).prop_map(
        |(number, wire_type, payload)| {
            let mut bytes = vec![(number << 3) | wire_type];
            if wire_type == 2 {
                bytes.push(u8::try_from(payload.len()).expect("short payload"));
            }
            bytes.extend(payload);
            bytes
        },
    );
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        prop::collection::vec(field, 0..8).prop_map(|fields| fields.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_bytes_are_accepted_or_refused_as_prost_does(bytes in field_soup()) {
        let ours = decode::<Order>(&bytes);
        let theirs = <Order as prost::Message>::decode(&bytes[..]);
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) => prop_assert!(same_order(&ours, &theirs)),
            (Err(_), Err(_)) => {}
            (ours, theirs) => prop_assert!(false, "we say {ours:?}, prost says {theirs:?}"),
        }
        let ours = decode::<Product>(&bytes).is_ok();
        let theirs = <Product as prost::Message>::decode(&bytes[..]).is_ok();
        prop_assert_eq!(ours, theirs);
    }
}
