//! The request body, checked message by message as it streams in.
//!
//! Each gRPC message travels behind a five-byte prefix: a compressed-flag and a four-byte
//! big-endian length. [`FramingCheck`] follows the prefixes as DATA frames arrive, without
//! buffering anything, and fails the body (tonic then fails the call with the status it
//! carries) when
//!
//! * a prefix announces more than the size limit: `RESOURCE_EXHAUSTED`, before the message is
//!   read, so a client cannot make the server buffer it;
//! * the body ends in the middle of a prefix or a message: `INTERNAL`, saying where;
//! * a second message arrives for a method that takes one (unary and server streaming):
//!   `INTERNAL`, as grpc-java answers. tonic reads the rest of a unary request before it calls
//!   the handler, and would drop the extra messages without a word.
//!
//! A DATA frame that completes an oversized prefix is held back, so tonic, whose own limit is
//! the same, never sees that prefix (it would report `OUT_OF_RANGE`).

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http_body::Frame;
use tonic::Status;
use tonic::body::Body;

const PREFIX_LEN: usize = 5;

/// A request body that fails on the framing errors above.
#[derive(Debug)]
pub struct FramingCheck {
    inner: Body,
    max_message_size: usize,
    /// How many messages the method takes, if it takes exactly one.
    single_message: bool,
    messages: usize,
    prefixes: MessagePrefixes,
    failed: bool,
}

/// Follows the five-byte prefixes of a stream of gRPC messages through the DATA frames that
/// carry them, without buffering: a prefix may be split across frames, and a frame may hold
/// the end of one message and the start of the next.
///
/// The server's [`FramingCheck`] and the client's guard (`crate::channel`) both read message
/// boundaries with it.
#[derive(Debug, Clone, Copy)]
pub struct MessagePrefixes {
    position: Position,
}

/// Where in the stream of length-prefixed messages the body is.
#[derive(Debug, Clone, Copy)]
enum Position {
    /// In a prefix, `filled` bytes of it read so far.
    Prefix {
        bytes: [u8; PREFIX_LEN],
        filled: usize,
    },
    /// In a message of `announced` bytes, `remaining` of them still to come.
    Message { announced: u32, remaining: usize },
}

impl Position {
    const START: Self = Self::Prefix {
        bytes: [0; PREFIX_LEN],
        filled: 0,
    };
}

impl Default for MessagePrefixes {
    fn default() -> Self {
        Self {
            position: Position::START,
        }
    }
}

impl MessagePrefixes {
    /// Follows the prefixes through one DATA frame, calling `on_prefix` with the length each
    /// message announces as soon as its prefix is complete; the first error it returns stops
    /// the tracking and is returned.
    pub fn track<E>(
        &mut self,
        mut data: &[u8],
        mut on_prefix: impl FnMut(u32) -> Result<(), E>,
    ) -> Result<(), E> {
        while !data.is_empty() {
            self.position = match self.position {
                Position::Prefix {
                    mut bytes,
                    mut filled,
                } => {
                    let take = (PREFIX_LEN - filled).min(data.len());
                    bytes[filled..filled + take].copy_from_slice(&data[..take]);
                    filled += take;
                    data = &data[take..];
                    if filled < PREFIX_LEN {
                        Position::Prefix { bytes, filled }
                    } else {
                        let [_flag, length @ ..] = bytes;
                        let announced = u32::from_be_bytes(length);
                        on_prefix(announced)?;
                        match announced {
                            0 => Position::START,
                            _ => Position::Message {
                                announced,
                                remaining: usize::try_from(announced).unwrap_or(usize::MAX),
                            },
                        }
                    }
                }
                Position::Message {
                    announced,
                    remaining,
                } => {
                    let take = remaining.min(data.len());
                    data = &data[take..];
                    match remaining - take {
                        0 => Position::START,
                        remaining => Position::Message {
                            announced,
                            remaining,
                        },
                    }
                }
            };
        }
        Ok(())
    }

    /// Whether the bytes so far end exactly after a message (or before the first).
    pub fn at_boundary(&self) -> bool {
        matches!(self.position, Position::Prefix { filled: 0, .. })
    }

    /// If the stream ended inside a prefix or a message, what happened, for a status
    /// message: `"the {what} ended inside a message: …"`.
    pub fn ended_inside(&self, what: &str) -> Option<String> {
        match self.position {
            Position::Prefix { filled: 0, .. } => None,
            Position::Prefix { filled, .. } => Some(format!(
                "the {what} ended {filled} bytes into a {PREFIX_LEN}-byte message prefix"
            )),
            Position::Message {
                announced,
                remaining,
            } => Some(format!(
                "the {what} ended inside a message: its prefix announced {announced} bytes, \
                 {} arrived",
                announced as usize - remaining
            )),
        }
    }
}

impl FramingCheck {
    /// Checks `inner` against a limit of `max_message_size` bytes per message, and to one
    /// message if the method takes a `single_message`.
    pub fn new(inner: Body, max_message_size: usize, single_message: bool) -> Self {
        Self {
            inner,
            max_message_size,
            single_message,
            messages: 0,
            prefixes: MessagePrefixes::default(),
            failed: false,
        }
    }

    /// Follows the prefixes through one DATA frame; the status if one is over the limit or
    /// one too many.
    fn track(&mut self, data: &[u8]) -> Result<(), Status> {
        let max_message_size = self.max_message_size;
        let single_message = self.single_message;
        let messages = &mut self.messages;
        self.prefixes.track(data, |announced| {
            *messages += 1;
            if single_message && *messages > 1 {
                return Err(Status::internal(
                    "more than one request message for a method that takes one",
                ));
            }
            if usize::try_from(announced).unwrap_or(usize::MAX) > max_message_size {
                return Err(Status::resource_exhausted(format!(
                    "request message of {announced} bytes is larger than the limit of \
                     {max_message_size} bytes"
                )));
            }
            Ok(())
        })
    }

    /// The status for a body that ended here, if it ended inside a message.
    fn ended(&self) -> Option<Status> {
        self.prefixes.ended_inside("request").map(Status::internal)
    }
}

impl http_body::Body for FramingCheck {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let this = self.get_mut();
        if this.failed {
            return Poll::Ready(None);
        }
        let failure = match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
            Some(Ok(frame)) => {
                let Some(data) = frame.data_ref() else {
                    return Poll::Ready(Some(Ok(frame)));
                };
                match this.track(data) {
                    Ok(()) => return Poll::Ready(Some(Ok(frame))),
                    Err(status) => status,
                }
            }
            Some(Err(status)) => return Poll::Ready(Some(Err(status))),
            None => match this.ended() {
                None => return Poll::Ready(None),
                Some(status) => status,
            },
        };
        tracing::debug!(message = failure.message(), "refused a malformed request");
        this.failed = true;
        Poll::Ready(Some(Err(failure)))
    }

    fn is_end_stream(&self) -> bool {
        self.failed || (self.inner.is_end_stream() && self.prefixes.at_boundary())
    }
}
