//! 데드라인 전파 (Deadline propagation) · 책 밖의 내용 (beyond the book), after
//! 「gRPC: 고급 기능」 5장의 데드라인 (Chapter 5, Deadlines): the client.
//!
//! With `ch05-propagation-server` running:
//!
//! ```text
//! cargo run --bin ch05-propagation-client
//! ```
//!
//! It adds order 101 through the front with a 2-second budget. The backend would work for 5,
//! but every hop gives up when the budget is spent, so after 2 seconds, not 5:
//!
//! ```text
//! addOrder through the front, with a budget of 2000 ms
//! Error Occured -> addOrder : , DeadlineExceeded: rpc error: code = DeadlineExceeded desc = deadline exceeded
//! after 2001 ms
//! ```

use std::convert::Infallible;
use std::process::ExitCode;
use std::time::Duration;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch05_advanced::deadlines::CLIENT_DEADLINE;
use clap::Parser;
use common::args::ClientAddr;

/// The client of the deadline propagation sample.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The front server.
    #[command(flatten)]
    front: ClientAddr,
    /// The budget of the whole call, in milliseconds.
    #[arg(long, default_value_t = CLIENT_DEADLINE.as_millis() as u64)]
    budget_ms: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let budget = Duration::from_millis(args.budget_ms);
    // The flow prints the outcome it is about, DEADLINE_EXCEEDED included.
    common::client::run(&args.front, |channel| async move {
        let mut client = OrderManagementClient::new(channel);
        ch05_advanced::propagation::book_flow(&mut client, budget, |line| println!("{line}")).await;
        Ok::<_, Infallible>(())
    })
    .await
}
