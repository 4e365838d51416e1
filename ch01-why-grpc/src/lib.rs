//! Chapter 1, 「gRPC 소개」 (Introduction to gRPC), measured.
//!
//! The book's first chapter has no code. It argues for gRPC against the alternatives in prose:
//! REST with JSON over HTTP/1.1 is text, so messages are larger and slower to parse; it has no
//! contract that both sides compile, and each request on a connection waits for the one
//! before it. gRPC sends protobuf, a compact binary encoding, over HTTP/2, which compresses
//! repeated headers (HPACK) and carries many calls at once on one connection. (Thrift and
//! GraphQL, which the chapter also discusses, are left out here: the point is the wire, and
//! REST/JSON is what most readers would otherwise use.)
//!
//! This crate turns those claims into numbers a reader can reproduce. The same ProductInfo
//! (chapter 2's product, "Apple iPhone 11") is served twice on loopback, once as REST/JSON
//! with axum and once as gRPC with chapter 2's own tonic server, and called by a client of
//! each kind whose socket counts every byte. `ch01-compare` prints, for each protocol:
//!
//! * the bytes a connection costs before its first call (HTTP/2's preface and SETTINGS;
//!   nothing for HTTP/1.1);
//! * the bytes of one `addProduct` and one `getProduct`, request and response, after warm-up
//!   (headers and framing included: this is what a network would carry);
//! * calls per second and latency (mean, p50, p99) for `getProduct`, with one caller and with
//!   several at once.
//!
//! The figures are loopback figures: no network latency, no bandwidth limit, client and
//! servers in one process on one machine. They show per-call overhead, which is what the
//! chapter's prose is about, not what a real network would add.
//!
//! What lives where:
//!
//! * [`counting`]: the byte-counting stream both clients talk through.
//! * [`rest`]: the REST/JSON server (axum) and a keep-alive HTTP/1.1 client (hyper).
//! * [`measure`]: one protocol's run: server, warm-up, bytes per call, timed calls.
//! * [`report`]: the table.
//! * `src/bin/ch01-compare.rs`: the command.

pub mod counting;
pub mod measure;
pub mod report;
pub mod rest;
