//! An [`Exchange`] written out frame by frame, the way the book draws a call.
//!
//! ```text
//! stream 3: POST /ecommerce.ProductInfo/getProduct
//! → HEADERS
//!       :method: POST
//!       …
//! → DATA, END_STREAM (43 bytes)
//!       00 00 00 00 26 0a 24 62 34 61 35 …
//!       = message: flag 0, 38 bytes: ProductID { value: "b4a5…" }
//! ← HEADERS
//!       :status: 200
//!       content-type: application/grpc
//! ← DATA (130 bytes)
//!       …
//! ← HEADERS (trailers), END_STREAM
//!       grpc-status: 0
//! ⇒ OK (0)
//! ```
//!
//! `→` is the client sending, `←` the server. Every DATA payload is shown in hex (long ones
//! cut after four lines) with the length-prefixed messages it completes, decoded by hand.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue};

use super::call::{Exchange, MessageKind};
use super::status::{code_name, parse_code, percent_decode};
use crate::framing::Deframer;
use crate::hex::hex_lines;

const BYTES_PER_LINE: usize = 16;
const MAX_LINES: usize = 4;
const INDENT: &str = "      ";

impl fmt::Display for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self
            .request_headers
            .iter()
            .find(|(name, _)| name == ":path")
            .map(|(_, value)| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .unwrap_or_default();
        writeln!(f, "stream {}: POST {path}", self.stream_id)?;

        let request_ended_on_headers = self.request_data.is_empty();
        writeln!(
            f,
            "→ HEADERS{}",
            if request_ended_on_headers {
                ", END_STREAM"
            } else {
                ""
            }
        )?;
        for (name, value) in &self.request_headers {
            write_header(f, name, value)?;
        }
        write_data(f, "→", &self.request_data, true, self.sends)?;

        if self.trailers_only {
            writeln!(f, "← HEADERS (Trailers-Only), END_STREAM")?;
        } else {
            writeln!(f, "← HEADERS")?;
        }
        writeln!(f, "{INDENT}:status: {}", self.status.as_u16())?;
        write_headers(f, &self.response_headers)?;
        write_data(
            f,
            "←",
            &self.response_data,
            self.trailers.is_none() && self.reset.is_none() && !self.trailers_only,
            self.expects,
        )?;
        if let Some(trailers) = &self.trailers {
            writeln!(f, "← HEADERS (trailers), END_STREAM")?;
            write_headers(f, trailers)?;
        }
        if let Some(reason) = &self.reset {
            writeln!(f, "← RST_STREAM: {reason}")?;
        }
        write_outcome(f, self)
    }
}

fn write_headers(f: &mut fmt::Formatter<'_>, headers: &HeaderMap) -> fmt::Result {
    for (name, value) in headers {
        write_header(f, name.as_str(), value)?;
    }
    Ok(())
}

fn write_header(f: &mut fmt::Formatter<'_>, name: &str, value: &HeaderValue) -> fmt::Result {
    let text = String::from_utf8_lossy(value.as_bytes());
    write!(f, "{INDENT}{name}: {text}")?;
    if name == "grpc-status"
        && let Ok(code) = parse_code(value.as_bytes())
    {
        write!(f, " ({})", code_name(code))?;
    }
    if name == "grpc-message" {
        let decoded = percent_decode(value.as_bytes());
        if decoded != text {
            write!(f, "\n{INDENT}  percent-decoded: {decoded:?}")?;
        }
    }
    writeln!(f)
}

/// Each DATA payload in hex, each message it completes decoded, and a note if the stream
/// ended inside a message. `last_ends_stream` marks the last payload END_STREAM.
fn write_data(
    f: &mut fmt::Formatter<'_>,
    arrow: &str,
    payloads: &[Bytes],
    last_ends_stream: bool,
    kind: MessageKind,
) -> fmt::Result {
    let mut deframer = Deframer::new();
    for (index, payload) in payloads.iter().enumerate() {
        let end = if last_ends_stream && index + 1 == payloads.len() {
            ", END_STREAM"
        } else {
            ""
        };
        writeln!(f, "{arrow} DATA{end} ({} bytes)", payload.len())?;
        write_hex(f, payload)?;
        deframer.push(payload);
        loop {
            match deframer.next_message() {
                Ok(Some(framed)) => {
                    let content = if framed.prefix.compressed {
                        "compressed, not decoded".to_owned()
                    } else {
                        kind.describe(&framed.message)
                    };
                    writeln!(
                        f,
                        "{INDENT}= message: flag {}, {} bytes: {content}",
                        u8::from(framed.prefix.compressed),
                        framed.prefix.length
                    )?;
                }
                Ok(None) => break,
                Err(error) => {
                    writeln!(f, "{INDENT}= {error}")?;
                    return Ok(());
                }
            }
        }
    }
    if let Err(error) = deframer.finish() {
        writeln!(f, "{INDENT}= {error}")?;
    }
    Ok(())
}

fn write_hex(f: &mut fmt::Formatter<'_>, payload: &[u8]) -> fmt::Result {
    let lines = hex_lines(payload, BYTES_PER_LINE);
    for line in lines.iter().take(MAX_LINES) {
        writeln!(f, "{INDENT}{line}")?;
    }
    if lines.len() > MAX_LINES {
        let shown = MAX_LINES * BYTES_PER_LINE;
        writeln!(f, "{INDENT}… {} more bytes", payload.len() - shown)?;
    }
    Ok(())
}

fn write_outcome(f: &mut fmt::Formatter<'_>, exchange: &Exchange) -> fmt::Result {
    write!(f, "⇒ ")?;
    if exchange.status != http::StatusCode::OK {
        write!(f, "HTTP {}, ", exchange.status)?;
    }
    match exchange.grpc_status() {
        Some(Ok(status)) => writeln!(f, "{status}"),
        Some(Err(error)) => writeln!(f, "{error}"),
        None => writeln!(f, "no grpc-status"),
    }
}
