//! Every server binary (the plaintext ones the README starts, and `ch06-server` over TLS),
//! sent every hostile request of
//! [`robustness::cases`] and 200 seeded random protobuf bodies over one raw HTTP/2
//! connection: each request gets the answer the spec calls for, the server answers a good
//! call afterwards, and its memory is back near where it started.
//!
//! Run with `-- --nocapture` to see the table of what each server answered.

use std::fmt::Write as _;

use ch04_internals::http2::status::code_name;
use ch04_internals::http2::{Exchange, RawError};
use robustness::cases::{CASES, Case, Expected, Seeded, random_protobuf};
use robustness::proc;
use robustness::servers::Sample;
use robustness::target::Target;

/// How much resident memory a server may keep after the attacks: allocators hold on to some
/// of what they were given, but an attack must not leave megabytes behind.
const RSS_SLACK: u64 = 8 * 1024 * 1024;

/// How many random bodies each server decodes.
const RANDOM_BODIES: usize = 200;

/// What the exchange shows, in a few words: `HTTP 415 INVALID_ARGUMENT`, `NOT_FOUND`,
/// `reset: …`.
fn seen(exchange: &Exchange) -> String {
    let mut seen = String::new();
    if exchange.status != 200 {
        let _ = write!(seen, "HTTP {} ", exchange.status.as_u16());
    }
    match exchange.grpc_status() {
        Some(Ok(status)) => seen.push_str(code_name(status.code)),
        Some(Err(error)) => {
            let _ = write!(seen, "invalid grpc-status {error:?}");
        }
        None if exchange.reset.is_some() => {
            let _ = write!(seen, "reset: {}", exchange.reset.as_deref().unwrap_or(""));
        }
        None => seen.push_str("no grpc-status"),
    }
    seen.trim().to_owned()
}

/// The gRPC code of an exchange, if it has a valid one.
fn code(exchange: &Exchange) -> Option<u32> {
    exchange
        .grpc_status()
        .and_then(Result::ok)
        .map(|status| status.code)
}

/// Whether `exchange` is the answer `expected` asks for. A good call to a sample is OK, or
/// NOT_FOUND for the made-up product.
fn answered_as(exchange: &Exchange, expected: Expected) -> bool {
    let http = exchange.status.as_u16();
    match expected {
        Expected::Code(wanted) => http == 200 && code(exchange) == Some(wanted),
        Expected::HttpAndCode(status, wanted) => http == status && code(exchange) == Some(wanted),
        Expected::Http(status) => http == status && exchange.grpc_status().is_none(),
        Expected::Served => http == 200 && matches!(code(exchange), Some(0 | 5)),
        Expected::GoAwayCalm => false,
    }
}

fn describe(expected: Expected) -> String {
    match expected {
        Expected::Code(code) => code_name(code).to_owned(),
        Expected::HttpAndCode(status, code) => format!("HTTP {status} {}", code_name(code)),
        Expected::Http(status) => format!("HTTP {status}"),
        Expected::Served => "served".to_owned(),
        Expected::GoAwayCalm => "GOAWAY ENHANCE_YOUR_CALM".to_owned(),
    }
}

/// What `server` owes `case`: what the case says, but for one server.
///
/// `ch06-server`'s role table (basic, token and JWT) refuses any method it does not list with
/// PERMISSION_DENIED before the router sees the call, as grpc-go's authorization policies
/// deny what no rule allows: a caller learns nothing of which methods exist from it.
fn expected_of(server: &Target, case: &Case) -> Expected {
    if refuses_unlisted_methods(server) && case.name == "unknown method" {
        Expected::Code(7)
    } else {
        case.expected
    }
}

/// Whether the server is `ch06-server` with a role table in front (its mechanisms that
/// name a caller: basic, token, JWT).
fn refuses_unlisted_methods(server: &Target) -> bool {
    server.sample.binary == "ch06-server" && !server.sample.headers.is_empty()
}

/// Sends every case and the random bodies to `sample`; the table rows and the failures.
async fn attack(sample: Sample) -> (Vec<String>, Vec<String>) {
    let server = Target::start(sample).await;
    let name = server.name();
    let channel = server.raw_channel().await;
    server.still_serves().await;
    let rss_before = proc::rss(server.pid());

    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for case in CASES {
        let expected = expected_of(&server, &case);
        if expected == Expected::GoAwayCalm {
            let flooded = server.raw_channel().await;
            let seen = match flooded.call(&case.request(&sample)).await {
                Err(RawError::Http2(error)) if error.is_go_away() => {
                    let reason = error.reason().map(|reason| format!("{reason:?}"));
                    format!("GOAWAY {}", reason.unwrap_or_default())
                }
                Err(error) => format!("error: {error}"),
                Ok(exchange) => self::seen(&exchange),
            };
            if seen != "GOAWAY ENHANCE_YOUR_CALM" {
                failures.push(format!("{} / {}: saw {seen}", name, case.name));
            }
            rows.push(format!(
                "| {} | {} | {} | {seen} |",
                name,
                case.name,
                describe(expected)
            ));
            continue;
        }
        let exchange = match channel.call(&case.request(&sample)).await {
            Ok(exchange) => exchange,
            Err(error) => {
                failures.push(format!("{} / {}: no answer: {error}", name, case.name));
                continue;
            }
        };
        let seen = seen(&exchange);
        if !answered_as(&exchange, expected) {
            failures.push(format!(
                "{} / {}: expected {}, saw {seen}\n{exchange}",
                name,
                case.name,
                describe(expected)
            ));
        }
        rows.push(format!(
            "| {} | {} | {} | {seen} |",
            name,
            case.name,
            describe(expected)
        ));
    }

    // Random bodies: whatever the handler makes of them (its answer, or INTERNAL for bytes
    // that are not its message), always a status, never UNKNOWN (a panic) or a reset.
    let mut random = Seeded::new(17);
    let mut codes = std::collections::BTreeMap::<&str, usize>::new();
    for index in 0..RANDOM_BODIES {
        let body = random_protobuf(&mut random, index);
        let request = sample.request(vec![wire::frame(&body)]);
        let exchange = channel.call(&request).await.expect("an answer");
        match code(&exchange) {
            Some(code @ (0 | 3 | 5 | 13)) => *codes.entry(code_name(code)).or_default() += 1,
            _ => failures.push(format!(
                "{} / random body {index} {body:02x?}: {}\n{exchange}",
                name,
                seen(&exchange)
            )),
        }
    }
    let summary: Vec<String> = codes
        .iter()
        .map(|(code, n)| format!("{n} {code}"))
        .collect();
    rows.push(format!(
        "| {} | {RANDOM_BODIES} seeded random protobuf bodies | a status, never UNKNOWN | {} |",
        name,
        summary.join(", ")
    ));

    server.still_serves().await;
    let rss_after = proc::rss(server.pid());
    rows.push(format!(
        "| {} | RSS before / after | within {} MiB | {:.1} / {:.1} MiB |",
        name,
        RSS_SLACK >> 20,
        mib(rss_before),
        mib(rss_after)
    ));
    if rss_after > rss_before + RSS_SLACK {
        failures.push(format!(
            "{}: RSS grew from {:.1} to {:.1} MiB",
            name,
            mib(rss_before),
            mib(rss_after)
        ));
    }
    drop(channel);
    server.stop().await;
    (rows, failures)
}

#[allow(clippy::cast_precision_loss)]
fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[tokio::test]
async fn every_server_answers_every_hostile_request_and_keeps_serving() {
    let mut table = vec![
        "| Server | Case | Expected | Seen |".to_owned(),
        "|---|---|---|---|".to_owned(),
    ];
    let mut failures = Vec::new();
    for sample in Target::all() {
        let (rows, failed) = attack(sample).await;
        table.extend(rows);
        failures.extend(failed);
    }
    println!("{}", table.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Chapter 4's malformed requests (`ch04-raw-client --malformed <case>`, written for
/// `ch02-server`), sent to every server: its own method in place of `getProduct` (every
/// sample's request is a message whose field 1 is a string, so the bytes still fit), with its
/// credentials. Each server answers what ch04 says the spec calls for.
#[tokio::test]
async fn chapter_4s_malformed_requests_get_the_specs_answer_from_every_server() {
    use ch04_internals::malformed::Malformed;

    let mut failures = Vec::new();
    for sample in Target::all() {
        let server = Target::start(sample).await;
        let channel = server.raw_channel().await;
        for case in Malformed::ALL {
            let mut request = case.request();
            if case != Malformed::WrongPath {
                request.path = sample.path.to_owned();
            }
            request
                .headers
                .extend(sample.headers.iter().map(|&(name, value)| {
                    (
                        http::HeaderName::from_static(name),
                        http::HeaderValue::from_static(value),
                    )
                }));
            let expected = case.expected();
            // A method that is not in ch06's role table is refused before routing (see
            // `expected_of`): `GetProduct` is not `getProduct`.
            let expected_code = if case == Malformed::WrongPath && refuses_unlisted_methods(&server)
            {
                7
            } else {
                expected.code
            };
            let exchange = channel.call(&request).await.expect("an answer");
            if exchange.status.as_u16() != expected.http || code(&exchange) != Some(expected_code) {
                failures.push(format!(
                    "{} / {case:?}: expected {expected}, saw {}\n{exchange}",
                    server.name(),
                    seen(&exchange)
                ));
            }
        }
        server.still_serves().await;
        server.stop().await;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
