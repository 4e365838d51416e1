//! How a check fails: in plain words, with what it sent, what it expected and what came
//! back. The runner (`cargo run --bin learn`) shows the first failing check's message as it
//! is, so a student reads
//!
//! ```text
//! sent:      addProduct with the name "" and the price 699
//! expected:  INVALID_ARGUMENT, with "name" in the message
//! came back: OK, the id "5d2c…"
//! ```
//!
//! rather than `assertion left == right failed` and two `Debug` dumps. Every exercise's tests
//! go through [`sent`]:
//!
//! ```
//! use exercises::expect::sent;
//! let call = sent("the query \"google\"");
//! call.expect_eq(vec!["102", "104"], vec!["102", "104"]);
//! ```

use std::fmt::{Debug, Display};

use tonic::{Code, Status};

/// Starts a check of one call: `what` says in words what the test sent.
pub fn sent(what: impl Display) -> Sent {
    Sent(what.to_string())
}

/// What a check sent; each method passes, or fails the test with the sent, expected and
/// came-back lines.
#[derive(Debug, Clone)]
pub struct Sent(String);

impl Sent {
    /// Passes when what came back equals what was expected.
    #[track_caller]
    pub fn expect_eq<T: Debug + PartialEq<E>, E: Debug>(&self, came_back: T, expected: E) {
        if came_back != expected {
            self.fail(format!("{expected:?}"), format!("{came_back:?}"));
        }
    }

    /// Passes when `holds`; `expected` says in words what should have held.
    #[track_caller]
    pub fn expect(&self, holds: bool, expected: impl Display, came_back: impl Debug) {
        if !holds {
            self.fail(expected, format!("{came_back:?}"));
        }
    }

    /// Passes on `OK` and hands back the response.
    #[track_caller]
    pub fn expect_ok<T>(&self, result: Result<T, Status>) -> T {
        match result {
            Ok(value) => value,
            Err(status) => self.fail("OK", describe_status(&status)),
        }
    }

    /// Passes when the call ended with `code`, and hands back the status for more checks.
    #[track_caller]
    pub fn expect_code<T: Debug>(&self, result: Result<T, Status>, code: Code) -> Status {
        match result {
            Err(status) if status.code() == code => status,
            Err(status) => self.fail(wire::status::spec_name(code), describe_status(&status)),
            Ok(value) => self.fail(wire::status::spec_name(code), format!("OK, {value:?}")),
        }
    }

    /// Fails the check.
    #[track_caller]
    pub fn fail(&self, expected: impl Display, came_back: impl Display) -> ! {
        panic!(
            "\nsent:      {}\nexpected:  {expected}\ncame back: {came_back}",
            self.0
        )
    }
}

/// A status as a student reads it: `NOT_FOUND "order 7 not found"`.
pub fn describe_status(status: &Status) -> String {
    format!(
        "{} {:?}",
        wire::status::spec_name(status.code()),
        status.message()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message_of(check: impl FnOnce()) -> String {
        let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(check))
            .expect_err("the check fails");
        payload
            .downcast_ref::<String>()
            .cloned()
            .expect("a formatted message")
    }

    #[test]
    fn a_failure_names_what_was_sent_expected_and_came_back() {
        let message = message_of(|| sent("getProduct(\"7\")").expect_eq("Apple", "Samsung"));
        assert_eq!(
            message,
            "\nsent:      getProduct(\"7\")\nexpected:  \"Samsung\"\ncame back: \"Apple\""
        );
    }

    #[test]
    fn a_status_reads_as_its_spec_name_and_message() {
        let result: Result<(), Status> = Err(Status::not_found("order 7 not found"));
        let message = message_of(|| {
            sent("getOrder(\"7\")").expect_ok(result);
        });
        assert!(
            message.ends_with("expected:  OK\ncame back: NOT_FOUND \"order 7 not found\""),
            "{message}"
        );
    }

    #[test]
    fn a_call_that_succeeded_where_a_code_was_expected_shows_the_response() {
        let message = message_of(|| {
            sent("addProduct with no name").expect_code(Ok("id 1"), Code::InvalidArgument);
        });
        assert!(
            message.ends_with("expected:  INVALID_ARGUMENT\ncame back: OK, \"id 1\""),
            "{message}"
        );
    }
}
