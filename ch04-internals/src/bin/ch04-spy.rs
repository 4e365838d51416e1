//! 「gRPC: 동작 원리」 4장, HTTP/2를 통한 gRPC (Chapter 4, Under the Hood: gRPC over HTTP/2).
//!
//! A proxy that prints the HTTP/2 frames of every call passing through it, both ways: HEADERS
//! with the pseudo-headers and metadata, DATA with the 5-byte prefix split out and the
//! message decoded field by field, trailers, RST_STREAM, GOAWAY, PING, WINDOW_UPDATE. The
//! bytes pass unchanged, so any plaintext (h2c) client works: tonic, grpc-go, grpcio. Three
//! terminals:
//!
//! ```text
//! cargo run --bin ch02-server                                              # terminal 1
//! cargo run --bin ch04-spy -- --listen 127.0.0.1:50052 --upstream 127.0.0.1:50051  # terminal 2
//! cargo run --bin ch02-client -- --addr 127.0.0.1:50052                    # terminal 3
//! ```
//!
//! Terminal 2 then shows the client preface and SETTINGS, the `addProduct` and `getProduct`
//! calls frame by frame, and the answers:
//!
//! ```text
//! [1] → HEADERS stream 1 END_HEADERS (240 bytes) [request headers]
//!       :method: POST
//!       :path: /ecommerce.ProductInfo/addProduct
//!       …
//! [1] → DATA stream 1 END_STREAM (89 bytes)
//!       …
//!       = prefix 00 00 00 00 54: flag 0, 84 bytes: Product { name: "Apple iPhone 11", … }
//! …
//! [1] ← HEADERS stream 1 END_STREAM END_HEADERS (13 bytes) [trailers]
//!       grpc-status: 0 (OK)
//! ```
//!
//! Colours appear when stdout is a terminal and `NO_COLOR` is unset; `--json` prints one
//! JSON object per frame per line instead. `--listen` is another name for `--addr`, which
//! every server of the workspace takes.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;

use ch04_internals::spy::print::Format;
use ch04_internals::spy::serve;
use clap::Parser;
use common::args::ServerAddr;

/// Relays HTTP/2 to an upstream server and prints every frame.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on, as HOST:PORT.
    #[arg(long, visible_alias = "listen", default_value = "127.0.0.1:50052")]
    addr: SocketAddr,
    /// The server to relay to, as HOST:PORT.
    #[arg(long, default_value = "127.0.0.1:50051")]
    upstream: String,
    /// One JSON object per frame per line, for tools.
    #[arg(long)]
    json: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let format = if args.json {
        Format::Json
    } else {
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Format::Text { colour }
    };
    let listener = match (ServerAddr { addr: args.addr }).listen().await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("ch04-spy: {error}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!("relaying to {}", args.upstream);
    match serve(listener, args.upstream, format).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ch04-spy: {error}");
            ExitCode::FAILURE
        }
    }
}
