//! HTTP/2 frames written and read by hand, for the attacks no HTTP/2 library will make: more
//! streams than the server allows, frames the server must refuse, floods.
//!
//! Chapter 4's `RawChannel` speaks correct HTTP/2 through the `h2` crate; `h2` refuses to
//! break the protocol, so the attacks here write the bytes themselves: a 9-byte frame header
//! (length, type, flags, stream id) and a payload. Header blocks use HPACK's simplest form,
//! every field a literal that the server is asked not to index, which every decoder accepts.

use std::io;
use std::time::Duration;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

/// The client connection preface.
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Frame types (RFC 9113 §6).
pub mod kind {
    /// DATA.
    pub const DATA: u8 = 0x0;
    /// HEADERS.
    pub const HEADERS: u8 = 0x1;
    /// RST_STREAM.
    pub const RST_STREAM: u8 = 0x3;
    /// SETTINGS.
    pub const SETTINGS: u8 = 0x4;
    /// PING.
    pub const PING: u8 = 0x6;
    /// GOAWAY.
    pub const GOAWAY: u8 = 0x7;
    /// WINDOW_UPDATE.
    pub const WINDOW_UPDATE: u8 = 0x8;
}

/// Frame flags.
pub mod flag {
    /// END_STREAM (DATA, HEADERS).
    pub const END_STREAM: u8 = 0x1;
    /// ACK (SETTINGS, PING).
    pub const ACK: u8 = 0x1;
    /// END_HEADERS (HEADERS).
    pub const END_HEADERS: u8 = 0x4;
}

/// SETTINGS_MAX_CONCURRENT_STREAMS.
pub const SETTINGS_MAX_CONCURRENT_STREAMS: u16 = 0x3;

/// One frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The frame type, one of [`kind`].
    pub kind: u8,
    /// Its flags.
    pub flags: u8,
    /// The stream it belongs to (0: the connection).
    pub stream: u32,
    /// What follows the 9-byte header.
    pub payload: Bytes,
}

impl Frame {
    /// A frame of `kind` on `stream`.
    pub fn new(kind: u8, flags: u8, stream: u32, payload: impl Into<Bytes>) -> Self {
        Self {
            kind,
            flags,
            stream,
            payload: payload.into(),
        }
    }

    /// A HEADERS frame carrying `fields` as one complete header block.
    pub fn headers(stream: u32, fields: &[(&str, &str)], end_stream: bool) -> Self {
        let mut block = BytesMut::new();
        for (name, value) in fields {
            // "Literal Header Field without Indexing — New Name" (RFC 7541 §6.2.2).
            block.put_u8(0x00);
            put_string(&mut block, name.as_bytes());
            put_string(&mut block, value.as_bytes());
        }
        let flags = flag::END_HEADERS | if end_stream { flag::END_STREAM } else { 0 };
        Self::new(kind::HEADERS, flags, stream, block.freeze())
    }

    /// The request headers of a gRPC call to `path`, with `extra` headers (credentials).
    pub fn grpc_request(stream: u32, path: &str, extra: &[(&str, &str)], end_stream: bool) -> Self {
        let mut fields = vec![
            (":method", "POST"),
            (":scheme", "http"),
            (":path", path),
            (":authority", "localhost"),
            ("content-type", "application/grpc"),
            ("te", "trailers"),
        ];
        fields.extend_from_slice(extra);
        Self::headers(stream, &fields, end_stream)
    }

    /// A SETTINGS frame with these parameters.
    pub fn settings(parameters: &[(u16, u32)]) -> Self {
        let mut payload = BytesMut::new();
        for (id, value) in parameters {
            payload.put_u16(*id);
            payload.put_u32(*value);
        }
        Self::new(kind::SETTINGS, 0, 0, payload.freeze())
    }

    /// The parameters of a SETTINGS frame.
    pub fn settings_parameters(&self) -> Vec<(u16, u32)> {
        self.payload
            .chunks_exact(6)
            .map(|entry| {
                let mut entry = entry;
                (entry.get_u16(), entry.get_u32())
            })
            .collect()
    }

    /// The error code of a RST_STREAM or GOAWAY frame.
    pub fn error_code(&self) -> Option<u32> {
        let at = match self.kind {
            kind::RST_STREAM => 0,
            kind::GOAWAY => 4,
            _ => return None,
        };
        let bytes = self.payload.get(at..at + 4)?;
        Some(u32::from_be_bytes(bytes.try_into().ok()?))
    }

    /// Appends the frame, header and payload, to `out`.
    pub fn encode(&self, out: &mut BytesMut) {
        let length = u32::try_from(self.payload.len()).expect("a frame under 16 MiB");
        out.put_slice(&length.to_be_bytes()[1..]);
        out.put_u8(self.kind);
        out.put_u8(self.flags);
        out.put_u32(self.stream & 0x7fff_ffff);
        out.put_slice(&self.payload);
    }
}

/// An HPACK string literal without Huffman coding: a 7-bit-prefix length, then the bytes.
fn put_string(out: &mut BytesMut, bytes: &[u8]) {
    put_integer(out, 7, 0, bytes.len());
    out.put_slice(bytes);
}

/// An HPACK integer with an `prefix`-bit prefix (RFC 7541 §5.1).
fn put_integer(out: &mut BytesMut, prefix: u32, high_bits: u8, value: usize) {
    let max = (1usize << prefix) - 1;
    if value < max {
        out.put_u8(high_bits | u8::try_from(value).expect("under the prefix"));
        return;
    }
    out.put_u8(high_bits | u8::try_from(max).expect("a prefix of at most 8 bits"));
    let mut rest = value - max;
    while rest >= 128 {
        out.put_u8(u8::try_from(rest % 128).expect("under 128") | 0x80);
        rest /= 128;
    }
    out.put_u8(u8::try_from(rest).expect("under 128"));
}

/// Whether an I/O error says the server closed the connection.
fn is_closed(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe
    )
}

/// A byte stream to a server, plaintext or TLS, over TCP.
pub trait Transport: AsyncRead + AsyncWrite + Unpin + Send {
    /// The TCP connection underneath.
    fn tcp(&self) -> &TcpStream;
}

impl Transport for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl Transport for TlsStream<TcpStream> {
    fn tcp(&self) -> &TcpStream {
        self.get_ref().0
    }
}

/// A client connection that writes and reads frames as they are.
pub struct RawConnection {
    socket: Box<dyn Transport>,
    read: BytesMut,
    closed: bool,
}

impl RawConnection {
    /// Connects, sends the preface and an empty SETTINGS frame.
    pub async fn open(addr: &str) -> io::Result<Self> {
        let socket = TcpStream::connect(addr).await?;
        socket.set_nodelay(true)?;
        Self::over(Box::new(socket)).await
    }

    /// Sends the preface and an empty SETTINGS frame on a connection already made.
    pub async fn over(mut socket: Box<dyn Transport>) -> io::Result<Self> {
        let mut hello = BytesMut::from(PREFACE);
        Frame::settings(&[]).encode(&mut hello);
        socket.write_all(&hello).await?;
        Ok(Self {
            socket,
            read: BytesMut::new(),
            closed: false,
        })
    }

    /// Writes `frames` in one go.
    pub async fn send(&mut self, frames: &[Frame]) -> io::Result<()> {
        let mut out = BytesMut::new();
        for frame in frames {
            frame.encode(&mut out);
        }
        self.socket.write_all(&out).await
    }

    /// The next frame from the server; `None` when it closed the connection or nothing came
    /// within `wait`. SETTINGS frames are acknowledged as they arrive, as the protocol asks.
    pub async fn next_frame(&mut self, wait: Duration) -> io::Result<Option<Frame>> {
        loop {
            if let Some(frame) = self.parse()? {
                if frame.kind == kind::SETTINGS && frame.flags & flag::ACK == 0 {
                    let ack = Frame::new(kind::SETTINGS, flag::ACK, 0, Bytes::new());
                    match self.send(&[ack]).await {
                        Ok(()) => {}
                        // The server has closed the connection; the frame still counts.
                        Err(error) if is_closed(&error) => self.closed = true,
                        Err(error) => return Err(error),
                    }
                }
                return Ok(Some(frame));
            }
            let read = tokio::time::timeout(wait, self.socket.read_buf(&mut self.read)).await;
            match read {
                Err(_elapsed) => return Ok(None),
                Ok(Ok(0)) => {
                    self.closed = true;
                    return Ok(None);
                }
                Ok(Ok(_)) => {}
                Ok(Err(error)) if is_closed(&error) => {
                    self.closed = true;
                    return Ok(None);
                }
                Ok(Err(error)) => return Err(error),
            }
        }
    }

    /// Drops the connection as a killed process does when the kernel has unread bytes, or as
    /// a client crashing on another machine looks: a TCP reset (`SO_LINGER` 0), no FIN, no
    /// GOAWAY, no RST_STREAM.
    pub fn abort(self) -> io::Result<()> {
        socket2::SockRef::from(self.socket.tcp()).set_linger(Some(Duration::ZERO))
    }

    /// Whether the server has closed the connection. A server that closes a connection with
    /// unread bytes in its buffer resets it, and the reset can overtake the frames it sent
    /// last (a GOAWAY): the kernel then reports the reset, not the frames.
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// Every frame the server sends until it has been quiet for `quiet` or closed.
    pub async fn frames_until_quiet(&mut self, quiet: Duration) -> io::Result<Vec<Frame>> {
        let mut frames = Vec::new();
        while let Some(frame) = self.next_frame(quiet).await? {
            frames.push(frame);
        }
        Ok(frames)
    }

    /// The parameters of the server's first SETTINGS frame.
    pub async fn server_settings(&mut self) -> io::Result<Vec<(u16, u32)>> {
        loop {
            match self.next_frame(Duration::from_secs(5)).await? {
                Some(frame) if frame.kind == kind::SETTINGS && frame.flags & flag::ACK == 0 => {
                    return Ok(frame.settings_parameters());
                }
                Some(_) => {}
                None => {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "no SETTINGS from the server",
                    ));
                }
            }
        }
    }

    fn parse(&mut self) -> io::Result<Option<Frame>> {
        if self.read.len() < 9 {
            return Ok(None);
        }
        let length = usize::from(self.read[0]) << 16
            | usize::from(self.read[1]) << 8
            | usize::from(self.read[2]);
        if self.read.len() < 9 + length {
            return Ok(None);
        }
        let mut header = self.read.split_to(9);
        header.advance(3);
        let kind = header.get_u8();
        let flags = header.get_u8();
        let stream = header.get_u32() & 0x7fff_ffff;
        let payload = self.read.split_to(length).freeze();
        Ok(Some(Frame {
            kind,
            flags,
            stream,
            payload,
        }))
    }
}
