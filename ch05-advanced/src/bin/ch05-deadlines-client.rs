//! 「gRPC: 고급 기능」 5장, 데드라인 (Chapter 5, Deadlines): the client.
//!
//! With `ch05-deadlines-server` running:
//!
//! ```text
//! cargo run --bin ch05-deadlines-client
//! ```
//!
//! It adds order 101 with a 2-second deadline; the server needs 5, so after 2 seconds:
//!
//! ```text
//! Error Occured -> addOrder : , DeadlineExceeded: rpc error: code = DeadlineExceeded desc = deadline exceeded
//! ```

use std::convert::Infallible;
use std::process::ExitCode;
use std::time::Duration;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch05_advanced::deadlines::CLIENT_DEADLINE;
use clap::Parser;
use common::args::ClientAddr;

/// The order client of the book's deadline sample.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ClientAddr,
    /// The deadline of the call, in milliseconds.
    #[arg(long, default_value_t = CLIENT_DEADLINE.as_millis() as u64)]
    deadline_ms: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let deadline = Duration::from_millis(args.deadline_ms);
    // The flow prints the outcome it is about, DEADLINE_EXCEEDED included.
    common::client::run(&args.server, |channel| async move {
        let mut client = OrderManagementClient::new(channel);
        ch05_advanced::deadlines::book_flow(&mut client, deadline, |line| println!("{line}")).await;
        Ok::<_, Infallible>(())
    })
    .await
}
