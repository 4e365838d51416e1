//! gRPC as it looks on the wire, written once for every crate that has to look.
//!
//! tonic hides the wire from a service: a handler gets a decoded message and returns a
//! `Status`. But several pieces of this workspace sit below the handlers, on the raw HTTP
//! bodies and headers, because what they need happens before a message is decoded or after a
//! status is encoded: the checks the gRPC spec asks of a server, the client's guard against a
//! second answer, the Prometheus layer counting messages, chapter 5's message log, the load
//! tester that speaks HTTP/2 itself. Each of them once carried its own reading of the same two
//! things, and each reading was a little different. They live here now, so that there is one
//! answer to "where does this message end" and one to "how did this call end":
//!
//! * **The 5-byte prefix** ([`framing`]). Every gRPC message travels behind one flag byte and a
//!   four-byte big-endian length, and HTTP/2 DATA frames cut through those boundaries wherever
//!   they like. [`framing::frame`] writes a prefix; [`framing::MessagePrefixes`] follows them
//!   through DATA frames without buffering (to count messages or hold them to a limit), and
//!   [`split::MessageSplitter`] buffers them when the message itself is wanted.
//! * **A body watched as it streams** ([`body`]). The layers above all wrap tonic's body the
//!   same way: look at each frame on its way, and end the body with a status, once, when
//!   what they see is wrong. [`body::Checked`] is that wrapper; each layer writes only its
//!   [`body::FrameCheck`].
//! * **The status headers** ([`status`]). A call's outcome is `grpc-status` and a
//!   percent-encoded `grpc-message`, in the trailers or in a Trailers-Only response. The
//!   observing layers read them without tonic's `Status::from_header_map`, which panics on a
//!   malformed `grpc-status-details-bin` from the peer.
//! * **The conformance layer** ([`conformance`]). What the spec asks of a server and tonic
//!   leaves out: HTTP 415 for a request that is not gRPC, `RESOURCE_EXHAUSTED` for a message
//!   over the limit, `INTERNAL` for a request cut short. It is built from the two pieces above,
//!   and `common::server::builder` puts it in front of every server of the workspace.
//!
//! Chapter 4 (`ch04-internals`) does not use this crate: it *teaches* the same wire format,
//! step by step and byte by byte, and its own `Deframer` and status reader are the lesson.
//! This crate is what the lesson becomes once it is learned: small, streaming, and shared.
//!
//! The crate depends on nothing of the book (no protos, no chapter): a server passes in
//! which of its methods take one request message.

pub mod body;
pub mod conformance;
pub mod framing;
pub mod split;
pub mod status;

pub use framing::{MessagePrefixes, PREFIX_LEN, frame};
