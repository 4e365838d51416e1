//! 「보안 적용 gRPC」 6장, JWT 사용 (Chapter 6, Secured gRPC: using JWT): prints a token.
//!
//! ```text
//! cargo run --bin ch06-mint-jwt                    # role admin, valid for 5 minutes
//! cargo run --bin ch06-mint-jwt -- --role viewer   # may read products, not add them
//! ```
//!
//! `ch06-client jwt` signs its own token; this is for clients in other languages, such as the
//! Python one in `interop/`, which send it as `authorization: Bearer <token>` to
//! `ch06-server jwt`. It signs with the issuer key in the certificate folder (`--certs DIR`,
//! made on first use) and prints the token alone on stdout. Paste it into a JWT debugger to
//! see the header and claims: they are only base64url, not encrypted.

use std::process::ExitCode;

use ch06_security::auth::ADMIN_ROLE;
use ch06_security::auth::jwt::{Claims, TOKEN_LIFETIME, TokenIssuer};
use ch06_security::cert_dir::CertsArg;
use ch06_security::certs::CLIENT_NAME;
use clap::Parser;

/// Prints a JSON Web Token that `ch06-server jwt` accepts.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    certs: CertsArg,
    /// The token's subject: who it is about.
    #[arg(long, default_value = CLIENT_NAME)]
    subject: String,
    /// The token's role claim: admin may add products, any role may read them.
    #[arg(long, default_value = ADMIN_ROLE)]
    role: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("warn");
    let minted = args
        .certs
        .load_or_generate()
        .map_err(anyhow::Error::from)
        .and_then(|certs| Ok(TokenIssuer::from_pem(&certs.jwt_issuer_key)?))
        .and_then(|issuer| {
            let claims = Claims::new(&args.subject, &args.role, TOKEN_LIFETIME);
            Ok(issuer.sign(&claims)?)
        });
    match minted {
        Ok(token) => {
            println!("{token}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error:#}");
            ExitCode::FAILURE
        }
    }
}
