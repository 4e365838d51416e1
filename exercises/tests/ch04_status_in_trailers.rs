//! Checks for exercise ch04/03, 트레일러 속 상태 (The status in the trailers).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch04_status_in_trailers -- --include-ignored`.
//!
//! The rules are the gRPC over HTTP/2 spec's (`grpc-message` is percent-encoded UTF-8,
//! visible ASCII but `%` sent as it is); the reference for real trailers is tonic, which
//! writes and reads the same headers on every call.

use exercises::ch04::status_in_trailers::{
    TrailerError, encode_grpc_message, status_from_trailers,
};
use exercises::expect::{Sent, describe_status, sent};
use http::{HeaderMap, HeaderValue};
use tonic::{Code, Status};

const KOREAN: &str = "주문 7을 찾을 수 없습니다";

/// Trailers with `grpc-status` and, when there is one, `grpc-message`, both as given.
fn trailers(status: &'static str, message: Option<&str>) -> HeaderMap {
    let mut trailers = HeaderMap::new();
    trailers.insert("grpc-status", HeaderValue::from_static(status));
    if let Some(message) = message {
        trailers.insert(
            "grpc-message",
            HeaderValue::from_str(message).expect("the checks send visible ASCII"),
        );
    }
    trailers
}

/// The status `trailers` carry, which must be one.
#[track_caller]
fn read(call: &Sent, trailers: &HeaderMap) -> Status {
    match status_from_trailers(trailers) {
        Ok(status) => status,
        Err(error) => call.fail("a status", format!("the error {error:?} ({error})")),
    }
}

/// Passes when `status` has `code` and `message`.
#[track_caller]
fn expect_status(call: &Sent, status: &Status, code: Code, message: &str) {
    call.expect(
        status.code() == code && status.message() == message,
        describe_status(&Status::new(code, message)),
        format_args!("{}", describe_status(status)),
    );
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn visible_ascii_goes_as_it_is() {
    let visible: String = (0x20u8..=0x7e)
        .filter(|byte| *byte != b'%')
        .map(char::from)
        .collect();
    for message in ["Order does not exist: 7", visible.as_str()] {
        sent(format!("encode_grpc_message({message:?})"))
            .expect_eq(encode_grpc_message(message), message);
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn control_characters_and_non_ascii_are_escaped_in_upper_case() {
    for (message, encoded) in [
        ("tab\there", "tab%09here"),
        ("two\r\nlines", "two%0D%0Alines"),
        ("\u{0}\u{1f}\u{7f}", "%00%1F%7F"),
        ("café", "caf%C3%A9"),
    ] {
        sent(format!("encode_grpc_message({message:?})"))
            .expect_eq(encode_grpc_message(message), encoded);
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn percent_itself_is_escaped_and_read_back() {
    for (message, encoded) in [("100%", "100%25"), ("%41", "%2541"), ("%", "%25")] {
        let call = sent(format!("encode_grpc_message({message:?})"));
        call.expect_eq(encode_grpc_message(message), encoded);
        let call = sent(format!("grpc-status: 2, grpc-message: {encoded}"));
        let status = read(&call, &trailers("2", Some(encoded)));
        expect_status(&call, &status, Code::Unknown, message);
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_korean_message_round_trips() {
    let encoded = "%EC%A3%BC%EB%AC%B8 7%EC%9D%84 %EC%B0%BE%EC%9D%84 %EC%88%98 %EC%97%86%EC%8A%B5%EB%8B%88%EB%8B%A4";
    let call = sent(format!("encode_grpc_message({KOREAN:?})"));
    call.expect_eq(encode_grpc_message(KOREAN), encoded);
    let call = sent(format!("grpc-status: 5, grpc-message: {encoded}"));
    let status = read(&call, &trailers("5", Some(encoded)));
    expect_status(&call, &status, Code::NotFound, KOREAN);
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn lower_case_escapes_are_read_too() {
    let call = sent("grpc-status: 5, grpc-message: caf%c3%a9");
    let status = read(&call, &trailers("5", Some("caf%c3%a9")));
    expect_status(&call, &status, Code::NotFound, "café");
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_percent_without_two_hex_digits_stays_as_it_is() {
    for (encoded, message) in [
        ("100%", "100%"),
        ("%zz", "%zz"),
        ("%4", "%4"),
        ("%4g", "%4g"),
        ("50%%41", "50%A"),
    ] {
        let call = sent(format!("grpc-status: 13, grpc-message: {encoded}"));
        let status = read(&call, &trailers("13", Some(encoded)));
        expect_status(&call, &status, Code::Internal, message);
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn bytes_that_are_not_utf8_become_the_replacement_character() {
    for (encoded, message) in [
        ("%FF", "\u{FFFD}"),
        ("ok%C3", "ok\u{FFFD}"),
        ("%EC%A3 7", "\u{FFFD} 7"),
    ] {
        let call = sent(format!("grpc-status: 13, grpc-message: {encoded}"));
        let status = read(&call, &trailers("13", Some(encoded)));
        expect_status(&call, &status, Code::Internal, message);
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn every_code_reads_and_no_message_is_an_empty_one() {
    let numbers = [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
    ];
    for (number, value) in numbers.into_iter().zip(0..) {
        let call = sent(format!("grpc-status: {number}, and no grpc-message"));
        let status = read(&call, &trailers(number, None));
        expect_status(&call, &status, Code::from_i32(value), "");
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn no_grpc_status_is_an_error() {
    let mut only_a_message = HeaderMap::new();
    only_a_message.insert("grpc-message", HeaderValue::from_static("lost"));
    sent("trailers with grpc-message: lost, and no grpc-status").expect_eq(
        status_from_trailers(&only_a_message).map(|status| describe_status(&status)),
        Err(TrailerError::MissingStatus),
    );
    sent("empty trailers").expect_eq(
        status_from_trailers(&HeaderMap::new()).map(|status| describe_status(&status)),
        Err(TrailerError::MissingStatus),
    );
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_grpc_status_that_is_not_a_code_is_an_error_naming_it() {
    for value in ["", "abc", "17", "-1", "+5", "5 ", "1.0", "99999999999"] {
        let call = sent(format!("grpc-status: {value:?}"));
        let came_back = status_from_trailers(&trailers(value, Some("lost")))
            .map(|status| describe_status(&status));
        call.expect_eq(
            &came_back,
            &Err(TrailerError::InvalidStatus(value.to_owned())),
        );
        if let Err(error) = came_back {
            call.expect(
                error.to_string().contains("grpc-status"),
                "an error message that names grpc-status",
                error.to_string(),
            );
        }
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn tonic_reads_what_you_write_and_you_read_what_tonic_writes() {
    for message in [
        KOREAN,
        "Order does not exist: 7",
        "a \"quoted\" #tag?",
        "tab\there",
    ] {
        let mut written_by_tonic = HeaderMap::new();
        Status::not_found(message)
            .add_header(&mut written_by_tonic)
            .expect("tonic writes the trailers");
        let call = sent(format!(
            "the trailers tonic writes for NOT_FOUND {message:?}"
        ));
        let status = read(&call, &written_by_tonic);
        expect_status(&call, &status, Code::NotFound, message);

        let call = sent(format!(
            "grpc-message: encode_grpc_message({message:?}), read by tonic"
        ));
        let encoded = encode_grpc_message(message);
        let value = HeaderValue::from_str(&encoded)
            .unwrap_or_else(|_| call.fail("a valid header value: visible ASCII only", &encoded));
        let mut written_by_you = trailers("5", None);
        written_by_you.insert("grpc-message", value);
        let read_by_tonic =
            Status::from_header_map(&written_by_you).expect("tonic finds grpc-status 5");
        expect_status(&call, &read_by_tonic, Code::NotFound, message);
    }
}
