//! The request body, checked message by message as it streams in.
//!
//! Each gRPC message travels behind a five-byte prefix: a compressed-flag and a four-byte
//! big-endian length. [`FramingCheck`] follows the prefixes as DATA frames arrive, with
//! [`MessagePrefixes`] and without buffering anything, and fails the body (a
//! [`Checked`](crate::body::Checked) body; tonic then fails the call with the status it carries) when
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

use bytes::Bytes;
use http_body::Frame;
use tonic::Status;

use crate::body::FrameCheck;
use crate::framing::MessagePrefixes;

/// What a request body is checked for: the framing errors above.
#[derive(Debug)]
pub struct FramingCheck {
    max_message_size: usize,
    /// Whether the method takes exactly one message.
    single_message: bool,
    messages: usize,
    prefixes: MessagePrefixes,
}

impl FramingCheck {
    /// Checks against a limit of `max_message_size` bytes per message, and to one message if
    /// the method takes a `single_message`.
    pub fn new(max_message_size: usize, single_message: bool) -> Self {
        Self {
            max_message_size,
            single_message,
            messages: 0,
            prefixes: MessagePrefixes::default(),
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
}

/// Logs a refusal at debug level: the client gets the status, the server's log need not
/// fill up with other people's mistakes.
fn refused(status: Status) -> Status {
    tracing::debug!(message = status.message(), "refused a malformed request");
    status
}

impl FrameCheck for FramingCheck {
    fn frame(&mut self, frame: Frame<Bytes>) -> Result<Frame<Bytes>, Status> {
        if let Some(data) = frame.data_ref() {
            self.track(data).map_err(refused)?;
        }
        Ok(frame)
    }

    fn end(&mut self) -> Result<(), Status> {
        match self.prefixes.ended_inside("request") {
            None => Ok(()),
            Some(message) => Err(refused(Status::internal(message))),
        }
    }

    fn may_end(&self) -> bool {
        self.prefixes.at_boundary()
    }
}
