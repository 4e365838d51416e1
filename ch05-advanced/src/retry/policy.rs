//! The retry policy: grpc-go's `retryPolicy` as a struct, and the tower [`Policy`] that
//! carries it out for one call.
//!
//! [`RetryPolicy`] holds the five fields of grpc-go's service config and prints itself as that
//! JSON. [`RetryPolicy::backoff`] is gRPC's formula (proposal A6), a pure function of the retry
//! number and a random number, so tests check it without a clock. [`Retrying`] is one call's
//! state (how many attempts so far, the random source) and implements tower's [`Policy`]:
//! tower's [`Retry`] service calls [`Policy::retry`] with each attempt's result and
//! [`Policy::clone_request`] before each attempt, and [`call`] puts the two together under one
//! [`Deadline`].

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use common::deadline::Deadline;
use common::status::RpcError;
use tonic::{Code, Request, Status};
use tower::ServiceExt as _;
use tower::retry::{Policy, Retry};
use tower::util::rng::{HasherRng, Rng};
use wire::status::spec_name;

/// Where a call reports its attempts: the client binary prints them, the tour collects them.
pub type Report = Arc<dyn Fn(String) + Send + Sync>;

/// gRPC's ceiling on `maxAttempts`: a service config asking for more gets 5.
pub const MAX_ATTEMPTS_CAP: u32 = 5;

/// When to try a call again, and how long to wait first: grpc-go's `retryPolicy`.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    backoff_multiplier: f64,
    retryable_status_codes: Vec<Code>,
}

impl Default for RetryPolicy {
    /// grpc-go's example, 4 attempts on `UNAVAILABLE`, with a backoff that grows (grpc-go's
    /// example waits a flat 10 ms): at most 50, 100 and 200 ms before the 2nd, 3rd and 4th.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_millis(500),
            backoff_multiplier: 2.0,
            retryable_status_codes: vec![Code::Unavailable],
        }
    }
}

impl RetryPolicy {
    /// At most `attempts` attempts in all, the first included: 1 turns retries off, and more
    /// than [`MAX_ATTEMPTS_CAP`] counts as the cap, as in gRPC.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.clamp(1, MAX_ATTEMPTS_CAP);
        self
    }

    /// The wait before the n-th retry is random, up to `initial × multiplier^(n-1)`, never
    /// above `max`.
    pub fn with_backoff(mut self, initial: Duration, max: Duration, multiplier: f64) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self.backoff_multiplier = multiplier;
        self
    }

    /// The codes worth another attempt. Only a code that says the server did not act on the
    /// call belongs here (`UNAVAILABLE`): retrying anything else may run a call twice.
    pub fn with_retryable_codes(mut self, codes: &[Code]) -> Self {
        self.retryable_status_codes = codes.to_vec();
        self
    }

    /// How many attempts a call makes at most.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether a failure with `code` is retried.
    pub fn retries(&self, code: Code) -> bool {
        self.retryable_status_codes.contains(&code)
    }

    /// The wait before retry number `retry` (1 before the 2nd attempt), given `random` in
    /// `[0, 1)`: gRPC's "full jitter", `random × min(initial × multiplier^(retry-1), max)`.
    ///
    /// Full jitter rather than a fixed wait plus a little noise: when a backend comes back,
    /// the clients it turned away spread their retries over the whole window instead of
    /// arriving together again.
    pub fn backoff(&self, retry: u32, random: f64) -> Duration {
        let exponent = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
        let ceiling = self.initial_backoff.as_secs_f64() * self.backoff_multiplier.powi(exponent);
        let max = self.max_backoff.as_secs_f64();
        // A multiplier of 0, a NaN or an infinity must not make a wait the policy never meant.
        let ceiling = if ceiling.is_nan() {
            max
        } else {
            ceiling.clamp(0.0, max)
        };
        Duration::try_from_secs_f64(ceiling * random.clamp(0.0, 1.0)).unwrap_or(self.max_backoff)
    }

    /// One call's retry state, drawing its jitter from `rng` and reporting to `report`.
    pub fn retrying<R: Rng + Clone>(&self, rng: R, report: Report) -> Retrying<R> {
        Retrying {
            policy: Arc::new(self.clone()),
            attempts: 0,
            rng,
            report,
        }
    }
}

/// Prints the policy as grpc-go's service config spells it.
impl fmt::Display for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let codes: Vec<String> = self
            .retryable_status_codes
            .iter()
            .map(|code| format!("\"{}\"", spec_name(*code)))
            .collect();
        write!(
            f,
            r#"{{"maxAttempts":{},"initialBackoff":"{}s","maxBackoff":"{}s","backoffMultiplier":{},"retryableStatusCodes":[{}]}}"#,
            self.max_attempts,
            self.initial_backoff.as_secs_f64(),
            self.max_backoff.as_secs_f64(),
            self.backoff_multiplier,
            codes.join(",")
        )
    }
}

/// One call under a [`RetryPolicy`]: the attempts made so far and the jitter's source.
///
/// tower clones the [`Retry`] service, and this with it, for each call, so the count starts
/// at zero every time.
#[derive(Clone)]
pub struct Retrying<R = HasherRng> {
    policy: Arc<RetryPolicy>,
    attempts: u32,
    rng: R,
    report: Report,
}

impl<Req: Clone, Res, R: Rng + Clone> Policy<Req, Res, Status> for Retrying<R> {
    type Future = tokio::time::Sleep;

    fn retry(
        &mut self,
        _request: &mut Req,
        result: &mut Result<Res, Status>,
    ) -> Option<Self::Future> {
        self.attempts += 1;
        let attempt = self.attempts;
        let status = match result {
            Ok(_) => {
                (self.report)(format!("attempt {attempt}: OK"));
                return None;
            }
            Err(status) => status,
        };
        let why_not = if !self.policy.retries(status.code()) {
            Some(format!("{} is not retryable", spec_name(status.code())))
        } else if attempt >= self.policy.max_attempts {
            Some(format!(
                "{attempt} of {} attempts made",
                self.policy.max_attempts
            ))
        } else {
            None
        };
        if let Some(why_not) = why_not {
            (self.report)(format!(
                "attempt {attempt}: {}; giving up: {why_not}",
                RpcError(status)
            ));
            return None;
        }
        let wait = self.policy.backoff(attempt, self.rng.next_f64());
        (self.report)(format!(
            "attempt {attempt}: {}; retrying in {} ms",
            RpcError(status),
            wait.as_millis()
        ));
        Some(tokio::time::sleep(wait))
    }

    /// Every attempt sends its own copy: an attempt consumes its request.
    fn clone_request(&mut self, request: &Req) -> Option<Req> {
        Some(request.clone())
    }
}

/// Calls `attempt` with `message` until it succeeds, fails for good, or runs out of attempts
/// under `retrying`, all within `deadline`.
///
/// The deadline bounds the whole: attempts and the waits between them. Each attempt's request
/// carries the time left as `grpc-timeout`, and when the deadline passes, during an attempt
/// or a wait, the call ends with `DEADLINE_EXCEEDED` (as grpc-go's does: its backoff waits on
/// the call's context too).
///
/// The retried service is a [`tower::service_fn`] over the request *message*, not the
/// channel: tower retries a request by cloning it, and on the channel a request is an
/// `http::Request` whose body is a stream that cannot be cloned (nor replayed once sent).
/// One level up, the message is a plain `Clone` value and each attempt encodes it afresh.
pub async fn call<Req, Res, R, F, Fut>(
    retrying: Retrying<R>,
    deadline: Deadline,
    message: Req,
    mut attempt: F,
) -> Result<Res, Status>
where
    Req: Clone,
    R: Rng + Clone,
    F: FnMut(Request<Req>) -> Fut + Clone,
    Fut: Future<Output = Result<Res, Status>>,
{
    let attempts = tower::service_fn(move |message| attempt(deadline.request(message)));
    deadline
        .run(Retry::new(retrying, attempts).oneshot(message))
        .await
}
