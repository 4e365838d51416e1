//! 「gRPC: 동작 원리」 4장, HTTP/2를 통한 gRPC (Chapter 4, Under the Hood: gRPC over HTTP/2).
//!
//! Calls ProductInfo with nothing but an HTTP/2 connection: it builds the request headers,
//! frames the message itself, and prints every frame of every call. With `ch02-server` (or
//! the book's Go server) running:
//!
//! ```text
//! cargo run --bin ch04-raw-client                       # add, get it back, get a missing id
//! cargo run --bin ch04-raw-client -- --id 15            # just getProduct of id 15
//! cargo run --bin ch04-raw-client -- --malformed too-big     # a request the server must refuse
//! RUST_LOG=h2=debug cargo run --bin ch04-raw-client    # plus h2's own log of every frame
//! ```
//!
//! Each call prints as the book draws it: the request HEADERS and DATA (`→`), the response
//! HEADERS, DATA and trailers (`←`), every DATA payload in hex with the message it carries
//! decoded by hand, and the outcome:
//!
//! ```text
//! stream 5: POST /ecommerce.ProductInfo/getProduct
//! …
//! ← HEADERS (Trailers-Only), END_STREAM
//!       :status: 200
//!       content-type: application/grpc
//!       grpc-status: 5 (NOT_FOUND)
//!       grpc-message: Product%20does%20not%20exist:%20no-such-product
//!         percent-decoded: "Product does not exist: no-such-product"
//! ⇒ NOT_FOUND (5) "Product does not exist: no-such-product"
//! ```

use std::process::ExitCode;

use ch04_internals::http2::book_calls::{MISSING_ID, book_calls};
use ch04_internals::http2::{RawChannel, RawError, RawRequest};
use ch04_internals::malformed::Malformed;
use clap::Parser;
use common::args::ClientAddr;

/// Calls ProductInfo over raw HTTP/2 and prints every frame.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ClientAddr,
    /// Only getProduct of this id.
    #[arg(long, conflicts_with = "malformed")]
    id: Option<String>,
    /// Send one request the server must refuse, then a good one to show it still serves.
    #[arg(long, value_enum, value_name = "CASE")]
    malformed: Option<Malformed>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("warn");
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ch04-raw-client: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), RawError> {
    let channel = RawChannel::connect(&args.server.addr).await?;
    if let Some(id) = args.id {
        print!("{}", channel.call(&RawRequest::get_product(&id)?).await?);
    } else if let Some(case) = args.malformed {
        println!("Malformed request: {}.", case.description());
        println!("The spec calls for: {}.", case.expected());
        println!();
        println!("{}", channel.call(&case.request()).await?);
        let after = channel.call(&RawRequest::get_product(MISSING_ID)?).await?;
        match after.grpc_status() {
            Some(Ok(status)) => println!(
                "The server goes on serving: getProduct({MISSING_ID}) on the same connection \
                 ⇒ {status}"
            ),
            _ => println!("The server did not answer the next call properly:\n{after}"),
        }
    } else {
        let calls = book_calls(&channel).await?;
        println!("{}", calls.add);
        println!("{}", calls.found);
        print!("{}", calls.missing);
    }
    Ok(())
}
