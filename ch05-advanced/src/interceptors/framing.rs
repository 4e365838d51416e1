//! Finding gRPC messages in a body as it streams past.
//!
//! A gRPC body is a sequence of length-prefixed messages: one flag byte (1 when compressed),
//! a 4-byte big-endian length, the message. HTTP/2 DATA frames do not line up with messages:
//! one frame may hold several messages, or a piece of one. [`MessageSplitter`] is fed the bytes
//! of each frame and hands back every message it completes.

use bytes::{Buf, Bytes, BytesMut};

/// Messages larger than this are reported by size instead of being buffered for display.
pub const MAX_SHOWN: usize = 4 * 1024 * 1024;

const PREFIX: usize = 5;

/// A message found in the body.
#[derive(Debug, PartialEq)]
pub enum Found {
    /// An uncompressed message, ready to decode.
    Message(Bytes),
    /// A compressed message of this many bytes (it is shown by size only).
    Compressed(usize),
    /// A message too large to buffer for display, of this many bytes.
    TooLarge(usize),
}

/// Splits a stream of bytes into gRPC messages.
#[derive(Debug, Default)]
pub struct MessageSplitter {
    buffer: BytesMut,
    /// Bytes still to pass over of a message that is not kept.
    skipping: usize,
}

impl MessageSplitter {
    /// Feeds the next bytes of the body; returns the messages they complete.
    pub fn push(&mut self, mut data: &[u8]) -> Vec<Found> {
        let skipped = self.skipping.min(data.len());
        self.skipping -= skipped;
        data = &data[skipped..];
        self.buffer.extend_from_slice(data);

        let mut found = Vec::new();
        while self.skipping == 0 && self.buffer.len() >= PREFIX {
            let compressed = self.buffer[0] == 1;
            let length = u32::from_be_bytes([
                self.buffer[1],
                self.buffer[2],
                self.buffer[3],
                self.buffer[4],
            ]) as usize;
            if length > MAX_SHOWN {
                found.push(Found::TooLarge(length));
                self.buffer.advance(PREFIX);
                let buffered = self.buffer.len().min(length);
                self.buffer.advance(buffered);
                self.skipping = length - buffered;
                continue;
            }
            if self.buffer.len() < PREFIX + length {
                break;
            }
            self.buffer.advance(PREFIX);
            let message = self.buffer.split_to(length).freeze();
            found.push(if compressed {
                Found::Compressed(length)
            } else {
                Found::Message(message)
            });
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(flag: u8, message: &[u8]) -> Vec<u8> {
        let mut frame = vec![flag];
        frame.extend_from_slice(&(message.len() as u32).to_be_bytes());
        frame.extend_from_slice(message);
        frame
    }

    #[test]
    fn a_message_split_across_data_frames_is_found_once_complete() {
        let bytes = frame(0, b"hello");
        let mut splitter = MessageSplitter::default();
        assert!(splitter.push(&bytes[..3]).is_empty());
        assert!(splitter.push(&bytes[3..7]).is_empty());
        assert_eq!(
            splitter.push(&bytes[7..]),
            [Found::Message(Bytes::from_static(b"hello"))]
        );
    }

    #[test]
    fn several_messages_in_one_data_frame_are_all_found() {
        let mut bytes = frame(0, b"one");
        bytes.extend(frame(0, b""));
        bytes.extend(frame(1, b"zipped"));
        bytes.extend(&frame(0, b"partial")[..4]);
        let mut splitter = MessageSplitter::default();
        assert_eq!(
            splitter.push(&bytes),
            [
                Found::Message(Bytes::from_static(b"one")),
                Found::Message(Bytes::new()),
                Found::Compressed(6),
            ]
        );
    }

    #[test]
    fn a_huge_message_is_reported_by_size_and_skipped_without_buffering() {
        let length = MAX_SHOWN + 10;
        let mut bytes = vec![0];
        bytes.extend_from_slice(&(length as u32).to_be_bytes());
        bytes.extend(vec![7; 100]);
        let mut splitter = MessageSplitter::default();
        assert_eq!(splitter.push(&bytes), [Found::TooLarge(length)]);
        assert!(splitter.push(&vec![7; length - 100]).is_empty());
        assert!(splitter.buffer.is_empty());
        assert_eq!(
            splitter.push(&frame(0, b"next")),
            [Found::Message(Bytes::from_static(b"next"))]
        );
    }
}
