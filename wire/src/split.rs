//! Taking whole gRPC messages out of a body as it streams past.
//!
//! [`MessagePrefixes`](crate::MessagePrefixes) is enough to count messages; a reader that
//! wants the messages themselves (chapter 5's interceptors print each one) has to keep the
//! bytes of a message until its last DATA frame arrives. [`MessageSplitter`] does that, up to
//! a size: a message larger than the reader means to hold is reported by its length and
//! passed over, so a peer cannot make the reader buffer gigabytes.

use bytes::{Buf, Bytes, BytesMut};

use crate::framing::{PREFIX_LEN, Prefix};

/// A message found in the body.
#[derive(Debug, PartialEq)]
pub enum Found {
    /// An uncompressed message, ready to decode.
    Message(Bytes),
    /// A compressed message of this many bytes (it is shown by size only).
    Compressed(usize),
    /// A message larger than the splitter keeps, of this many bytes.
    TooLarge(usize),
}

/// Splits a stream of bytes into gRPC messages.
#[derive(Debug)]
pub struct MessageSplitter {
    max_kept: usize,
    buffer: BytesMut,
    /// Bytes still to pass over of a message that is not kept.
    skipping: usize,
}

impl MessageSplitter {
    /// A splitter that keeps messages of up to `max_kept` bytes.
    pub fn new(max_kept: usize) -> Self {
        Self {
            max_kept,
            buffer: BytesMut::new(),
            skipping: 0,
        }
    }

    /// Feeds the next bytes of the body; returns the messages they complete.
    pub fn push(&mut self, mut data: &[u8]) -> Vec<Found> {
        let skipped = self.skipping.min(data.len());
        self.skipping -= skipped;
        data = &data[skipped..];
        self.buffer.extend_from_slice(data);

        let mut found = Vec::new();
        while self.skipping == 0 {
            let Some(prefix) = Prefix::read(&self.buffer) else {
                break;
            };
            let length = prefix.length as usize;
            if length > self.max_kept {
                found.push(Found::TooLarge(length));
                self.buffer.advance(PREFIX_LEN);
                let buffered = self.buffer.len().min(length);
                self.buffer.advance(buffered);
                self.skipping = length - buffered;
                continue;
            }
            if self.buffer.len() < PREFIX_LEN + length {
                break;
            }
            self.buffer.advance(PREFIX_LEN);
            let message = self.buffer.split_to(length).freeze();
            found.push(if prefix.compressed() {
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
    use crate::frame;

    const MAX_KEPT: usize = 1024;

    fn compressed(message: &[u8]) -> Vec<u8> {
        let mut framed = frame(message).to_vec();
        framed[0] = 1;
        framed
    }

    #[test]
    fn a_message_split_across_data_frames_is_found_once_complete() {
        let bytes = frame(b"hello");
        let mut splitter = MessageSplitter::new(MAX_KEPT);
        assert!(splitter.push(&bytes[..3]).is_empty());
        assert!(splitter.push(&bytes[3..7]).is_empty());
        assert_eq!(
            splitter.push(&bytes[7..]),
            [Found::Message(Bytes::from_static(b"hello"))]
        );
    }

    #[test]
    fn several_messages_in_one_data_frame_are_all_found() {
        let mut bytes = frame(b"one").to_vec();
        bytes.extend(frame(b""));
        bytes.extend(compressed(b"zipped"));
        bytes.extend(&frame(b"partial")[..4]);
        let mut splitter = MessageSplitter::new(MAX_KEPT);
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
        let length = MAX_KEPT + 10;
        let huge = frame(&vec![7; length]);
        let mut splitter = MessageSplitter::new(MAX_KEPT);
        assert_eq!(splitter.push(&huge[..105]), [Found::TooLarge(length)]);
        assert!(splitter.push(&huge[105..]).is_empty());
        assert!(splitter.buffer.is_empty());
        assert_eq!(
            splitter.push(&frame(b"next")),
            [Found::Message(Bytes::from_static(b"next"))]
        );
    }
}
