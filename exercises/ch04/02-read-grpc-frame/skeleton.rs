//! Exercise ch04/02 · 길이-접두사 메시지 읽기 (Reading a length-prefixed message). The task
//! is in `README.md` beside this file; the checks are `tests/ch04_read_grpc_frame.rs`.
//!
//! gRPC puts every message behind five bytes: a compressed-flag (0 or 1) and the message's
//! length, four bytes big-endian. [`read_message`] takes one message off the front of the
//! bytes received so far. The types around it are complete: [`Message`] is what it returns,
//! [`FrameError`] the ways it can fail, and [`FrameError::code`] the status each failure
//! ends a call with.

use std::fmt;

use tonic::Code;

/// The size of the prefix: one flag byte and a four-byte length.
pub const PREFIX_LEN: usize = 5;

/// The largest message tonic accepts unless configured otherwise: 4 MiB.
pub const DEFAULT_LIMIT: u32 = 4 * 1024 * 1024;

/// One message, as it came off the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    /// Whether the flag said the message is compressed (with the call's `grpc-encoding`).
    pub compressed: bool,
    /// The message's bytes, without the prefix (still compressed if the flag says so).
    pub bytes: &'a [u8],
}

/// Why the bytes at the front of the input are not (yet) a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// Fewer bytes than the prefix, or than the prefix and the length it announces. More may
    /// arrive; at the end of a stream, it is an error.
    Short {
        /// How many bytes a whole message needs, as far as is known (the prefix's five while
        /// the prefix is incomplete).
        needed: usize,
        /// How many there are.
        available: usize,
    },
    /// A compressed-flag other than 0 or 1.
    InvalidFlag(u8),
    /// The prefix announces a message longer than the reader accepts.
    TooLarge {
        /// The length the prefix announces.
        length: u32,
        /// The largest length accepted.
        limit: u32,
    },
}

impl FrameError {
    /// The status code a gRPC peer ends the call with: `RESOURCE_EXHAUSTED` for a message
    /// over the limit (the spec's code for it, and tonic's), `INTERNAL` for bytes that are
    /// not gRPC framing at all.
    pub fn code(&self) -> Code {
        match self {
            Self::TooLarge { .. } => Code::ResourceExhausted,
            Self::Short { .. } | Self::InvalidFlag(_) => Code::Internal,
        }
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Short { needed, available } => {
                write!(f, "a message needs {needed} bytes, {available} arrived")
            }
            Self::InvalidFlag(flag) => write!(f, "compressed-flag {flag}: only 0 and 1 exist"),
            Self::TooLarge { length, limit } => {
                write!(
                    f,
                    "a message of {length} bytes is over the limit of {limit}"
                )
            }
        }
    }
}

impl std::error::Error for FrameError {}

/// Reads the message at the front of `input` and advances `input` past it, so that the next
/// call reads the next message. On an error `input` is left as it was.
///
/// A message longer than `limit` is refused from its prefix alone, before its bytes are
/// waited for: a reader that waited first could be made to buffer 4 GiB.
pub fn read_message<'a>(input: &mut &'a [u8], _limit: u32) -> Result<Message<'a>, FrameError> {
    // EXERCISE: split off the five-byte prefix (or answer `Short`), read the flag and the
    // big-endian length, refuse a bad flag and an oversized length, then split off the
    // message (or answer `Short`) and move `*input` past it.
    Err(FrameError::Short {
        needed: PREFIX_LEN,
        available: input.len(),
    })
}
