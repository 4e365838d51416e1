//! Checks for exercise ch05/02, 에러 세부 정보 (Rich error details): `google.rpc.BadRequest`.
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch05_bad_request_details -- --include-ignored`.

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use common::channel::Channel;
use exercises::ch05::bad_request_details::{
    FieldError, INVALID_ORDER, check, field_errors, refuse, serve,
};
use exercises::expect::{Sent, describe_status, sent};
use exercises::harness::LocalServer;
use tonic::{Code, Response, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

async fn start() -> (
    LocalServer<tonic::transport::Error>,
    OrderManagementClient<Channel>,
) {
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait()))
        .await
        .expect("bind a loopback port");
    let client = OrderManagementClient::new(server.channel());
    (server, client)
}

fn order(id: &str, items: &[&str], price: f32, destination: &str) -> Order {
    Order {
        id: id.into(),
        items: items.iter().map(|item| (*item).into()).collect(),
        description: "from the exercise's tests".into(),
        price,
        destination: destination.into(),
    }
}

/// Sends `order` with `addOrder`, and checks it is refused with `INVALID_ARGUMENT` and the
/// message [`INVALID_ORDER`].
async fn refused(client: &mut OrderManagementClient<Channel>, call: &Sent, order: Order) -> Status {
    let added = client.add_order(order).await.map(Response::into_inner);
    let status = call.expect_code(added, Code::InvalidArgument);
    call.expect_eq(status.message(), INVALID_ORDER);
    status
}

/// The fields the status's `google.rpc.BadRequest` names, read with tonic-types directly.
fn violated_fields(call: &Sent, status: &Status) -> Vec<String> {
    let Some(bad_request) = status.get_details_bad_request() else {
        call.fail(
            "a google.rpc.BadRequest in the status's details",
            format!("{}, with no BadRequest", describe_status(status)),
        )
    };
    bad_request
        .field_violations
        .into_iter()
        .map(|violation| {
            call.expect(
                !violation.description.is_empty(),
                format!("a description for the field {:?}", violation.field),
                &violation,
            );
            violation.field
        })
        .collect()
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_valid_order_is_still_added() {
    let (server, mut client) = start().await;
    let call = sent("addOrder with order 201: one item, the price 799 and the destination Seoul");
    let reply = call
        .expect_ok(
            client
                .add_order(order("201", &["Pixel 9"], 799.0, "Seoul"))
                .await,
        )
        .into_inner();
    call.expect_eq(reply, "Order Added: 201");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn every_bad_field_is_named_in_a_bad_request() {
    let (server, mut client) = start().await;
    let call = sent(
        "addOrder with an empty id, no items, the price -1 and the destination \" \" (all four bad)",
    );
    let status = refused(&mut client, &call, order("", &[], -1.0, " ")).await;
    call.expect_eq(
        violated_fields(&call, &status),
        ["id", "items", "price", "destination"],
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn one_bad_field_is_one_violation_and_nothing_is_stored() {
    let (server, mut client) = start().await;
    let call = sent(
        "addOrder with order 202: items [\"Pixel 9\", \"\"] (the second is empty) and the price NaN",
    );
    let status = refused(
        &mut client,
        &call,
        order("202", &["Pixel 9", ""], f32::NAN, "Seoul"),
    )
    .await;
    call.expect_eq(violated_fields(&call, &status), ["items[1]", "price"]);
    let lookup = sent("getOrder(\"202\") after order 202 was refused");
    let found = client
        .get_order("202".to_owned())
        .await
        .map(Response::into_inner);
    lookup.expect_code(found, Code::NotFound);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_client_reads_back_what_the_server_found() {
    let (server, mut client) = start().await;
    let bad = order("", &["Pixel 9"], 0.0, "Seoul");
    let found = sent("check() on an order with an empty id and the price 0");
    let expected = check(&bad);
    found.expect(
        expected.len() == 2,
        "two field errors (id and price)",
        &expected,
    );
    let call = sent("addOrder with an empty id and the price 0, read back with field_errors()");
    let status = refused(&mut client, &call, bad).await;
    call.expect_eq(field_errors(&status), expected);
    server.stop().await.expect("the server stops");
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_client_reads_any_servers_bad_request() {
    // Made by tonic-types, as any other server would: the reader must not depend on `refuse`.
    let status = Status::with_error_details(
        Code::InvalidArgument,
        "bad",
        ErrorDetails::with_bad_request(vec![
            FieldViolation::new("name", "too long"),
            FieldViolation::new("tags[3]", "not a tag"),
        ]),
    );
    sent("field_errors() of a status made by tonic-types, naming \"name\" and \"tags[3]\"")
        .expect_eq(
            field_errors(&status),
            [
                FieldError {
                    field: "name".into(),
                    description: "too long".into(),
                },
                FieldError {
                    field: "tags[3]".into(),
                    description: "not a tag".into(),
                },
            ],
        );
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_status_without_details_has_no_field_errors() {
    sent("field_errors() of INVALID_ARGUMENT with no details")
        .expect_eq(field_errors(&Status::invalid_argument("no details")), []);
    sent("field_errors() of NOT_FOUND with no details")
        .expect_eq(field_errors(&Status::not_found("no details")), []);
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn refuse_keeps_the_errors_in_order() {
    let errors = vec![
        FieldError {
            field: "destination".into(),
            description: "nowhere".into(),
        },
        FieldError {
            field: "id".into(),
            description: "missing".into(),
        },
    ];
    let call =
        sent("refuse() with errors for \"destination\" then \"id\", read back with field_errors()");
    let status = refuse(&errors);
    call.expect_eq(status.code(), Code::InvalidArgument);
    call.expect_eq(field_errors(&status), errors);
}
