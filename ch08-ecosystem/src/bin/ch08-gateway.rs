//! 「gRPC 생태계」 8장, gRPC 게이트웨이 (Chapter 8, The gRPC Ecosystem: the gRPC gateway).
//!
//! A REST/JSON reverse proxy on port 8081 in front of the ProductInfo server, with routes
//! from the `google.api.http` options in `proto/product_info.proto`. Three terminals:
//!
//! ```text
//! cargo run --bin ch08-server                      # gRPC on :50051
//! cargo run --bin ch08-gateway                     # HTTP on :8081
//! curl -X POST http://localhost:8081/v1/product -d '{"name": "Apple", "description": "iphone7", "price": 699}'
//! curl http://localhost:8081/v1/product/<id>
//! curl http://localhost:8081/openapi.json
//! ```
//!
//! It logs each route it serves (`POST /v1/product -> /ecommerce.ProductInfo/addProduct`).
//! A client gets 10 s to send a request's head (`--header-read-timeout`) and a request 30 s
//! to be answered (`--request-timeout`): 408 if its body is late, 504 if the backend is.

use std::net::SocketAddr;
use std::time::Duration;

use ch08_ecosystem::gateway::{GATEWAY_PORT, Timeouts, serve_with};
use ch08_ecosystem::probe::parse_duration;
use clap::Parser;
use common::args::{ClientAddr, ServerAddr};

/// The REST gateway of the book's chapter 8.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to serve HTTP on, as HOST:PORT.
    #[arg(long, default_value_t = SocketAddr::from(([0, 0, 0, 0], GATEWAY_PORT)))]
    addr: SocketAddr,
    /// The gRPC server to forward to, as HOST:PORT.
    #[arg(long, default_value = "localhost:50051")]
    backend: String,
    /// How long a client may take to send a request's head, e.g. `10s`.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    header_read_timeout: Duration,
    /// How long a request may take from its head to the answer, e.g. `30s`.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    request_timeout: Duration,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let backend = ClientAddr { addr: args.backend }.channel()?;
    let listen = ServerAddr { addr: args.addr };
    let timeouts = Timeouts {
        header_read: args.header_read_timeout,
        request: args.request_timeout,
    };
    common::server::run(&listen, |listener, shutdown| {
        serve_with(listener, shutdown, backend, timeouts)
    })
    .await
}
