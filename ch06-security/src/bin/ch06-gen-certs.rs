//! 「보안 적용 gRPC」 6장 (Chapter 6, Secured gRPC): makes the certificates.
//!
//! ```text
//! cargo run --bin ch06-gen-certs                   # into ~/.cache/grpc-up-and-running/certs
//! cargo run --bin ch06-gen-certs -- --certs DIR    # anywhere else (or CH06_CERTS=DIR)
//! cargo run --bin ch06-gen-certs -- --force        # replace the set that is there
//! ```
//!
//! It writes what the book's mutual TLS folder holds, made fresh with rcgen: a CA (`ca.crt`,
//! `ca.key`), the server's certificate for `localhost`, `127.0.0.1` and `::1` (`server.crt`,
//! `server.key`) and the client's (`client.crt`, `client.key`), plus the JWT issuer's key
//! pair (`jwt-issuer.key`, `jwt-issuer.pub`). The servers and clients make the same set on
//! first use, so this is only needed to renew it or to put it somewhere else. The chapter's
//! README shows the openssl commands that make an equivalent set.

use std::process::ExitCode;

use ch06_security::cert_dir::{self, CertsArg};
use clap::Parser;

/// Makes the chapter's CA, server and client certificates and JWT issuer keys.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    certs: CertsArg,
    /// Replace the certificates already in the folder.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match cert_dir::generate(&args.certs.dir, args.force) {
        Ok(_) => {
            println!(
                "Wrote a new CA, server and client certificate and JWT issuer key pair to {}",
                args.certs.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
