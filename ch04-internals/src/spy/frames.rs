//! The bytes of one HTTP/2 connection, both ways, read back as frames.
//!
//! The spy hands every chunk it copies to [`Connection::push`], which cuts it into frames:
//! a 9-byte header (24-bit length, type, flags, 31-bit stream id) and the payload, after the
//! 24-byte preface the client sends first. Header blocks are HPACK-decoded with one dynamic
//! table per direction, as each peer's encoder fills its own; DATA payloads go through
//! chapter 4's [`Deframer`] and each message is decoded field by field when the method's
//! types are known. Nothing here can fail the connection: what cannot be read becomes a
//! [`Body::Unreadable`] frame and the spy stops reading that direction, while the proxy
//! keeps copying its bytes.

use std::collections::HashMap;

use fluke_hpack::Decoder;

use crate::framing::{Deframer, PREFIX_LEN};
use crate::http2::MessageKind;
use crate::http2::status::{code_name, parse_code};
use crate::protobuf::decode::read_field;
use crate::protobuf::wire::RawValue;

/// What every HTTP/2 client sends before its first frame (RFC 9113 §3.4).
pub const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
/// The fixed part of every frame.
const FRAME_HEADER_LEN: usize = 9;

const END_STREAM: u8 = 0x1;
const ACK: u8 = 0x1;
const END_HEADERS: u8 = 0x4;
const PADDED: u8 = 0x8;
const PRIORITY: u8 = 0x20;

/// Which way the bytes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the client to the server (`→`).
    ToServer,
    /// From the server to the client (`←`).
    ToClient,
}

impl Direction {
    /// The arrow the book's drawings use.
    pub fn arrow(self) -> &'static str {
        match self {
            Self::ToServer => "→",
            Self::ToClient => "←",
        }
    }

    /// Who sent the bytes, for `--json`.
    pub fn sender(self) -> &'static str {
        match self {
            Self::ToServer => "client",
            Self::ToClient => "server",
        }
    }

    fn index(self) -> usize {
        match self {
            Self::ToServer => 0,
            Self::ToClient => 1,
        }
    }
}

/// One frame as the spy saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Which way it went.
    pub direction: Direction,
    /// `HEADERS`, `DATA`, …, or `PREFACE` for the client's opening bytes.
    pub kind: String,
    /// The stream id (0 for the connection itself).
    pub stream: u32,
    /// The flags by name.
    pub flags: Vec<&'static str>,
    /// The payload length.
    pub length: usize,
    /// What the payload says.
    pub body: Body,
}

/// A frame's payload, read according to its type.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// The client preface.
    Preface,
    /// A complete header block: request or response headers, or trailers.
    Headers {
        /// `request headers`, `response headers`, `trailers` or `Trailers-Only`.
        role: &'static str,
        /// Name and value, in the order they were sent.
        fields: Vec<(String, String)>,
    },
    /// HEADERS or CONTINUATION whose block goes on in a CONTINUATION frame.
    HeaderFragment,
    /// DATA: the payload, and the gRPC messages it completes.
    Data {
        /// The payload without padding.
        payload: Vec<u8>,
        /// The messages completed by this payload.
        messages: Vec<Message>,
        /// Why the rest of the stream's DATA does not split into messages.
        error: Option<String>,
    },
    /// SETTINGS: each parameter by name.
    Settings(Vec<(String, u32)>),
    /// WINDOW_UPDATE: the increment.
    WindowUpdate(u32),
    /// RST_STREAM: the error code.
    RstStream(u32),
    /// PING: the 8 opaque bytes.
    Ping(Vec<u8>),
    /// GOAWAY: the last stream the sender will process, the error code, the debug data.
    GoAway {
        /// Last stream id.
        last_stream: u32,
        /// Error code.
        code: u32,
        /// Debug data, as text.
        debug: String,
    },
    /// PRIORITY, PUSH_PROMISE or a type HTTP/2 does not define: shown, not read.
    Other,
    /// Bytes that are not what HTTP/2 says should be there.
    Unreadable(String),
}

/// One length-prefixed gRPC message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The 5-byte prefix as sent.
    pub prefix: [u8; PREFIX_LEN],
    /// The compressed flag.
    pub compressed: bool,
    /// The length from the prefix.
    pub length: u32,
    /// The message decoded field by field.
    pub decoded: String,
}

/// The message types of a method, from the protos in `proto/`.
#[derive(Debug, Clone, Copy)]
enum Schema {
    /// One of the book's messages, decoded by chapter 4's hand-written decoder.
    Book(MessageKind),
    /// A message the hand-written decoder does not know: its fields as the wire lays them out.
    Fields(&'static str),
}

/// The request and response types of `path`.
fn schemas(path: &str) -> (Schema, Schema) {
    const STRING_VALUE: Schema = Schema::Fields("google.protobuf.StringValue");
    use MessageKind::{Order, Product, ProductId};
    use Schema::{Book, Fields};
    match path {
        "/ecommerce.ProductInfo/addProduct" => (Book(Product), Book(ProductId)),
        "/ecommerce.ProductInfo/getProduct" => (Book(ProductId), Book(Product)),
        "/ecommerce.OrderManagement/addOrder" | "/ecommerce.OrderManagement/updateOrders" => {
            (Book(Order), STRING_VALUE)
        }
        "/ecommerce.OrderManagement/getOrder" | "/ecommerce.OrderManagement/searchOrders" => {
            (STRING_VALUE, Book(Order))
        }
        "/ecommerce.OrderManagement/processOrders" => {
            (STRING_VALUE, Fields("ecommerce.CombinedShipment"))
        }
        _ => (Fields("unknown type"), Fields("unknown type")),
    }
}

impl Schema {
    fn describe(self, message: &[u8]) -> String {
        match self {
            Self::Book(kind) => kind.describe(message),
            Self::Fields(name) => format!("{name} {{ {} }}", raw_fields(message)),
        }
    }
}

/// The fields of a message with no schema: number, wire type and value.
fn raw_fields(mut input: &[u8]) -> String {
    let mut fields = Vec::new();
    while !input.is_empty() {
        match read_field(&mut input) {
            Ok(field) => {
                let value = match field.value {
                    RawValue::Varint(value) => value.to_string(),
                    RawValue::I64(bytes) => format!("{:?}", bytes),
                    RawValue::Len(bytes) => match std::str::from_utf8(bytes) {
                        Ok(text) => format!("{text:?}"),
                        Err(_) => format!("{} bytes", bytes.len()),
                    },
                    RawValue::Group => "group".to_owned(),
                    RawValue::I32(bytes) => format!("{:?}", bytes),
                };
                fields.push(format!(
                    "#{} {}: {value}",
                    field.tag.field_number, field.tag.wire_type
                ));
            }
            Err(error) => {
                fields.push(format!("not protobuf: {error}"));
                break;
            }
        }
    }
    fields.join(", ")
}

/// One direction of the connection: its unread bytes and its HPACK table.
struct Side {
    buffer: Vec<u8>,
    awaiting_preface: bool,
    /// Set when the client's first bytes are not the preface: the rest is not HTTP/2.
    lost: bool,
    hpack: Decoder<'static>,
    /// Set when a header block failed to decode: the dynamic table is then out of step.
    hpack_lost: bool,
    /// A header block waiting for its CONTINUATION: stream, END_STREAM, fragments so far.
    block: Option<(u32, bool, Vec<u8>)>,
}

/// What the spy keeps per stream.
#[derive(Default)]
struct Stream {
    path: Option<String>,
    deframers: [Deframer; 2],
    headers_seen: [bool; 2],
    ended: [bool; 2],
    broken: [bool; 2],
}

/// Both directions of one connection, and the streams they share.
pub struct Connection {
    sides: [Side; 2],
    streams: HashMap<u32, Stream>,
}

impl Default for Connection {
    fn default() -> Self {
        Self::new()
    }
}

impl Connection {
    /// A connection before its first byte.
    pub fn new() -> Self {
        let side = |direction| Side {
            buffer: Vec::new(),
            awaiting_preface: direction == Direction::ToServer,
            lost: false,
            hpack: Decoder::new(),
            hpack_lost: false,
            block: None,
        };
        Self {
            sides: [side(Direction::ToServer), side(Direction::ToClient)],
            streams: HashMap::new(),
        }
    }

    /// Takes the next bytes sent in `direction` and returns the frames they complete.
    pub fn push(&mut self, direction: Direction, bytes: &[u8]) -> Vec<Frame> {
        let index = direction.index();
        let mut frames = Vec::new();
        if self.sides[index].lost {
            return frames;
        }
        self.sides[index].buffer.extend_from_slice(bytes);
        if self.sides[index].awaiting_preface {
            let side = &mut self.sides[index];
            let have = side.buffer.len().min(PREFACE.len());
            if side.buffer[..have] != PREFACE[..have] {
                side.lost = true;
                frames.push(unreadable(
                    direction,
                    "not an HTTP/2 client preface (TLS, or HTTP/1.1?)",
                ));
                return frames;
            }
            if have < PREFACE.len() {
                return frames;
            }
            side.buffer.drain(..PREFACE.len());
            side.awaiting_preface = false;
            frames.push(Frame {
                direction,
                kind: "PREFACE".to_owned(),
                stream: 0,
                flags: Vec::new(),
                length: PREFACE.len(),
                body: Body::Preface,
            });
        }
        while let Some((kind, flags, stream, payload)) = self.next_raw(index) {
            let frame = self.read_frame(direction, kind, flags, stream, payload);
            self.table_size(&frame);
            frames.push(frame);
        }
        frames
    }

    /// Cuts the next whole frame out of one side's buffer.
    fn next_raw(&mut self, index: usize) -> Option<(u8, u8, u32, Vec<u8>)> {
        let buffer = &mut self.sides[index].buffer;
        let header: [u8; FRAME_HEADER_LEN] = buffer.get(..FRAME_HEADER_LEN)?.try_into().ok()?;
        let length =
            usize::from(header[0]) << 16 | usize::from(header[1]) << 8 | usize::from(header[2]);
        if buffer.len() < FRAME_HEADER_LEN + length {
            return None;
        }
        let stream = u32::from_be_bytes([header[5], header[6], header[7], header[8]]) & 0x7fff_ffff;
        let payload = buffer[FRAME_HEADER_LEN..FRAME_HEADER_LEN + length].to_vec();
        buffer.drain(..FRAME_HEADER_LEN + length);
        Some((header[3], header[4], stream, payload))
    }

    fn read_frame(
        &mut self,
        direction: Direction,
        kind: u8,
        flags: u8,
        stream: u32,
        payload: Vec<u8>,
    ) -> Frame {
        let (name, flag_names): (&str, &[(u8, &'static str)]) = match kind {
            0x0 => ("DATA", &[(END_STREAM, "END_STREAM"), (PADDED, "PADDED")]),
            0x1 => (
                "HEADERS",
                &[
                    (END_STREAM, "END_STREAM"),
                    (END_HEADERS, "END_HEADERS"),
                    (PADDED, "PADDED"),
                    (PRIORITY, "PRIORITY"),
                ],
            ),
            0x2 => ("PRIORITY", &[]),
            0x3 => ("RST_STREAM", &[]),
            0x4 => ("SETTINGS", &[(ACK, "ACK")]),
            0x5 => (
                "PUSH_PROMISE",
                &[(END_HEADERS, "END_HEADERS"), (PADDED, "PADDED")],
            ),
            0x6 => ("PING", &[(ACK, "ACK")]),
            0x7 => ("GOAWAY", &[]),
            0x8 => ("WINDOW_UPDATE", &[]),
            0x9 => ("CONTINUATION", &[(END_HEADERS, "END_HEADERS")]),
            _ => ("UNKNOWN", &[]),
        };
        let kind_name = if name == "UNKNOWN" {
            format!("UNKNOWN(0x{kind:02x})")
        } else {
            name.to_owned()
        };
        let length = payload.len();
        let body = match name {
            "DATA" => self.data(direction, flags, stream, &payload),
            "HEADERS" => self.headers(direction, flags, stream, &payload),
            "CONTINUATION" => self.continuation(direction, flags, stream, &payload),
            "SETTINGS" => settings(flags, &payload),
            "WINDOW_UPDATE" => match u32_at(&payload, 0) {
                Some(increment) if length == 4 => Body::WindowUpdate(increment & 0x7fff_ffff),
                _ => Body::Unreadable(format!("WINDOW_UPDATE of {length} bytes, not 4")),
            },
            "RST_STREAM" => match u32_at(&payload, 0) {
                Some(code) if length == 4 => {
                    self.streams.remove(&stream);
                    Body::RstStream(code)
                }
                _ => Body::Unreadable(format!("RST_STREAM of {length} bytes, not 4")),
            },
            "PING" if length == 8 => Body::Ping(payload.clone()),
            "PING" => Body::Unreadable(format!("PING of {length} bytes, not 8")),
            "GOAWAY" => match (u32_at(&payload, 0), u32_at(&payload, 4)) {
                (Some(last), Some(code)) => Body::GoAway {
                    last_stream: last & 0x7fff_ffff,
                    code,
                    debug: String::from_utf8_lossy(&payload[8..]).into_owned(),
                },
                _ => Body::Unreadable(format!("GOAWAY of {length} bytes, under 8")),
            },
            _ => Body::Other,
        };
        Frame {
            direction,
            kind: kind_name,
            stream,
            flags: flag_names
                .iter()
                .filter(|(bit, _)| flags & bit != 0)
                .map(|(_, name)| *name)
                .collect(),
            length,
            body,
        }
    }

    fn headers(&mut self, direction: Direction, flags: u8, stream: u32, payload: &[u8]) -> Body {
        let Some(mut fragment) = unpad(flags, payload) else {
            return Body::Unreadable("padding longer than the frame".to_owned());
        };
        if flags & PRIORITY != 0 {
            let Some(rest) = fragment.get(5..) else {
                return Body::Unreadable("PRIORITY flag without the 5 priority bytes".to_owned());
            };
            fragment = rest;
        }
        let end_stream = flags & END_STREAM != 0;
        if flags & END_HEADERS == 0 {
            self.sides[direction.index()].block = Some((stream, end_stream, fragment.to_vec()));
            return Body::HeaderFragment;
        }
        self.header_block(direction, stream, end_stream, fragment)
    }

    fn continuation(
        &mut self,
        direction: Direction,
        flags: u8,
        stream: u32,
        payload: &[u8],
    ) -> Body {
        let side = &mut self.sides[direction.index()];
        let Some((block_stream, end_stream, mut block)) = side.block.take() else {
            return Body::Unreadable("CONTINUATION without a HEADERS before it".to_owned());
        };
        if block_stream != stream {
            return Body::Unreadable(format!(
                "CONTINUATION on stream {stream}, the header block is on stream {block_stream}"
            ));
        }
        block.extend_from_slice(payload);
        if flags & END_HEADERS == 0 {
            side.block = Some((stream, end_stream, block));
            return Body::HeaderFragment;
        }
        self.header_block(direction, stream, end_stream, &block)
    }

    /// Decodes a complete header block and names its role in the call.
    fn header_block(
        &mut self,
        direction: Direction,
        stream: u32,
        end_stream: bool,
        block: &[u8],
    ) -> Body {
        let side = &mut self.sides[direction.index()];
        if side.hpack_lost {
            return Body::Unreadable(
                "header block not decoded: an earlier block failed, so the HPACK table is lost"
                    .to_owned(),
            );
        }
        let fields = match side.hpack.decode(block) {
            Ok(fields) => fields,
            Err(error) => {
                side.hpack_lost = true;
                return Body::Unreadable(format!("HPACK: {error:?}"));
            }
        };
        let fields: Vec<(String, String)> = fields
            .into_iter()
            .map(|(name, value)| {
                (
                    String::from_utf8_lossy(&name).into_owned(),
                    String::from_utf8_lossy(&value).into_owned(),
                )
            })
            .collect();
        let state = self.streams.entry(stream).or_default();
        let index = direction.index();
        let role = match (direction, state.headers_seen[index], end_stream) {
            (Direction::ToServer, false, _) => "request headers",
            (Direction::ToClient, false, true) => "Trailers-Only",
            (Direction::ToClient, false, false) => "response headers",
            (_, true, _) => "trailers",
        };
        state.headers_seen[index] = true;
        if let Some((_, path)) = fields.iter().find(|(name, _)| name == ":path") {
            state.path = Some(path.clone());
        }
        self.end(direction, stream, end_stream);
        Body::Headers { role, fields }
    }

    fn data(&mut self, direction: Direction, flags: u8, stream: u32, payload: &[u8]) -> Body {
        let Some(payload) = unpad(flags, payload) else {
            return Body::Unreadable("padding longer than the frame".to_owned());
        };
        let index = direction.index();
        let state = self.streams.entry(stream).or_default();
        let (request, response) = schemas(state.path.as_deref().unwrap_or_default());
        let schema = match direction {
            Direction::ToServer => request,
            Direction::ToClient => response,
        };
        let mut messages = Vec::new();
        let mut error = None;
        if !state.broken[index] {
            let deframer = &mut state.deframers[index];
            deframer.push(payload);
            loop {
                match deframer.next_message() {
                    Ok(Some(framed)) => messages.push(Message {
                        prefix: framed.prefix.to_bytes(),
                        compressed: framed.prefix.compressed,
                        length: framed.prefix.length,
                        decoded: if framed.prefix.compressed {
                            "compressed, not decoded".to_owned()
                        } else {
                            schema.describe(&framed.message)
                        },
                    }),
                    Ok(None) => break,
                    Err(problem) => {
                        state.broken[index] = true;
                        error = Some(problem.to_string());
                        break;
                    }
                }
            }
            if flags & END_STREAM != 0
                && error.is_none()
                && let Err(problem) = deframer.finish()
            {
                error = Some(problem.to_string());
            }
        }
        self.end(direction, stream, flags & END_STREAM != 0);
        Body::Data {
            payload: payload.to_vec(),
            messages,
            error,
        }
    }

    /// Notes that one side ended the stream, and forgets the stream once both have.
    fn end(&mut self, direction: Direction, stream: u32, end_stream: bool) {
        if !end_stream {
            return;
        }
        if let Some(state) = self.streams.get_mut(&stream) {
            state.ended[direction.index()] = true;
            if state.ended == [true, true] {
                self.streams.remove(&stream);
            }
        }
    }

    /// Notes a SETTINGS_HEADER_TABLE_SIZE: the sender's decoder allows the other side's
    /// encoder a table that large, so the spy's decoder for that side must allow it too.
    fn table_size(&mut self, frame: &Frame) {
        if let Body::Settings(settings) = &frame.body {
            for (name, value) in settings {
                if name == "HEADER_TABLE_SIZE" {
                    let other = match frame.direction {
                        Direction::ToServer => Direction::ToClient,
                        Direction::ToClient => Direction::ToServer,
                    };
                    let size = usize::try_from(*value).unwrap_or(usize::MAX);
                    self.sides[other.index()]
                        .hpack
                        .set_max_allowed_table_size(size);
                }
            }
        }
    }
}

fn settings(flags: u8, payload: &[u8]) -> Body {
    if !payload.len().is_multiple_of(6) || (flags & ACK != 0 && !payload.is_empty()) {
        return Body::Unreadable(format!("SETTINGS of {} bytes", payload.len()));
    }
    Body::Settings(
        payload
            .chunks_exact(6)
            .map(|entry| {
                let id = u16::from_be_bytes([entry[0], entry[1]]);
                let value = u32::from_be_bytes([entry[2], entry[3], entry[4], entry[5]]);
                let name = match id {
                    0x1 => "HEADER_TABLE_SIZE".to_owned(),
                    0x2 => "ENABLE_PUSH".to_owned(),
                    0x3 => "MAX_CONCURRENT_STREAMS".to_owned(),
                    0x4 => "INITIAL_WINDOW_SIZE".to_owned(),
                    0x5 => "MAX_FRAME_SIZE".to_owned(),
                    0x6 => "MAX_HEADER_LIST_SIZE".to_owned(),
                    0x8 => "ENABLE_CONNECT_PROTOCOL".to_owned(),
                    other => format!("0x{other:x}"),
                };
                (name, value)
            })
            .collect(),
    )
}

/// The payload without its padding, or `None` when the pad length overruns the frame.
fn unpad(flags: u8, payload: &[u8]) -> Option<&[u8]> {
    if flags & PADDED == 0 {
        return Some(payload);
    }
    let (&pad, rest) = payload.split_first()?;
    rest.len()
        .checked_sub(usize::from(pad))
        .map(|end| &rest[..end])
}

fn u32_at(payload: &[u8], at: usize) -> Option<u32> {
    let bytes: [u8; 4] = payload.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_be_bytes(bytes))
}

fn unreadable(direction: Direction, why: &str) -> Frame {
    Frame {
        direction,
        kind: "FRAME".to_owned(),
        stream: 0,
        flags: Vec::new(),
        length: 0,
        body: Body::Unreadable(why.to_owned()),
    }
}

/// The name of an HTTP/2 error code (RFC 9113 §7), for RST_STREAM and GOAWAY.
pub fn error_code_name(code: u32) -> &'static str {
    match code {
        0x0 => "NO_ERROR",
        0x1 => "PROTOCOL_ERROR",
        0x2 => "INTERNAL_ERROR",
        0x3 => "FLOW_CONTROL_ERROR",
        0x4 => "SETTINGS_TIMEOUT",
        0x5 => "STREAM_CLOSED",
        0x6 => "FRAME_SIZE_ERROR",
        0x7 => "REFUSED_STREAM",
        0x8 => "CANCEL",
        0x9 => "COMPRESSION_ERROR",
        0xa => "CONNECT_ERROR",
        0xb => "ENHANCE_YOUR_CALM",
        0xc => "INADEQUATE_SECURITY",
        0xd => "HTTP_1_1_REQUIRED",
        _ => "unknown error code",
    }
}

/// `grpc-status` with its name (`5 (NOT_FOUND)`), or `None` for any other header.
pub fn status_note(name: &str, value: &str) -> Option<&'static str> {
    if name != "grpc-status" {
        return None;
    }
    parse_code(value.as_bytes()).ok().map(code_name)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
        let length = u32::try_from(payload.len()).expect("a test payload is small");
        let mut bytes = length.to_be_bytes()[1..].to_vec();
        bytes.extend([kind, flags]);
        bytes.extend(stream.to_be_bytes());
        bytes.extend(payload);
        bytes
    }

    #[test]
    fn control_frames_read_in_any_split() {
        let mut bytes = PREFACE.to_vec();
        bytes.extend(frame(0x6, 0, 0, &[1, 2, 3, 4, 5, 6, 7, 8]));
        bytes.extend(frame(0x3, 0, 1, &8u32.to_be_bytes()));
        bytes.extend(frame(0x8, 0, 0, &65_535u32.to_be_bytes()));
        let mut goaway = 3u32.to_be_bytes().to_vec();
        goaway.extend(0xbu32.to_be_bytes());
        goaway.extend(b"calm");
        bytes.extend(frame(0x7, 0, 0, &goaway));

        let mut connection = Connection::new();
        let frames: Vec<Frame> = bytes
            .chunks(5)
            .flat_map(|chunk| connection.push(Direction::ToServer, chunk))
            .collect();
        let bodies: Vec<&Body> = frames.iter().map(|frame| &frame.body).collect();
        assert_eq!(
            bodies,
            [
                &Body::Preface,
                &Body::Ping(vec![1, 2, 3, 4, 5, 6, 7, 8]),
                &Body::RstStream(8),
                &Body::WindowUpdate(65_535),
                &Body::GoAway {
                    last_stream: 3,
                    code: 0xb,
                    debug: "calm".into()
                },
            ]
        );
        assert_eq!(error_code_name(8), "CANCEL");
    }

    #[test]
    fn what_is_not_http2_is_said_once_and_then_left_alone() {
        let mut connection = Connection::new();
        let frames = connection.push(Direction::ToServer, b"GET / HTTP/1.1\r\n");
        assert!(matches!(
            &frames[..],
            [Frame {
                body: Body::Unreadable(_),
                ..
            }]
        ));
        assert!(
            connection
                .push(Direction::ToServer, b"Host: x\r\n")
                .is_empty()
        );
    }

    #[test]
    fn bad_payloads_are_unreadable_frames_not_errors() {
        let mut connection = Connection::new();
        let mut bytes = frame(0x1, END_HEADERS | PADDED, 1, &[200, 1]);
        bytes.extend(frame(0x1, END_HEADERS, 3, &[0xff, 0xff, 0xff, 0xff]));
        bytes.extend(frame(0x0, PADDED, 1, &[9]));
        bytes.extend(frame(0x8, 0, 0, &[1]));
        let frames = connection.push(Direction::ToClient, &bytes);
        assert_eq!(frames.len(), 4);
        assert!(
            frames
                .iter()
                .all(|frame| matches!(frame.body, Body::Unreadable(_))),
            "{frames:#?}"
        );
    }

    proptest! {
        #[test]
        fn garbage_never_panics(
            preface in any::<bool>(),
            chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 0..16),
        ) {
            let mut connection = Connection::new();
            if preface {
                connection.push(Direction::ToServer, PREFACE);
            }
            for (index, chunk) in chunks.iter().enumerate() {
                let direction = if index % 2 == 0 { Direction::ToServer } else { Direction::ToClient };
                connection.push(direction, chunk);
            }
        }

        #[test]
        fn random_frames_never_panic(
            frames in proptest::collection::vec(
                (0u8..11, any::<u8>(), 0u32..4, proptest::collection::vec(any::<u8>(), 0..48)),
                0..24,
            ),
        ) {
            let mut connection = Connection::new();
            connection.push(Direction::ToServer, PREFACE);
            for (index, (kind, flags, stream, payload)) in frames.iter().enumerate() {
                let direction = if index % 3 == 0 { Direction::ToClient } else { Direction::ToServer };
                connection.push(direction, &frame(*kind, *flags, *stream, payload));
            }
        }
    }
}
