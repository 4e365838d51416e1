//! 「gRPC: 고급 기능」 5장 밖의 내용, 재시도와 헤징 (Retries and hedging, beyond the book): the
//! client.
//!
//! With `ch05-retry-server` running:
//!
//! ```text
//! cargo run --bin ch05-retry-client
//! ```
//!
//! It calls `UnaryEcho` on localhost:50051 under a retry policy and a 1 s deadline, then
//! again, hedged to localhost:50052 (`--replica-addr`) after 100 ms. The waits are random:
//!
//! ```text
//! retry policy: {"maxAttempts":4,"initialBackoff":"0.05s","maxBackoff":"0.5s","backoffMultiplier":2,"retryableStatusCodes":["UNAVAILABLE"]}
//! attempt 1: rpc error: code = Unavailable desc = maybeFailRequest: failing it; retrying in 21 ms
//! attempt 2: rpc error: code = Unavailable desc = maybeFailRequest: failing it; retrying in 64 ms
//! attempt 3: rpc error: code = Unavailable desc = maybeFailRequest: failing it; retrying in 117 ms
//! attempt 4: OK
//! UnaryEcho reply: message:"Try and Success (from :50051)"
//! hedging policy: {"maxAttempts":2,"hedgingDelay":"0.1s","nonFatalStatusCodes":["UNAVAILABLE"]}
//! no answer from localhost:50051 after 100 ms; sending to localhost:50052 too
//! localhost:50052 answered first; cancelling localhost:50051
//! UnaryEcho reply: message:"Hedge and Win (from :50052)"
//! ```

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use ch05_advanced::retry::{CALL_TIMEOUT, HedgingPolicy, RetryPolicy};
use clap::Parser;
use common::args::ClientAddr;

/// grpc-go's retry client, and a hedged call.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ClientAddr,
    /// Address of the replica the hedged call goes to, as HOST:PORT.
    #[arg(long, default_value = "localhost:50052")]
    replica_addr: String,
    /// Attempts per call, the first included (at most 5, as in gRPC).
    #[arg(long, default_value_t = RetryPolicy::default().max_attempts())]
    max_attempts: u32,
    /// The deadline of each call, all its attempts included, in milliseconds.
    #[arg(long, default_value_t = CALL_TIMEOUT.as_millis() as u64)]
    deadline_ms: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let retry = RetryPolicy::default().with_max_attempts(args.max_attempts);
    let timeout = Duration::from_millis(args.deadline_ms);
    let replica = ClientAddr {
        addr: args.replica_addr,
    };
    let primary = args.server.addr.clone();
    common::client::run(&args.server, |channel| async move {
        let replica_channel = replica.dial().await.map_err(|error| error.to_string())?;
        ch05_advanced::retry::book_flow(
            (&primary, channel),
            (&replica.addr, replica_channel),
            &retry,
            &HedgingPolicy::default(),
            timeout,
            Arc::new(|line| println!("{line}")),
        )
        .await
    })
    .await
}
