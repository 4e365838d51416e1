//! Checks for exercise ch04/03, 필드 추가하기 (Adding a field to Order).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch04_add_order_field -- --include-ignored`.
//!
//! Version 1 is the book's `Order` (`book_proto::ecommerce::Order`), version 2 the task's
//! (`exercises::ch04::proto::Order`). Each check writes a message with one version and reads
//! it with the other, as a book client and a newer server would.

use book_proto::ecommerce::Order as OrderV1;
use ch03_patterns::store::book_orders;
use exercises::ch04::add_order_field::apply_update;
use exercises::ch04::proto::Order as OrderV2;
use prost::Message;

/// The book's order 106 (chapter 3).
fn order_106() -> OrderV1 {
    book_orders()
        .into_iter()
        .find(|order| order.id == "106")
        .expect("a book order")
}

/// `order` as version 2 would hold it, with `customer`.
fn upgraded(order: &OrderV1, customer: &str) -> OrderV2 {
    OrderV2 {
        id: order.id.clone(),
        customer: customer.into(),
        items: order.items.clone(),
        description: order.description.clone(),
        price: order.price,
        destination: order.destination.clone(),
    }
}

/// What version 1 knows of `order`.
fn known_to_v1(order: &OrderV2) -> OrderV1 {
    OrderV1 {
        id: order.id.clone(),
        items: order.items.clone(),
        description: order.description.clone(),
        price: order.price,
        destination: order.destination.clone(),
    }
}

fn with_description(mut order: OrderV1) -> OrderV1 {
    order.description = "a gift: wrap it, please".into();
    order
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn version_2_reads_every_book_order() {
    for order in book_orders().into_iter().map(with_description) {
        let bytes = order.encode_to_vec();
        let read = OrderV2::decode(&bytes[..])
            .unwrap_or_else(|error| panic!("order {} does not decode: {error}", order.id));
        assert_eq!(read, upgraded(&order, ""), "order {}", order.id);
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_book_reads_a_version_2_order_and_skips_the_customer() {
    let order = upgraded(&with_description(order_106()), "Alice");
    let bytes = order.encode_to_vec();
    let read = OrderV1::decode(&bytes[..]).expect("version 1 decodes version 2's bytes");
    assert_eq!(read, known_to_v1(&order));
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn chapter_4s_hand_written_decoder_reads_version_2_too() {
    let order = upgraded(&with_description(order_106()), "Alice");
    let bytes = order.encode_to_vec();
    let read: OrderV1 = ch04_internals::protobuf::decode(&bytes)
        .expect("the hand-written decoder skips the field it does not know");
    assert_eq!(read, known_to_v1(&order));
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn an_order_without_a_customer_is_the_same_bytes_in_both_versions() {
    for order in book_orders().into_iter().map(with_description) {
        assert_eq!(
            upgraded(&order, "").encode_to_vec(),
            order.encode_to_vec(),
            "order {}: version 2 must write version 1's fields as version 1 did",
            order.id
        );
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn version_2_round_trips_the_customer() {
    let order = upgraded(&order_106(), "김철수");
    let read = OrderV2::decode(&order.encode_to_vec()[..]).expect("its own bytes");
    assert_eq!(read, order);
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn an_update_from_a_book_client_keeps_the_customer() {
    let stored = upgraded(&order_106(), "Alice");

    // The book's client reads the order, lowers the price, and sends it back.
    let mut seen_by_v1 =
        OrderV1::decode(&stored.encode_to_vec()[..]).expect("version 1 reads the order");
    seen_by_v1.price = 250.0;
    let sent = seen_by_v1.encode_to_vec();

    let update = OrderV2::decode(&sent[..]).expect("version 2 reads the update");
    assert_eq!(
        update.customer, "",
        "prost dropped the field version 1 does not know"
    );
    let now = apply_update(&stored, update);
    assert_eq!(now.price, 250.0, "the update is applied");
    assert_eq!(now.customer, "Alice", "the customer is still there");
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn an_update_from_a_version_2_client_can_change_the_customer() {
    let stored = upgraded(&order_106(), "Alice");
    let mut update = stored.clone();
    update.customer = "Bob".into();
    update.price = 250.0;
    let now = apply_update(&stored, update.clone());
    assert_eq!(now, update);
}
