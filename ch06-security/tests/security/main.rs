//! The chapter's samples over real loopback sockets: what each lets through, what each
//! refuses and with which status, and that the server goes on serving after every refusal.

mod basic;
mod cert_dir;
mod jwt;
mod mtls;
mod streaming;
mod support;
mod tls;
mod token;
