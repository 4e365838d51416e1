//! The byte-by-byte listings `ch04-encode` prints: hex on the left, meaning on the right.
//!
//! ```text
//! ProductID { value: "15" }
//!
//! protobuf encoding, 4 bytes:
//!   0a                       tag: field 1 (value), wire type 2 (length-delimited): (1 << 3) | 2 = 10
//!   02                       length: 2
//!   31 35                    "15"
//!
//! length-prefixed message, 9 bytes:
//!   00                       compressed-flag: 0 (not compressed)
//!   00 00 00 04              message length: 4 (4 bytes, big-endian)
//!   0a 02 31 35              message: the 4 bytes above
//!
//! prost's encode_to_vec gives the same 4 bytes.
//! ```

use std::fmt::{self, Write as _};

use crate::framing::{FrameError, PREFIX_LEN, Prefix};
use crate::hex::{hex, hex_lines};
use crate::protobuf::messages::describe;
use crate::protobuf::{BookMessage, encode_annotated};

const BYTES_PER_LINE: usize = 8;
const HEX_WIDTH: usize = BYTES_PER_LINE * 3 + 1;
/// How many bytes of a message listed already the frame listing repeats.
const ABBREVIATED_BYTES: usize = 6;

/// Explains how `message` goes on the wire: its fields, its protobuf encoding byte by byte,
/// its length-prefixed frame, and whether prost writes the same bytes.
pub fn explain<M: BookMessage + prost::Message>(message: &M) -> Result<String, FrameError> {
    let encoding = Listing::encoding(message);
    let bytes = encoding.bytes();
    let framed = Listing::frame(&bytes)?;

    let mut text = String::new();
    let _ = writeln!(text, "{}", describe(message));
    let _ = writeln!(text);
    let _ = writeln!(text, "{encoding}");
    let _ = writeln!(text, "{framed}");
    let _ = write!(text, "{}", ProstCheck::new(&bytes, message));
    Ok(text)
}

/// Rows of bytes with what they mean, under a title.
#[derive(Debug, Clone)]
pub struct Listing {
    title: String,
    rows: Vec<Row>,
    footer: Option<String>,
}

#[derive(Debug, Clone)]
struct Row {
    bytes: Vec<u8>,
    note: String,
    /// Show only the first line of the bytes: they were listed already.
    abbreviated: bool,
}

impl Listing {
    /// The protobuf encoding of `message`, one row per tag, length and value.
    pub fn encoding<M: BookMessage>(message: &M) -> Self {
        let rows: Vec<Row> = encode_annotated(message)
            .into_iter()
            .map(|piece| Row {
                note: piece.to_string(),
                bytes: piece.bytes,
                abbreviated: false,
            })
            .collect();
        let length: usize = rows.iter().map(|row| row.bytes.len()).sum();
        let defaults: Vec<&str> = message
            .fields()
            .iter()
            .filter(|field| field.value.is_default())
            .map(|field| field.name)
            .collect();
        let footer = (!defaults.is_empty()).then(|| {
            format!(
                "not on the wire, holding their default value: {}",
                defaults.join(", ")
            )
        });
        Self {
            title: format!("protobuf encoding, {length} bytes:"),
            rows,
            footer,
        }
    }

    /// `message` behind its length prefix.
    pub fn frame(message: &[u8]) -> Result<Self, FrameError> {
        let length =
            u32::try_from(message.len()).map_err(|_| FrameError::TooLong(message.len()))?;
        let prefix = Prefix {
            compressed: false,
            length,
        };
        let [flag, length_bytes @ ..] = prefix.to_bytes();
        let mut rows = vec![
            Row {
                bytes: vec![flag],
                note: "compressed-flag: 0 (not compressed)".to_owned(),
                abbreviated: false,
            },
            Row {
                bytes: length_bytes.to_vec(),
                note: format!("message length: {length} (4 bytes, big-endian)"),
                abbreviated: false,
            },
        ];
        if !message.is_empty() {
            rows.push(Row {
                bytes: message.to_vec(),
                note: format!("message: the {} bytes above", message.len()),
                abbreviated: true,
            });
        }
        Ok(Self {
            title: format!(
                "length-prefixed message, {} bytes:",
                PREFIX_LEN + message.len()
            ),
            rows,
            footer: None,
        })
    }

    /// Every byte of the listing, in order.
    pub fn bytes(&self) -> Vec<u8> {
        self.rows.iter().flat_map(|row| row.bytes.clone()).collect()
    }
}

impl fmt::Display for Listing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.title)?;
        for row in &self.rows {
            let lines = hex_lines(&row.bytes, BYTES_PER_LINE);
            let mut lines = lines.iter();
            let first = lines.next().map(String::as_str).unwrap_or_default();
            let first = if row.abbreviated && row.bytes.len() > ABBREVIATED_BYTES {
                format!("{} …", hex(&row.bytes[..ABBREVIATED_BYTES]))
            } else {
                first.to_owned()
            };
            writeln!(f, "  {first:<HEX_WIDTH$}{}", row.note)?;
            if !row.abbreviated {
                for line in lines {
                    writeln!(f, "  {line}")?;
                }
            }
        }
        if let Some(footer) = &self.footer {
            writeln!(f, "  ({footer})")?;
        }
        Ok(())
    }
}

/// Whether prost, the encoder tonic uses, writes the same bytes.
struct ProstCheck {
    ours: Vec<u8>,
    prost: Vec<u8>,
}

impl ProstCheck {
    fn new<M: prost::Message>(ours: &[u8], message: &M) -> Self {
        Self {
            ours: ours.to_vec(),
            prost: message.encode_to_vec(),
        }
    }
}

impl fmt::Display for ProstCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ours == self.prost {
            return writeln!(
                f,
                "prost's encode_to_vec gives the same {} bytes.",
                self.prost.len()
            );
        }
        writeln!(
            f,
            "prost's encode_to_vec gives other bytes ({}): {}",
            self.prost.len(),
            hex(&self.prost)
        )?;
        writeln!(
            f,
            "(prost 0.14 leaves out a float of -0.0, which proto3 says to write: see the README.)"
        )
    }
}
