//! Hostile requests that any gRPC server must answer well, and what "well" is for each.
//!
//! Chapter 4's [`Malformed`](ch04_internals::malformed::Malformed) cases break the wire format
//! one rule at a time against `ch02-server`. The cases here go further, after what grpc-go's
//! and grpc-java's transports are tested against, and are built for any [`Sample`]: its path,
//! its message, its credentials. Each case says what the server must answer; the tests send
//! every case to every server and then check it still serves.

use bytes::{BufMut, Bytes, BytesMut};
use http::{HeaderName, HeaderValue};
use wire::frame;

use crate::servers::{Sample, string_field};

/// What a server must answer to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// HTTP 200 and this `grpc-status`.
    Code(u32),
    /// This HTTP status and this `grpc-status` (a request that is not gRPC).
    HttpAndCode(u16, u32),
    /// This HTTP status, and no gRPC status: HTTP/2 refused the request before gRPC saw it.
    Http(u16),
    /// The call is served as if nothing were odd: the sample's usual answer.
    Served,
    /// The server ends the whole connection with GOAWAY `ENHANCE_YOUR_CALM`: the peer is
    /// flooding it. (The tests send such a case on a connection of its own.)
    GoAwayCalm,
}

/// What a case changes in the sample's call: headers to set (an empty value removes one),
/// the DATA frames, and another path.
type Parts = (Vec<(HeaderName, HeaderValue)>, Vec<Bytes>, Option<String>);

/// One hostile request.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// What the request does wrong, in a few words.
    pub name: &'static str,
    /// The answer the server owes it.
    pub expected: Expected,
    build: fn(&Sample) -> Parts,
}

impl Case {
    /// The case as a request to `sample`.
    pub fn request(&self, sample: &Sample) -> ch04_internals::http2::RawRequest {
        let (headers, data, path) = (self.build)(sample);
        let mut request = sample.request(data);
        for (name, value) in headers {
            request.headers.retain(|(header, _)| *header != name);
            if !value.is_empty() {
                request.headers.push((name, value));
            }
        }
        if let Some(path) = path {
            request.path = path;
        }
        request
    }
}

/// INTERNAL: the request cannot be parsed (`statuscodes.md`).
const INTERNAL: u32 = 13;
/// RESOURCE_EXHAUSTED: a message over the limit.
const RESOURCE_EXHAUSTED: u32 = 8;
/// UNIMPLEMENTED: an unknown method or compression algorithm.
const UNIMPLEMENTED: u32 = 12;
/// DEADLINE_EXCEEDED: the deadline had passed before the call began.
const DEADLINE_EXCEEDED: u32 = 4;

/// No header changed, no path changed.
fn data_only(data: Vec<u8>) -> Parts {
    (vec![], vec![Bytes::from(data)], None)
}

/// The sample's own message, framed.
fn good_frame(sample: &Sample) -> Vec<u8> {
    frame(&string_field(sample.value)).to_vec()
}

/// A 5-byte prefix: the compressed-flag and the length.
fn prefix(compressed: bool, length: u32) -> Vec<u8> {
    let mut prefix = vec![u8::from(compressed)];
    prefix.extend_from_slice(&length.to_be_bytes());
    prefix
}

/// The sample's message with one header replaced (an empty value removes it).
fn with_header(sample: &Sample, name: &'static str, value: &'static str) -> Parts {
    let header = (
        HeaderName::from_static(name),
        HeaderValue::from_static(value),
    );
    (vec![header], vec![Bytes::from(good_frame(sample))], None)
}

/// The sample's message with `size` bytes of custom metadata.
fn padded_metadata(sample: &Sample, size: usize) -> Parts {
    let header = (
        HeaderName::from_static("x-padding"),
        HeaderValue::from_bytes(&vec![b'a'; size]).expect("ASCII"),
    );
    (vec![header], vec![Bytes::from(good_frame(sample))], None)
}

/// Every case, in the order the tests send them.
pub const CASES: [Case; 19] = [
    Case {
        name: "length prefix larger than the body",
        expected: Expected::Code(INTERNAL),
        build: |sample| {
            let message = string_field(sample.value);
            let mut data = prefix(false, 50);
            data.extend_from_slice(&message);
            data_only(data)
        },
    },
    Case {
        name: "0xFFFFFFFF length prefix",
        expected: Expected::Code(RESOURCE_EXHAUSTED),
        build: |_| {
            let mut data = prefix(false, u32::MAX);
            data.extend_from_slice(&[0; 64]);
            data_only(data)
        },
    },
    Case {
        name: "truncated frame, then END_STREAM",
        expected: Expected::Code(INTERNAL),
        build: |sample| {
            let mut data = good_frame(sample);
            data.truncate(data.len() - 2);
            data_only(data)
        },
    },
    Case {
        name: "compressed-flag without grpc-encoding",
        expected: Expected::Code(INTERNAL),
        build: |sample| {
            let message = string_field(sample.value);
            let mut data = prefix(true, u32::try_from(message.len()).expect("small"));
            data.extend_from_slice(&message);
            data_only(data)
        },
    },
    Case {
        name: "unknown grpc-encoding",
        expected: Expected::Code(UNIMPLEMENTED),
        build: |sample| {
            let message = string_field(sample.value);
            let mut data = prefix(true, u32::try_from(message.len()).expect("small"));
            data.extend_from_slice(&message);
            let header = (
                HeaderName::from_static("grpc-encoding"),
                HeaderValue::from_static("snappy"),
            );
            (vec![header], vec![Bytes::from(data)], None)
        },
    },
    Case {
        name: "invalid UTF-8 in a string field",
        expected: Expected::Code(INTERNAL),
        build: |_| data_only(frame(&[0x0a, 0x03, 0xff, 0xfe, 0xfd]).to_vec()),
    },
    Case {
        name: "message over the size limit",
        expected: Expected::Code(RESOURCE_EXHAUSTED),
        build: |_| {
            let limit = common::server::MAX_MESSAGE_SIZE;
            let mut data = prefix(false, u32::try_from(limit + 1).expect("fits"));
            data.extend_from_slice(&vec![0; limit + 1]);
            data_only(data)
        },
    },
    Case {
        name: "wrong content-type",
        expected: Expected::HttpAndCode(415, 3),
        build: |sample| with_header(sample, "content-type", "text/plain"),
    },
    Case {
        name: "no te: trailers",
        expected: Expected::Served,
        build: |sample| with_header(sample, "te", ""),
    },
    Case {
        name: "20 KiB of metadata",
        // Over hyper's 16 KiB SETTINGS_MAX_HEADER_LIST_SIZE: h2 refuses the request itself.
        expected: Expected::Http(431),
        build: |sample| padded_metadata(sample, 20 * 1024),
    },
    Case {
        name: "64 KiB of metadata",
        // Four times the advertised limit: h2 stops decoding and ends the connection.
        expected: Expected::GoAwayCalm,
        build: |sample| padded_metadata(sample, 64 * 1024),
    },
    Case {
        name: "unknown service",
        expected: Expected::Code(UNIMPLEMENTED),
        build: |sample| {
            let (headers, data, _) = data_only(good_frame(sample));
            (headers, data, Some("/no.such.Service/getProduct".into()))
        },
    },
    Case {
        name: "unknown method",
        expected: Expected::Code(UNIMPLEMENTED),
        build: |sample| {
            let service = sample
                .path
                .rsplit_once('/')
                .map_or("", |(service, _)| service);
            let (headers, data, _) = data_only(good_frame(sample));
            (headers, data, Some(format!("{service}/noSuchMethod")))
        },
    },
    Case {
        name: "grpc-timeout: abc",
        expected: Expected::Code(INTERNAL),
        build: |sample| with_header(sample, "grpc-timeout", "abc"),
    },
    Case {
        name: "grpc-timeout: 99999999999S (over 8 digits)",
        expected: Expected::Code(INTERNAL),
        build: |sample| with_header(sample, "grpc-timeout", "99999999999S"),
    },
    Case {
        name: "grpc-timeout: 0n",
        expected: Expected::Code(DEADLINE_EXCEEDED),
        build: |sample| with_header(sample, "grpc-timeout", "0n"),
    },
    Case {
        name: "grpc-timeout: -1S",
        expected: Expected::Code(INTERNAL),
        build: |sample| with_header(sample, "grpc-timeout", "-1S"),
    },
    Case {
        name: "grpc-timeout: 1X (unknown unit)",
        expected: Expected::Code(INTERNAL),
        build: |sample| with_header(sample, "grpc-timeout", "1X"),
    },
    Case {
        name: "two messages in a unary request",
        // grpc-java's answer; the spec's table says UNIMPLEMENTED, which its authors mean to
        // change, as that code says the method does not exist.
        expected: Expected::Code(INTERNAL),
        build: |sample| {
            let mut data = good_frame(sample);
            data.extend_from_slice(&good_frame(sample));
            data_only(data)
        },
    },
];

/// A seeded stream of pseudo-random numbers (SplitMix64): the same seed gives the same
/// bodies on every run, so a failing body can be sent again.
#[derive(Debug, Clone)]
pub struct Seeded(u64);

impl Seeded {
    /// The stream for `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `bound`.
    pub fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next_u64() % u64::try_from(bound).expect("fits")).expect("fits")
    }
}

/// A protobuf body from `random`: every other body is well-formed protobuf with random field
/// numbers, wire types and values (so it reaches the handler's decoding of unknown, repeated
/// and mistyped fields); the rest are random bytes.
pub fn random_protobuf(random: &mut Seeded, index: usize) -> Vec<u8> {
    let mut body = BytesMut::new();
    if index % 2 == 1 {
        let length = random.below(64);
        body.extend((0..length).map(|_| random.next_u64().to_le_bytes()[0]));
        return body.to_vec();
    }
    for _ in 0..random.below(8) {
        let field = u64::try_from(1 + random.below(20)).expect("small");
        match random.below(4) {
            0 => {
                put_varint(&mut body, field << 3);
                put_varint(&mut body, random.next_u64() >> random.below(64));
            }
            1 => {
                put_varint(&mut body, field << 3 | 2);
                let length = random.below(24);
                put_varint(&mut body, u64::try_from(length).expect("small"));
                body.extend((0..length).map(|_| random.next_u64().to_le_bytes()[0]));
            }
            2 => {
                put_varint(&mut body, field << 3 | 1);
                body.put_u64_le(random.next_u64());
            }
            _ => {
                put_varint(&mut body, field << 3 | 5);
                body.put_u32_le(u32::try_from(random.next_u64() >> 32).expect("32 bits"));
            }
        }
    }
    body.to_vec()
}

fn put_varint(out: &mut BytesMut, mut value: u64) {
    while value >= 0x80 {
        out.put_u8(u8::try_from(value & 0x7f).expect("7 bits") | 0x80);
        value >>= 7;
    }
    out.put_u8(u8::try_from(value).expect("under 128"));
}
