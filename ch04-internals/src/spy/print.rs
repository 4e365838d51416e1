//! The spy's frames written out: as text the way chapter 4's transcript draws a call, or as
//! one JSON object per line for tools.
//!
//! ```text
//! [1] → HEADERS stream 1 END_HEADERS (request headers)
//!       :method: POST
//!       :path: /ecommerce.ProductInfo/getProduct
//!       …
//! [1] → DATA stream 1 END_STREAM (43 bytes)
//!       00 00 00 00 26 0a 24 62 34 61 35 …
//!       = prefix 00 00 00 00 26: flag 0, 38 bytes: ProductID { value: "b4a5…" }
//! [1] ← HEADERS stream 1 END_STREAM END_HEADERS (trailers)
//!       grpc-status: 0 (OK)
//! ```
//!
//! `[1]` is the connection, `→` the client sending, `←` the server.

use serde_json::{Value, json};

use super::frames::{Body, Direction, Frame, Message, error_code_name, status_note};
use crate::hex::{hex, hex_lines};

const BYTES_PER_LINE: usize = 16;
const MAX_LINES: usize = 4;
const INDENT: &str = "      ";

/// How the spy writes frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text, with ANSI colours when `colour` is set.
    Text {
        /// Colour the arrows, frame types and failing statuses.
        colour: bool,
    },
    /// One JSON object per frame per line.
    Json,
}

impl Format {
    /// `frame` of connection `connection`, as one or more lines ending in a newline.
    pub fn render(self, connection: u64, frame: &Frame) -> String {
        match self {
            Self::Text { colour } => text(connection, frame, Paint(colour)),
            Self::Json => format!("{}\n", json_of(connection, frame)),
        }
    }
}

/// ANSI colours, or nothing.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn arrow(self, direction: Direction) -> String {
        let code = match direction {
            Direction::ToServer => "36",
            Direction::ToClient => "35",
        };
        self.wrap(code, direction.arrow())
    }

    fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }

    fn status(self, ok: bool, text: &str) -> String {
        self.wrap(if ok { "32" } else { "31" }, text)
    }
}

fn text(connection: u64, frame: &Frame, paint: Paint) -> String {
    let mut out = format!(
        "[{connection}] {} {}",
        paint.arrow(frame.direction),
        paint.bold(&frame.kind)
    );
    if matches!(frame.body, Body::Preface) {
        out.push_str(" PRI * HTTP/2.0 (client preface)\n");
        return out;
    }
    out.push_str(&format!(" stream {}", frame.stream));
    for flag in &frame.flags {
        out.push(' ');
        out.push_str(flag);
    }
    out.push_str(&format!(" ({} bytes)", frame.length));
    match &frame.body {
        Body::Preface | Body::Other => out.push('\n'),
        Body::Headers { role, fields } => {
            out.push_str(&format!(" {}\n", paint.dim(&format!("[{role}]"))));
            for (name, value) in fields {
                out.push_str(&format!("{INDENT}{name}: {value}"));
                if let Some(code) = status_note(name, value) {
                    let note = format!(" ({code})");
                    out.push_str(&paint.status(value == "0", &note));
                }
                out.push('\n');
            }
        }
        Body::HeaderFragment => out.push_str(" header block continues\n"),
        Body::Data {
            payload,
            messages,
            error,
        } => {
            out.push('\n');
            let lines = hex_lines(payload, BYTES_PER_LINE);
            for line in lines.iter().take(MAX_LINES) {
                out.push_str(&format!("{INDENT}{line}\n"));
            }
            if lines.len() > MAX_LINES {
                let shown = MAX_LINES * BYTES_PER_LINE;
                out.push_str(&format!("{INDENT}… {} more bytes\n", payload.len() - shown));
            }
            for message in messages {
                out.push_str(&format!(
                    "{INDENT}= prefix {}: flag {}, {} bytes: {}\n",
                    hex(&message.prefix),
                    u8::from(message.compressed),
                    message.length,
                    message.decoded
                ));
            }
            if let Some(error) = error {
                out.push_str(&format!("{INDENT}= {}\n", paint.status(false, error)));
            }
        }
        Body::Settings(settings) => {
            out.push('\n');
            for (name, value) in settings {
                out.push_str(&format!("{INDENT}{name}: {value}\n"));
            }
        }
        Body::WindowUpdate(increment) => out.push_str(&format!(" increment {increment}\n")),
        Body::RstStream(code) => out.push_str(&format!(
            " {}\n",
            paint.status(false, &format!("{} ({code})", error_code_name(*code)))
        )),
        Body::Ping(data) => out.push_str(&format!(" {}\n", hex(data))),
        Body::GoAway {
            last_stream,
            code,
            debug,
        } => {
            let code = format!("{} ({code})", error_code_name(*code));
            out.push_str(&format!(
                " last stream {last_stream}, {}",
                paint.status(code.starts_with("NO_ERROR"), &code)
            ));
            if !debug.is_empty() {
                out.push_str(&format!(", debug {debug:?}"));
            }
            out.push('\n');
        }
        Body::Unreadable(why) => {
            out.push_str(&format!(
                " {}\n",
                paint.status(false, &format!("unreadable: {why}"))
            ));
        }
    }
    out
}

fn json_of(connection: u64, frame: &Frame) -> Value {
    let mut object = json!({
        "connection": connection,
        "from": frame.direction.sender(),
        "type": frame.kind,
        "stream": frame.stream,
        "flags": frame.flags,
        "length": frame.length,
    });
    let extra = match &frame.body {
        Body::Preface | Body::Other => json!({}),
        Body::Headers { role, fields } => json!({
            "role": role,
            "headers": fields.iter().map(|(name, value)| json!([name, value])).collect::<Vec<_>>(),
        }),
        Body::HeaderFragment => json!({ "continues": true }),
        Body::Data {
            payload,
            messages,
            error,
        } => json!({
            "payload": hex(payload),
            "messages": messages.iter().map(message_json).collect::<Vec<_>>(),
            "error": error,
        }),
        Body::Settings(settings) => json!({
            "settings": settings.iter().map(|(name, value)| json!([name, value])).collect::<Vec<_>>(),
        }),
        Body::WindowUpdate(increment) => json!({ "increment": increment }),
        Body::RstStream(code) => json!({ "error_code": code, "error": error_code_name(*code) }),
        Body::Ping(data) => json!({ "opaque": hex(data) }),
        Body::GoAway {
            last_stream,
            code,
            debug,
        } => json!({
            "last_stream": last_stream,
            "error_code": code,
            "error": error_code_name(*code),
            "debug": debug,
        }),
        Body::Unreadable(why) => json!({ "unreadable": why }),
    };
    if let (Value::Object(object), Value::Object(extra)) = (&mut object, extra) {
        object.extend(extra);
    }
    object
}

fn message_json(message: &Message) -> Value {
    json!({
        "prefix": hex(&message.prefix),
        "compressed": message.compressed,
        "length": message.length,
        "decoded": message.decoded,
    })
}
