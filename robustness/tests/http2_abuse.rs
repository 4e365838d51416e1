//! HTTP/2 itself used as a weapon against every server binary (`ch06-server` over TLS): Rapid Reset
//! (CVE-2023-44487), SETTINGS and PING floods, a flood of empty DATA frames, and a client that
//! never opens its flow-control window. Each server must stay up, spend bounded CPU and keep
//! bounded memory, and answer a normal call on a new connection afterwards.
//!
//! The frames are written by hand ([`robustness::frames`]): an HTTP/2 library would not send
//! them. Run with `-- --nocapture` for the table of CPU time and memory per attack.

use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use robustness::frames::{Frame, RawConnection, flag, kind};
use robustness::proc;
use robustness::servers::{Sample, string_field};
use robustness::target::Target;

/// SETTINGS_INITIAL_WINDOW_SIZE (RFC 9113 §6.5.2).
const SETTINGS_INITIAL_WINDOW_SIZE: u16 = 0x4;
/// The CANCEL error code, what a client resets a stream with.
const CANCEL: u32 = 0x8;
/// The ENHANCE_YOUR_CALM error code: "the peer might be generating excessive load".
const ENHANCE_YOUR_CALM: u32 = 0xb;

/// The most CPU time one attack may cost a server (debug build, 2 cores shared with the
/// attacker): enough for honest work on every frame, far from a spinning loop.
const CPU_LIMIT: Duration = Duration::from_secs(5);
/// The most resident memory a server may keep after an attack.
const RSS_SLACK: u64 = 16 * 1024 * 1024;

/// How long the attacker waits for the server to go quiet after an attack.
const QUIET: Duration = Duration::from_millis(500);

/// One attack: a name and what it sends on a fresh connection; it returns what the server
/// did, in a few words.
struct Attack {
    name: &'static str,
    run: for<'a> fn(&'a Sample, &'a mut RawConnection) -> futures::future::BoxFuture<'a, String>,
}

/// HEADERS of a call to the sample's method, and its message in a DATA frame that ends the
/// stream.
fn call_frames(sample: &Sample, stream: u32, path: &str, message: &[u8]) -> [Frame; 2] {
    [
        Frame::grpc_request(stream, path, sample.headers, false),
        Frame::new(kind::DATA, flag::END_STREAM, stream, wire::frame(message)),
    ]
}

/// What the server sent after an attack, in a few words: how many frames, and its GOAWAY.
async fn answer(connection: &mut RawConnection) -> String {
    let frames = connection
        .frames_until_quiet(QUIET)
        .await
        .unwrap_or_default();
    summary(connection, &frames)
}

fn summary(connection: &RawConnection, frames: &[Frame]) -> String {
    let goaway = frames.iter().find(|frame| frame.kind == kind::GOAWAY);
    let end = match goaway.and_then(Frame::error_code) {
        Some(ENHANCE_YOUR_CALM) => "GOAWAY ENHANCE_YOUR_CALM, closed".to_owned(),
        Some(code) => format!("GOAWAY {code:#x}"),
        None if connection.closed() => "closed".to_owned(),
        None => "open".to_owned(),
    };
    format!("{} frames, {end}", frames.len())
}

/// Whether the server ended the connection as a flood deserves: closed it, with
/// ENHANCE_YOUR_CALM if its GOAWAY got through before the reset.
fn calmed(did: &str) -> bool {
    did.ends_with(", closed") && (!did.contains("GOAWAY") || did.contains("ENHANCE_YOUR_CALM"))
}

/// Writes `frames`; a server that closes the connection or stops reading part way is
/// defending itself, so neither is an error here.
async fn flood(connection: &mut RawConnection, frames: &[Frame]) -> &'static str {
    match tokio::time::timeout(Duration::from_secs(5), connection.send(frames)).await {
        Ok(Ok(())) => "all written",
        Ok(Err(_)) => "closed by the server",
        Err(_) => "the server stopped reading",
    }
}

const ATTACKS: [Attack; 5] = [
    Attack {
        name: "Rapid Reset: 10,000 streams opened and reset at once",
        run: |sample, connection| {
            Box::pin(async move {
                let mut frames = Vec::with_capacity(20_000);
                for index in 0..10_000 {
                    let stream = 2 * index + 1;
                    frames.push(Frame::grpc_request(
                        stream,
                        sample.path,
                        sample.headers,
                        false,
                    ));
                    frames.push(Frame::new(
                        kind::RST_STREAM,
                        0,
                        stream,
                        CANCEL.to_be_bytes().to_vec(),
                    ));
                }
                let written = flood(connection, &frames).await;
                format!("{written}; {}", answer(connection).await)
            })
        },
    },
    Attack {
        name: "SETTINGS flood: 100,000 frames, no ACK read",
        run: |_, connection| {
            Box::pin(async move {
                let frames =
                    vec![Frame::settings(&[(SETTINGS_INITIAL_WINDOW_SIZE, 65_535)]); 100_000];
                let written = flood(connection, &frames).await;
                format!("{written}; {}", answer(connection).await)
            })
        },
    },
    Attack {
        name: "PING flood: 100,000 frames, no answer read",
        run: |_, connection| {
            Box::pin(async move {
                let frames = vec![Frame::new(kind::PING, 0, 0, vec![7; 8]); 100_000];
                let written = flood(connection, &frames).await;
                format!("{written}; {}", answer(connection).await)
            })
        },
    },
    Attack {
        name: "1,000 empty DATA frames in a call",
        run: |sample, connection| {
            Box::pin(async move {
                let message = string_field(sample.value);
                let [headers, data] = call_frames(sample, 1, sample.path, &message);
                let mut frames = vec![headers];
                frames.extend(vec![Frame::new(kind::DATA, 0, 1, Bytes::new()); 1000]);
                frames.push(data);
                let written = flood(connection, &frames).await;
                format!("{written}; {}", answer(connection).await)
            })
        },
    },
    Attack {
        name: "zero window: 100 calls whose answers cannot be sent",
        run: |sample, connection| {
            Box::pin(async move {
                let mut frames = vec![Frame::settings(&[(SETTINGS_INITIAL_WINDOW_SIZE, 0)])];
                let (path, message) = call_with_an_answer(sample);
                for index in 0..100 {
                    frames.extend(call_frames(sample, 2 * index + 1, &path, &message));
                }
                let written = flood(connection, &frames).await;
                let answer = connection
                    .frames_until_quiet(QUIET)
                    .await
                    .unwrap_or_default();
                let overflowed = answer
                    .iter()
                    .any(|frame| frame.kind == kind::DATA && !frame.payload.is_empty());
                assert!(
                    !overflowed,
                    "{}: DATA sent into a zero window",
                    sample.binary
                );
                format!("{written}; {}, no DATA", summary(connection, &answer))
            })
        },
    },
];

/// A call whose answer carries a message (so flow control applies to it): `addProduct` on a
/// ProductInfo server (its good call, a missing product, is answered by trailers alone),
/// the sample's own call elsewhere.
fn call_with_an_answer(sample: &Sample) -> (String, Vec<u8>) {
    if sample.path.starts_with("/ecommerce.ProductInfo/") {
        // Product { name: "attack" } (field 2).
        let mut product = BytesMut::new();
        product.put_slice(&[0x12, 6]);
        product.put_slice(b"attack");
        ("/ecommerce.ProductInfo/addProduct".into(), product.to_vec())
    } else {
        (sample.path.into(), string_field(sample.value))
    }
}

#[allow(clippy::cast_precision_loss)]
fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[tokio::test]
async fn every_server_survives_http2_abuse_with_bounded_cpu_and_memory() {
    let mut table = vec![
        "| Server | Attack | Server did | CPU | RSS before / after |".to_owned(),
        "|---|---|---|---|---|".to_owned(),
    ];
    let mut failures = Vec::new();
    for sample in Target::all() {
        let server = Target::start(sample).await;
        let name = server.name();
        server.still_serves().await;
        for attack in &ATTACKS {
            let rss_before = proc::rss(server.pid());
            let cpu_before = proc::cpu_time(server.pid());
            let mut connection = server.raw_connection().await;
            let did = (attack.run)(&sample, &mut connection).await;
            drop(connection);
            server.still_serves().await;
            let cpu = proc::cpu_time(server.pid()) - cpu_before;
            let rss_after = proc::rss(server.pid());
            table.push(format!(
                "| {} | {} | {did} | {} ms | {:.1} / {:.1} MiB |",
                name,
                attack.name,
                cpu.as_millis(),
                mib(rss_before),
                mib(rss_after)
            ));
            if cpu > CPU_LIMIT || rss_after > rss_before + RSS_SLACK {
                failures.push(format!(
                    "{} / {}: {cpu:?} of CPU, RSS {:.1} → {:.1} MiB",
                    name,
                    attack.name,
                    mib(rss_before),
                    mib(rss_after)
                ));
            }
            // hyper ends a connection whose peer resets more than 20 streams before the server
            // accepts them, and h2 one with more than 100 empty DATA frames.
            let flood =
                attack.name.starts_with("Rapid Reset") || attack.name.contains("empty DATA");
            if flood && !calmed(&did) {
                failures.push(format!("{name} / {}: {did}", attack.name));
            }
        }
        server.stop().await;
    }
    println!("{}", table.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
