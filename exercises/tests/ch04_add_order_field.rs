//! Checks for exercise ch04/04, 필드 추가하기 (Adding a field to Order).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch04_add_order_field -- --include-ignored`.
//!
//! Version 1 is the book's `Order` (`book_proto::ecommerce::Order`), version 2 the task's
//! (`exercises::ch04::proto::Order`). Each check writes a message with one version and reads
//! it with the other, as a book client and a newer server would.

use std::fmt;

use book_proto::ecommerce::Order as OrderV1;
use ch03_patterns::store::book_orders;
use exercises::ch04::add_order_field::apply_update;
use exercises::ch04::proto::Order as OrderV2;
use exercises::expect::{Sent, sent};
use prost::Message;

/// Bytes as a failed check shows them: in hex, `[0a, 03, 31, 30, 36]`.
#[derive(PartialEq)]
struct Hex(Vec<u8>);

impl fmt::Debug for Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02x?}", self.0)
    }
}

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

/// Decodes `bytes` as an `M`, or fails the check saying what the decoder said.
#[track_caller]
fn decode<M: Message + Default>(call: &Sent, bytes: &[u8]) -> M {
    M::decode(bytes)
        .unwrap_or_else(|error| call.fail("bytes that decode", format!("prost: {error}")))
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
        let call = sent(format!(
            "the book's order {} (version 1), read as version 2",
            order.id
        ));
        let read: OrderV2 = decode(&call, &order.encode_to_vec());
        call.expect_eq(read, upgraded(&order, ""));
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_book_reads_a_version_2_order_and_skips_the_customer() {
    let order = upgraded(&with_description(order_106()), "Alice");
    let call =
        sent("order 106 with the customer \"Alice\" (version 2), read as the book's version 1");
    let read: OrderV1 = decode(&call, &order.encode_to_vec());
    call.expect_eq(read, known_to_v1(&order));
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn chapter_4s_hand_written_decoder_reads_version_2_too() {
    let order = upgraded(&with_description(order_106()), "Alice");
    let call = sent(
        "order 106 with the customer \"Alice\" (version 2), read by chapter 4's hand-written decoder",
    );
    let read: OrderV1 =
        ch04_internals::protobuf::decode(&order.encode_to_vec()).unwrap_or_else(|error| {
            call.fail(
                "the order, with the field version 1 does not know skipped",
                format!("the decoder's error: {error}"),
            )
        });
    call.expect_eq(read, known_to_v1(&order));
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn an_order_without_a_customer_is_the_same_bytes_in_both_versions() {
    for order in book_orders().into_iter().map(with_description) {
        sent(format!(
            "the book's order {} as version 2 with no customer; expected are version 1's bytes",
            order.id
        ))
        .expect_eq(
            Hex(upgraded(&order, "").encode_to_vec()),
            Hex(order.encode_to_vec()),
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
    let call = sent("order 106 with the customer \"김철수\", written and read by version 2");
    let read: OrderV2 = decode(&call, &order.encode_to_vec());
    call.expect_eq(read, order);
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn an_update_from_a_book_client_keeps_the_customer() {
    let stored = upgraded(&order_106(), "Alice");

    // The book's client reads the order, lowers the price, and sends it back.
    let call = sent(
        "order 106 of \"Alice\", read by the book's version 1 client, sent back at the price 250, \
         then apply_update",
    );
    let mut seen_by_v1: OrderV1 = decode(&call, &stored.encode_to_vec());
    seen_by_v1.price = 250.0;
    let sent_back = seen_by_v1.encode_to_vec();

    let update: OrderV2 = decode(&call, &sent_back);
    call.expect(
        update.customer.is_empty(),
        "an update without the customer: prost dropped the field version 1 does not know",
        &update,
    );
    let now = apply_update(&stored, update);
    call.expect(
        now.price == 250.0 && now.customer == "Alice",
        "the price 250 applied, and the customer \"Alice\" still there",
        &now,
    );
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
    let call = sent(
        "apply_update of order 106 of \"Alice\" with a version 2 update: customer \"Bob\", price 250",
    );
    let now = apply_update(&stored, update.clone());
    call.expect_eq(now, update);
}
