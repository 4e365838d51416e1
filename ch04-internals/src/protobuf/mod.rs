//! 프로토콜 버퍼를 사용한 메시지 인코딩 (Message encoding using protocol buffers), by hand.
//!
//! prost does all of this in generated code; here it is spelled out so that every byte can
//! be pointed at. The tests prove the hand-written version against prost on many generated
//! messages, so what it shows is what really goes on the wire.
//!
//! * [`wire`]: varints, wire types and tags, the vocabulary of the format; a field as read, and
//!   what can be wrong with the bytes.
//! * [`messages`]: the book's `ProductID`, `Product` and `Order`, field by field.
//! * [`encode`](mod@encode): message → bytes, each piece annotated with what it means.
//! * [`decode`](mod@decode): bytes → message, with an error for every way the bytes can be wrong.
//!
//! Each builds only on those above it in this list.

pub mod decode;
pub mod encode;
pub mod messages;
pub mod wire;

pub use decode::decode;
pub use encode::{encode, encode_annotated};
pub use messages::BookMessage;
pub use wire::DecodeError;
