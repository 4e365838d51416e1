//! 「보안 적용 gRPC」 6장 (Chapter 6, Secured gRPC): the client of every sample.
//!
//! With `ch06-server` running the same sample:
//!
//! ```text
//! cargo run --bin ch06-client -- tls      # trusts the CA, expects the name localhost
//! cargo run --bin ch06-client -- mtls     # also shows the client certificate
//! cargo run --bin ch06-client -- basic    # admin / admin (--username, --password)
//! cargo run --bin ch06-client -- token    # some-secret-token (--token)
//! cargo run --bin ch06-client -- jwt      # signs a 5-minute token, role admin (--role)
//! ```
//!
//! It adds the book's "Samsung S10" and reads it back under one 1-second deadline, printing
//!
//! ```text
//! Product ID: 5c3b4a1e-… added successfully
//! Product: id:"5c3b4a1e-…" name:"Samsung S10" description:"Samsung Galaxy S10 is the latest smart phone, launched in February 2019" price:700
//! ```
//!
//! Try the refusals: `basic --password wrong` (`Unauthenticated`), `jwt --role viewer`
//! (`PermissionDenied` on addProduct), `tls` against `ch06-server mtls` (no client
//! certificate), `--plaintext tls` against any of them (not TLS), or `--plaintext basic`,
//! which the client itself refuses: credentials never go out in the clear. A refused call
//! prints its status and exits with 1; a client that will not even start exits with 2.

use std::process::ExitCode;

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch02_productinfo::client::{FLOW_TIMEOUT, add_then_get};
use ch06_security::auth::ADMIN_ROLE;
use ch06_security::auth::basic::{BOOK_PASSWORD, BOOK_USERNAME};
use ch06_security::auth::bearer::BOOK_TOKEN;
use ch06_security::auth::credentials::CallCredentials;
use ch06_security::auth::jwt::{Claims, TOKEN_LIFETIME, TokenIssuer};
use ch06_security::cert_dir::CertsArg;
use ch06_security::certs::CLIENT_NAME;
use ch06_security::client::{Transport, book_product, channel};
use ch06_security::{Certs, Mechanism};
use clap::{Parser, Subcommand};
use common::args::ClientAddr;
use common::deadline::Deadline;

/// The ProductInfo client of the book's chapter 6.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(subcommand)]
    sample: Sample,
    #[command(flatten)]
    server: ClientAddr,
    #[command(flatten)]
    certs: CertsArg,
    /// Connect without TLS, to see who refuses: the server, or (with credentials) the client.
    #[arg(long, global = true)]
    plaintext: bool,
}

/// Which sample, and its credentials.
#[derive(Subcommand)]
enum Sample {
    /// One-way TLS.
    Tls,
    /// Mutual TLS: shows the client certificate.
    Mtls,
    /// TLS and HTTP Basic credentials.
    Basic {
        /// Username to send.
        #[arg(long, default_value = BOOK_USERNAME)]
        username: String,
        /// Password to send.
        #[arg(long, default_value = BOOK_PASSWORD)]
        password: String,
    },
    /// TLS and an OAuth 2.0 bearer token.
    Token {
        /// Token to send.
        #[arg(long, default_value = BOOK_TOKEN)]
        token: String,
    },
    /// TLS and a JSON Web Token, signed here with the issuer key from the certificate folder.
    Jwt {
        /// The token's role claim: admin may call every method, viewer may read (see the
        /// role table in the chapter's README).
        #[arg(long, default_value = ADMIN_ROLE)]
        role: String,
    },
}

impl Sample {
    fn mechanism(&self) -> Mechanism {
        match self {
            Self::Tls => Mechanism::Tls,
            Self::Mtls => Mechanism::Mtls,
            Self::Basic { .. } => Mechanism::Basic,
            Self::Token { .. } => Mechanism::Token,
            Self::Jwt { .. } => Mechanism::Jwt,
        }
    }

    fn credentials(&self, certs: &Certs) -> anyhow::Result<CallCredentials> {
        Ok(match self {
            Self::Tls | Self::Mtls => CallCredentials::none(),
            Self::Basic { username, password } => CallCredentials::basic(username, password),
            Self::Token { token } => CallCredentials::bearer(token)?,
            Self::Jwt { role } => {
                let claims = Claims::new(CLIENT_NAME, role, TOKEN_LIFETIME);
                let token = TokenIssuer::from_pem(&certs.jwt_issuer_key)?.sign(&claims)?;
                tracing::info!(
                    "Signed a JWT for {CLIENT_NAME}, role {role}, valid for {} s",
                    TOKEN_LIFETIME.as_secs()
                );
                CallCredentials::bearer(&token)?
            }
        })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("info");

    let channel = match prepare(&args) {
        Ok(channel) => channel,
        Err(error) => {
            eprintln!("{error:#}");
            return ExitCode::from(2);
        }
    };
    let mut client = ProductInfoClient::new(channel);

    match add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT)).await {
        Ok(flow) => {
            println!("{flow}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

fn prepare(args: &Args) -> anyhow::Result<ch06_security::client::SecuredChannel> {
    let certs = args.certs.load_or_generate()?;
    let transport = if args.plaintext {
        Transport::Plaintext
    } else {
        args.sample.mechanism().client_transport(&certs)
    };
    let credentials = args.sample.credentials(&certs)?;
    Ok(channel(&args.server.addr, transport, credentials)?)
}
