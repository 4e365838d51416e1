//! Chapter 6, 「보안 적용 gRPC」 (Secured gRPC): the book's ProductInfo, secured for real.
//!
//! The chapter secures gRPC at two levels, and so does this crate.
//!
//! **The channel** ("TLS를 사용한 gRPC 채널 인증", authenticating a gRPC channel with TLS).
//! With one-way TLS the server proves its identity with a certificate and the connection is
//! encrypted; with mutual TLS the client proves its identity too, and a client without a
//! certificate from the right CA never gets to make a call.
//!
//! **The call** ("gRPC 호출 인증", authenticating gRPC calls). Each call carries credentials in
//! its `authorization` metadata: a username and password (basic authentication), an OAuth 2.0
//! bearer token, or a JSON Web Token whose signature, issuer, audience and expiry the server
//! checks on its own, and whose role decides what the caller may do. A server interceptor
//! checks them on every call, streaming ones included, and the client refuses to send them
//! over a connection that is not encrypted.
//!
//! The book's certificates no longer work with modern TLS stacks (no subject alternative
//! names; the mutual TLS set has expired), so this crate makes its own with rcgen, on first
//! use, into a git-ignored folder.
//!
//! What lives where:
//!
//! * [`certs`]: the CA, server and client certificates and the JWT issuer's keys, made with
//!   rcgen; [`cert_dir`]: the folder they live in (`--certs`, else `CH06_CERTS`, else the
//!   user's cache folder), made once, safely, on first use.
//! * [`tls`]: one-way and mutual TLS settings for tonic's server and client.
//! * [`auth`]: call authentication, one module per mechanism ([`auth::basic`],
//!   [`auth::bearer`], [`auth::jwt`]), the server's interceptor [`auth::CallAuth`] and the
//!   client's [`auth::credentials::CallCredentials`].
//! * [`roles`]: authorization, who may call what: `addProduct` is for admins.
//! * [`server`]: [`serve`], chapter 2's ProductInfo and chapter 3's OrderManagement behind
//!   TLS and the credential check.
//! * [`client`]: the client's channel, transport plus credentials, and the book's product.
//! * [`mechanism`]: the five samples by name (`tls`, `mtls`, `basic`, `token`, `jwt`), each
//!   mapped to its server and client settings.
//!
//! Binaries:
//!
//! * `ch06-server <tls|mtls|basic|token|jwt>` and `ch06-client <tls|mtls|basic|token|jwt>`: one
//!   server and one client, with the sample as a subcommand, in place of the book's ten
//!   programs.
//! * `ch06-gen-certs`: makes the certificate folder (the servers and clients do it on first
//!   use anyway).
//! * `ch06-mint-jwt`: prints a token, for clients in other languages (`interop/`).

pub mod auth;
pub mod cert_dir;
pub mod certs;
pub mod client;
pub mod mechanism;
pub mod roles;
pub mod server;
pub mod tls;

pub use certs::Certs;
pub use mechanism::Mechanism;
pub use server::{ServerSecurity, serve};
