//! Error handling: order `-1` is refused with a code, a message and a field violation that
//! the book's Go client (and Python's grpcio-status) can read.

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::client::order_101;
use ch05_advanced::error_handling::{
    INVALID_MESSAGE, field_violations, invalid_order, order_service,
};
use common::local::LocalServer;
use prost::Message;
use tonic::Code;
use tonic_types::pb::bad_request::FieldViolation;

async fn start() -> LocalServer<tonic::transport::Error> {
    LocalServer::start(|listener, shutdown| {
        ch03_patterns::serve(listener, order_service(), shutdown.wait())
    })
    .await
    .expect("bind a loopback port")
}

fn invalid_order_request() -> book_proto::ecommerce::Order {
    book_proto::ecommerce::Order {
        id: "-1".into(),
        ..order_101()
    }
}

#[tokio::test]
async fn order_minus_one_is_invalid_argument_with_a_field_violation() {
    let server = start().await;
    let mut client = OrderManagementClient::new(server.channel());

    let status = client
        .add_order(invalid_order_request())
        .await
        .expect_err("order -1 is refused");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(status.message(), INVALID_MESSAGE);

    let details = field_violations(&status);
    assert_eq!(
        details.field_violations,
        [FieldViolation {
            field: "ID".into(),
            description: "Order ID received is not valid -1 : ".into(),
            ..FieldViolation::default()
        }]
    );
    assert!(details.other_types.is_empty());

    // A valid order still goes through.
    let reply = client
        .add_order(order_101())
        .await
        .expect("add 101")
        .into_inner();
    assert_eq!(reply, "Order Added: 101");
    server.stop().await.expect("clean stop");
}

#[test]
fn the_details_are_the_books_bytes() {
    let status = invalid_order(&invalid_order_request());
    let rich = tonic_types::pb::Status::decode(status.details()).expect("a google.rpc.Status");
    assert_eq!(rich.code, 3);
    assert_eq!(rich.message, INVALID_MESSAGE);
    assert_eq!(rich.details.len(), 1);
    assert_eq!(
        rich.details[0].type_url, "type.googleapis.com/google.rpc.BadRequest.FieldViolation",
        "packed alone, as the Go server's errdetails.BadRequest_FieldViolation"
    );
}

#[test]
fn a_bad_request_wrapper_and_unknown_details_are_read_too() {
    let violation = FieldViolation {
        field: "price".into(),
        description: "negative".into(),
        ..FieldViolation::default()
    };
    let status = tonic::Status::with_details(
        Code::InvalidArgument,
        "bad",
        tonic_types::pb::Status {
            code: 3,
            message: "bad".into(),
            details: vec![
                prost_types::Any {
                    type_url: "type.googleapis.com/google.rpc.BadRequest".into(),
                    value: tonic_types::pb::BadRequest {
                        field_violations: vec![violation.clone()],
                    }
                    .encode_to_vec(),
                },
                prost_types::Any {
                    type_url: "type.googleapis.com/google.rpc.RetryInfo".into(),
                    value: Vec::new(),
                },
            ],
        }
        .encode_to_vec()
        .into(),
    );
    let details = field_violations(&status);
    assert_eq!(details.field_violations, [violation]);
    assert_eq!(
        details.other_types,
        ["type.googleapis.com/google.rpc.RetryInfo"]
    );

    let garbled =
        tonic::Status::with_details(Code::InvalidArgument, "bad", vec![0xff, 0xff].into());
    assert_eq!(field_violations(&garbled), Default::default());
}

#[tokio::test]
async fn the_client_binary_prints_the_code_and_the_violation() {
    let server = start().await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_ch05-error-handling-client"))
        .args(["--addr", &server.addr().to_string()])
        .output()
        .await
        .expect("run the client");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Invalid Argument Error : InvalidArgument\n\
         Request Field Invalid: field:\"ID\" description:\"Order ID received is not valid -1 : \"\n"
    );
    server.stop().await.expect("clean stop");
}
