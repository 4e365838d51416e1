//! Chapter 6, 「보안 적용 gRPC」 (Secured gRPC): put the `helloworld.Greeter` behind TLS, then
//! behind mutual TLS, with the chapter's certificates (`ch06_security::Certs`).
//!
//! 1. [`greeter_tls`]: one-way TLS: the server proves who it is, the connection is encrypted.
//! 2. [`greeter_mtls`]: mutual TLS: only clients with a certificate from the server's CA get
//!    to call at all.

#[cfg_attr(not(feature = "solution"), path = "../ch06/01-greeter-tls/skeleton.rs")]
#[cfg_attr(feature = "solution", path = "../ch06/01-greeter-tls/solution.rs")]
pub mod greeter_tls;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch06/02-greeter-mtls/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch06/02-greeter-mtls/solution.rs")]
pub mod greeter_mtls;
