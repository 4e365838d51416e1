//! The length prefix in front of every gRPC message.
//!
//! ```text
//! | flag: 1 byte, 1 = compressed | length: 4 bytes, big-endian | message: `length` bytes |
//! ```
//!
//! Writing one is easy ([`frame`]). Reading them is where the care goes: a body arrives as
//! HTTP/2 DATA frames, and a frame may end in the middle of a prefix, or hold the end of one
//! message and the start of the next. [`MessagePrefixes`] carries what it has seen from one
//! frame to the next, so a reader never has to buffer a message just to find where it ends.

use std::convert::Infallible;

use bytes::{BufMut, Bytes, BytesMut};

/// The size of the prefix: the compressed-flag and the four-byte length.
pub const PREFIX_LEN: usize = 5;

/// What a prefix says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    /// The flag byte: 1 when the message is compressed with the call's `grpc-encoding`.
    pub flag: u8,
    /// How many bytes of message follow.
    pub length: u32,
}

impl Prefix {
    /// The prefix at the start of `data`, if `data` holds all five of its bytes.
    pub fn read(data: &[u8]) -> Option<Self> {
        let &[flag, a, b, c, d] = data.first_chunk::<PREFIX_LEN>()?;
        Some(Self {
            flag,
            length: u32::from_be_bytes([a, b, c, d]),
        })
    }

    /// Whether the flag says the message is compressed.
    pub fn compressed(self) -> bool {
        self.flag == 1
    }
}

/// An uncompressed message behind its prefix: a whole gRPC request body for a unary call.
///
/// # Panics
///
/// When the message is longer than a four-byte length can say (4 GiB).
pub fn frame(message: &[u8]) -> Bytes {
    let length = u32::try_from(message.len()).expect("a gRPC message is shorter than 4 GiB");
    let mut framed = BytesMut::with_capacity(PREFIX_LEN + message.len());
    framed.put_u8(0);
    framed.put_u32(length);
    framed.put_slice(message);
    framed.freeze()
}

/// Follows the five-byte prefixes of a stream of gRPC messages through the DATA frames that
/// carry them, without buffering: a prefix may be split across frames, and a frame may hold
/// the end of one message and the start of the next.
///
/// The server's conformance check holds each announced length to a limit, the client's guard
/// (`common::channel`) and chapter 7's metrics count messages: all of them with this.
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
                    match Prefix::read(&bytes[..filled]) {
                        None => Position::Prefix { bytes, filled },
                        Some(Prefix { length: 0, .. }) => {
                            on_prefix(0)?;
                            Position::START
                        }
                        Some(Prefix { length, .. }) => {
                            on_prefix(length)?;
                            Position::Message {
                                announced: length,
                                remaining: usize::try_from(length).unwrap_or(usize::MAX),
                            }
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

    /// Follows the prefixes through one DATA frame; how many messages began in it.
    pub fn count(&mut self, data: &[u8]) -> usize {
        let mut begun = 0;
        let Ok(()) = self.track(data, |_| {
            begun += 1;
            Ok::<(), Infallible>(())
        });
        begun
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_is_flag_length_message() {
        assert_eq!(
            frame(&[0x0a, 0x02, 0x31, 0x35])[..],
            [0, 0, 0, 0, 4, 0x0a, 0x02, 0x31, 0x35]
        );
        assert_eq!(
            Prefix::read(&[1, 0, 0, 1, 0, 9]),
            Some(Prefix {
                flag: 1,
                length: 256
            })
        );
        assert_eq!(Prefix::read(&[0, 0, 0, 1]), None);
    }

    #[test]
    fn prefixes_are_found_across_frames() {
        let mut prefixes = MessagePrefixes::default();
        // Two messages of 3 and 0 bytes, then a third split inside its prefix.
        let body = [0, 0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(prefixes.count(&body[..2]), 0);
        assert!(!prefixes.at_boundary());
        assert_eq!(prefixes.count(&body[2..9]), 1);
        assert_eq!(prefixes.count(&body[9..]), 1);
        assert_eq!(prefixes.count(&[0, 1, 9]), 1);
        assert!(prefixes.at_boundary());
        assert_eq!(prefixes.count(&[0, 0, 0, 0, 0]), 1);
        assert!(prefixes.at_boundary());
    }

    #[test]
    fn a_stream_that_stops_early_says_where() {
        let mut prefixes = MessagePrefixes::default();
        prefixes.count(&[0, 0, 0]);
        assert_eq!(
            prefixes.ended_inside("request").as_deref(),
            Some("the request ended 3 bytes into a 5-byte message prefix")
        );
        prefixes.count(&[0, 50, 1, 2]);
        assert_eq!(
            prefixes.ended_inside("request").as_deref(),
            Some("the request ended inside a message: its prefix announced 50 bytes, 2 arrived")
        );
    }
}
