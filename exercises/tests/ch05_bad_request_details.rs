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
use exercises::harness::LocalServer;
use tonic::{Code, Status};
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

async fn refused(client: &mut OrderManagementClient<Channel>, order: Order) -> Status {
    let status = client
        .add_order(order)
        .await
        .expect_err("the order is refused");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert_eq!(status.message(), INVALID_ORDER, "{status:?}");
    status
}

/// The fields the status's `google.rpc.BadRequest` names, read with tonic-types directly.
fn violated_fields(status: &Status) -> Vec<String> {
    let bad_request = status
        .get_details_bad_request()
        .unwrap_or_else(|| panic!("no google.rpc.BadRequest in the details of {status:?}"));
    bad_request
        .field_violations
        .into_iter()
        .map(|violation| {
            assert!(
                !violation.description.is_empty(),
                "{violation:?} says nothing"
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
    let reply = client
        .add_order(order("201", &["Pixel 9"], 799.0, "Seoul"))
        .await
        .expect("a valid order is added")
        .into_inner();
    assert_eq!(reply, "Order Added: 201");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn every_bad_field_is_named_in_a_bad_request() {
    let (server, mut client) = start().await;
    let status = refused(&mut client, order("", &[], -1.0, " ")).await;
    assert_eq!(
        violated_fields(&status),
        ["id", "items", "price", "destination"],
        "{status:?}"
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
    let status = refused(
        &mut client,
        order("202", &["Pixel 9", ""], f32::NAN, "Seoul"),
    )
    .await;
    assert_eq!(
        violated_fields(&status),
        ["items[1]", "price"],
        "{status:?}"
    );
    let lookup = client
        .get_order("202".to_owned())
        .await
        .expect_err("a refused order is not stored");
    assert_eq!(lookup.code(), Code::NotFound, "{lookup:?}");
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
    let expected = check(&bad);
    assert_eq!(expected.len(), 2, "{expected:?}");
    let status = refused(&mut client, bad).await;
    assert_eq!(field_errors(&status), expected);
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
    assert_eq!(
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
        ]
    );
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_status_without_details_has_no_field_errors() {
    assert_eq!(field_errors(&Status::invalid_argument("no details")), []);
    assert_eq!(field_errors(&Status::not_found("no details")), []);
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
    let status = refuse(&errors);
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(field_errors(&status), errors);
}
