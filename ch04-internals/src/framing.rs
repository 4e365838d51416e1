//! 길이-접두사 지정 메시지 프레이밍 (Length-prefixed message framing).
//!
//! A protobuf message does not say where it ends: its fields just run until the bytes do.
//! That is fine for one message in a file, not for a stream of them, so gRPC puts each message
//! behind a five-byte prefix:
//!
//! ```text
//! +-----------------+-------------------------------+------------------------+
//! | compressed-flag | message length                | message                |
//! | 1 byte: 0 or 1  | 4 bytes, big-endian (network) | `length` bytes         |
//! +-----------------+-------------------------------+------------------------+
//! ```
//!
//! The flag may be 1 only when the call's `grpc-encoding` header names a compression. The
//! prefix is big-endian, while protobuf's own fixed-width numbers are little-endian: two
//! layers, two conventions.
//!
//! HTTP/2 DATA frames have nothing to do with these boundaries: one message can span several
//! DATA frames and one DATA frame can carry several messages. So a reader collects bytes in
//! a [`Deframer`] and takes messages out as they complete.

use std::fmt;

/// The size of the prefix: one flag byte and a four-byte length.
pub const PREFIX_LEN: usize = 5;

/// The five bytes in front of every gRPC message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    /// Whether the message is compressed with the call's `grpc-encoding`.
    pub compressed: bool,
    /// The length of the message that follows, in bytes.
    pub length: u32,
}

impl Prefix {
    /// The prefix as it goes on the wire.
    pub fn to_bytes(self) -> [u8; PREFIX_LEN] {
        let [a, b, c, d] = self.length.to_be_bytes();
        [u8::from(self.compressed), a, b, c, d]
    }

    /// Reads a prefix; the flag must be 0 or 1.
    pub fn parse(bytes: [u8; PREFIX_LEN]) -> Result<Self, FrameError> {
        let [flag, a, b, c, d] = bytes;
        let compressed = match flag {
            0 => false,
            1 => true,
            other => return Err(FrameError::InvalidFlag(other)),
        };
        Ok(Self {
            compressed,
            length: u32::from_be_bytes([a, b, c, d]),
        })
    }
}

/// Puts an uncompressed message behind its prefix.
pub fn frame(message: &[u8]) -> Result<Vec<u8>, FrameError> {
    let length = u32::try_from(message.len()).map_err(|_| FrameError::TooLong(message.len()))?;
    let prefix = Prefix {
        compressed: false,
        length,
    };
    let mut framed = Vec::with_capacity(PREFIX_LEN + message.len());
    framed.extend_from_slice(&prefix.to_bytes());
    framed.extend_from_slice(message);
    Ok(framed)
}

/// A message taken out of a stream, with the prefix it came behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Framed {
    /// Its prefix.
    pub prefix: Prefix,
    /// The message bytes (still compressed if the flag says so).
    pub message: Vec<u8>,
}

/// Collects a stream's bytes, however they arrive, and hands out whole messages.
#[derive(Debug, Default)]
pub struct Deframer {
    buffer: Vec<u8>,
}

impl Deframer {
    /// An empty deframer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes that arrived (the payload of a DATA frame, say).
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole message, or `None` until enough bytes have arrived for one.
    pub fn next_message(&mut self) -> Result<Option<Framed>, FrameError> {
        let Some(prefix) = self.buffer.first_chunk::<PREFIX_LEN>() else {
            return Ok(None);
        };
        let prefix = Prefix::parse(*prefix)?;
        let end = PREFIX_LEN + prefix.length as usize;
        if self.buffer.len() < end {
            return Ok(None);
        }
        let message = self.buffer[PREFIX_LEN..end].to_vec();
        self.buffer.drain(..end);
        Ok(Some(Framed { prefix, message }))
    }

    /// Checks, once the stream has ended, that it did not end inside a message.
    pub fn finish(&self) -> Result<(), FrameError> {
        match self.buffer.first_chunk::<PREFIX_LEN>() {
            None if self.buffer.is_empty() => Ok(()),
            None => Err(FrameError::EndsInPrefix(self.buffer.len())),
            Some(prefix) => Err(FrameError::EndsInMessage {
                announced: Prefix::parse(*prefix)?.length,
                arrived: self.buffer.len() - PREFIX_LEN,
            }),
        }
    }
}

/// Why a stream of bytes is not a sequence of length-prefixed messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// A compressed-flag other than 0 or 1.
    InvalidFlag(u8),
    /// A message too long for a four-byte length.
    TooLong(usize),
    /// The stream ended this many bytes into a prefix.
    EndsInPrefix(usize),
    /// The stream ended inside a message.
    EndsInMessage {
        /// The length its prefix announced.
        announced: u32,
        /// The bytes of it that arrived.
        arrived: usize,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidFlag(flag) => {
                write!(f, "compressed-flag {flag}: only 0 and 1 exist")
            }
            Self::TooLong(length) => {
                write!(
                    f,
                    "a message of {length} bytes does not fit a 4-byte length"
                )
            }
            Self::EndsInPrefix(have) => write!(
                f,
                "the stream ended {have} bytes into a {PREFIX_LEN}-byte length prefix"
            ),
            Self::EndsInMessage { announced, arrived } => write!(
                f,
                "the stream ended inside a message: its prefix announced {announced} bytes, \
                 {arrived} arrived"
            ),
        }
    }
}

impl std::error::Error for FrameError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_books_product_id_frame_is_nine_bytes() {
        let framed = frame(&[0x0a, 0x02, 0x31, 0x35]).expect("short");
        assert_eq!(framed, [0, 0, 0, 0, 4, 0x0a, 0x02, 0x31, 0x35]);
    }

    #[test]
    fn messages_come_out_whole_however_the_bytes_are_split() {
        let mut stream = frame(b"first").expect("short");
        stream.extend(frame(b"").expect("short"));
        stream.extend(frame(b"third one").expect("short"));
        for split in 0..stream.len() {
            let mut deframer = Deframer::new();
            let mut messages = Vec::new();
            for part in [&stream[..split], &stream[split..]] {
                deframer.push(part);
                while let Some(framed) = deframer.next_message().expect("valid") {
                    messages.push(framed.message);
                }
            }
            assert_eq!(messages, [&b"first"[..], b"", b"third one"]);
            assert_eq!(deframer.finish(), Ok(()));
        }
    }

    #[test]
    fn a_stream_that_stops_early_says_where() {
        let mut deframer = Deframer::new();
        deframer.push(&[0, 0, 0]);
        assert_eq!(deframer.next_message(), Ok(None));
        assert_eq!(
            deframer.finish().expect_err("cut").to_string(),
            "the stream ended 3 bytes into a 5-byte length prefix"
        );

        let mut deframer = Deframer::new();
        deframer.push(&[0, 0, 0, 0, 50, 1, 2]);
        assert_eq!(deframer.next_message(), Ok(None));
        assert_eq!(
            deframer.finish().expect_err("cut").to_string(),
            "the stream ended inside a message: its prefix announced 50 bytes, 2 arrived"
        );
    }

    #[test]
    fn only_flags_zero_and_one_exist() {
        let mut deframer = Deframer::new();
        deframer.push(&[2, 0, 0, 0, 0]);
        assert_eq!(deframer.next_message(), Err(FrameError::InvalidFlag(2)));
        assert_eq!(
            Prefix::parse([1, 0, 0, 1, 0]),
            Ok(Prefix {
                compressed: true,
                length: 256
            })
        );
    }
}
