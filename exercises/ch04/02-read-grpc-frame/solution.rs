//! Exercise ch04/02 · 길이-접두사 메시지 읽기 (Reading a length-prefixed message): a
//! reference solution.
//!
//! The order of the checks is the point. The prefix first: without it nothing is known.
//! Then the flag and the limit, both decided by the prefix alone, so a hostile peer that
//! announces a 4 GiB message is refused after five bytes instead of being waited for. Only
//! then the message itself. And `input` moves only once a whole message is there, so a
//! caller that gets `Short` can add the next bytes that arrive and try again.
//!
//! Chapter 4's [`Prefix::parse`] reads the flag and the length; this function adds what a
//! reader needs around it: the limit, and where the message ends.

use std::fmt;

use ch04_internals::framing::Prefix;
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
pub fn read_message<'a>(input: &mut &'a [u8], limit: u32) -> Result<Message<'a>, FrameError> {
    // A copy of the slice (not a borrow of `input`), so the message can outlive this call.
    let whole: &'a [u8] = input;
    let short = |needed| FrameError::Short {
        needed,
        available: whole.len(),
    };
    let Some((prefix_bytes, rest)) = whole.split_first_chunk::<PREFIX_LEN>() else {
        return Err(short(PREFIX_LEN));
    };
    // `Prefix::parse` refuses a flag other than 0 or 1, and nothing else.
    let prefix =
        Prefix::parse(*prefix_bytes).map_err(|_| FrameError::InvalidFlag(prefix_bytes[0]))?;
    if prefix.length > limit {
        return Err(FrameError::TooLarge {
            length: prefix.length,
            limit,
        });
    }
    // A u32 always fits a usize on the 32- and 64-bit targets tonic runs on.
    let length = prefix.length as usize;
    let Some((bytes, rest)) = rest.split_at_checked(length) else {
        return Err(short(PREFIX_LEN + length));
    };
    *input = rest;
    Ok(Message {
        compressed: prefix.compressed,
        bytes,
    })
}
