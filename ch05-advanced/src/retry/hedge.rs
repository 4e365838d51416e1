//! Hedging: when the first backend is slow to answer, ask a second one too, and take
//! whichever answer comes first.
//!
//! Retries help when a call *fails*; hedging helps when it is merely *slow* (a backend in a
//! garbage-collection pause, a queue behind a heavy call). grpc-go's `hedgingPolicy` sends
//! the call, and after `hedgingDelay` without an answer sends it again, to whichever backend
//! the balancer picks; the first answer wins and the other attempts are cancelled.
//!
//! Written here on tokio rather than with tower's `hedge` middleware: tower's hedges a
//! request to the *same* inner service once it has been waiting longer than a percentile of
//! the latencies it has recorded (so it needs a warm-up of past calls, and a balancer inside
//! to reach another backend). This sample wants grpc-go's fixed delay and a named second
//! backend, which is a `select!` between two futures:
//!
//! * Rust futures are lazy, so the second call is made by *starting to poll* its future
//!   after the delay; until then it has sent nothing.
//! * The losing call is cancelled by dropping its future: tonic resets its HTTP/2 stream
//!   (RST_STREAM CANCEL), and the backend drops its handler.

use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use common::status::RpcError;
use tonic::{Code, Status};

use super::policy::Report;
use wire::status::spec_name;

/// When to send the second attempt, and which failures leave the race open:
/// grpc-go's `hedgingPolicy` for two backends.
#[derive(Debug, Clone, PartialEq)]
pub struct HedgingPolicy {
    hedging_delay: Duration,
    non_fatal_status_codes: Vec<Code>,
}

impl Default for HedgingPolicy {
    /// Hedge after 100 ms; an `UNAVAILABLE` from one backend leaves the other to answer.
    fn default() -> Self {
        Self {
            hedging_delay: Duration::from_millis(100),
            non_fatal_status_codes: vec![Code::Unavailable],
        }
    }
}

impl HedgingPolicy {
    /// Sends the second attempt after `delay` without an answer.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.hedging_delay = delay;
        self
    }

    /// The hedging delay.
    pub fn delay(&self) -> Duration {
        self.hedging_delay
    }

    /// Whether a failure with `code` leaves the race to the other attempt. Any other
    /// answer, success or failure, is the call's answer.
    fn non_fatal(&self, result: &Result<impl Sized, Status>) -> bool {
        matches!(result, Err(status) if self.non_fatal_status_codes.contains(&status.code()))
    }
}

/// Prints the policy as grpc-go's service config spells it.
impl fmt::Display for HedgingPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let codes: Vec<String> = self
            .non_fatal_status_codes
            .iter()
            .map(|code| format!("\"{}\"", spec_name(*code)))
            .collect();
        write!(
            f,
            r#"{{"maxAttempts":2,"hedgingDelay":"{}s","nonFatalStatusCodes":[{}]}}"#,
            self.hedging_delay.as_secs_f64(),
            codes.join(",")
        )
    }
}

/// Two named attempts at the same call.
pub struct Attempt<F> {
    /// Who is asked, for the report: the backend's address.
    pub name: String,
    /// The call; nothing is sent until it is polled.
    pub call: F,
}

/// Runs `first`, and `second` too if `first` has not answered within the policy's delay (or
/// failed with a non-fatal code before that); returns the first answer that is not a
/// non-fatal failure, and drops the other attempt, cancelling it.
///
/// Give both calls the same deadline ([`common::deadline::Deadline::request`]) and run the
/// whole under it, as for retries.
pub async fn hedge<T, A, B>(
    policy: &HedgingPolicy,
    first: Attempt<A>,
    second: Attempt<B>,
    report: &Report,
) -> Result<T, Status>
where
    A: Future<Output = Result<T, Status>>,
    B: Future<Output = Result<T, Status>>,
{
    let (a, b) = (first.name, second.name);
    let mut first = pin!(first.call);
    let mut second = pin!(second.call);

    tokio::select! {
        result = &mut first => {
            if !policy.non_fatal(&result) {
                return result;
            }
            report(format!("{a} failed: {}; sending to {b} at once", describe(&result)));
            return second.await;
        }
        () = tokio::time::sleep(policy.hedging_delay) => {
            report(format!(
                "no answer from {a} after {} ms; sending to {b} too",
                policy.hedging_delay.as_millis()
            ));
        }
    }

    tokio::select! {
        result = &mut first => {
            if policy.non_fatal(&result) {
                report(format!("{a} failed: {}; waiting for {b}", describe(&result)));
                return second.await;
            }
            report(format!("{a} answered first; cancelling {b}"));
            result
        }
        result = &mut second => {
            if policy.non_fatal(&result) {
                report(format!("{b} failed: {}; waiting for {a}", describe(&result)));
                return first.await;
            }
            report(format!("{b} answered first; cancelling {a}"));
            result
        }
    }
}

fn describe<T>(result: &Result<T, Status>) -> String {
    match result {
        Ok(_) => "OK".to_owned(),
        Err(status) => RpcError(status).to_string(),
    }
}
