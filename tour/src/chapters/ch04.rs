//! Chapter 4: one call taken apart, from protobuf bytes to HTTP/2 frames.

use anyhow::{Context, ensure};
use book_proto::ecommerce::Product;
use ch04_internals::book;
use ch04_internals::http2::book_calls::book_calls;
use ch04_internals::http2::{Exchange, RawChannel, RawRequest};
use ch04_internals::listing::explain;
use ch04_internals::malformed::Malformed;
use ch04_internals::protobuf::encode;
use common::local::LocalServer;

use crate::transcript::Transcript;

pub async fn run(transcript: &mut Transcript) -> anyhow::Result<()> {
    transcript.say(
        "The book encodes a ProductID whose value is \"15\": a tag (field 1, wire type 2), a \
         length, the UTF-8 bytes; then gRPC puts it behind a 5-byte prefix. ch04-encode:",
    );
    let id = book::product_id();
    transcript.output(&explain(&id)?);
    ensure!(
        encode(&id) == [0x0a, 0x02, 0x31, 0x35],
        "ProductID \"15\" encoded as {:02x?}",
        encode(&id)
    );

    let server =
        LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
            .await
            .context("start the ProductInfo server")?;
    transcript.say(&format!(
        "ch02-server is listening on {}. ch04-raw-client calls it with nothing but HTTP/2: \
         addProduct, getProduct of the new id, getProduct of an id that does not exist.",
        server.addr()
    ));
    let channel = RawChannel::connect(&server.addr().to_string()).await?;
    let calls = book_calls(&channel).await?;
    transcript.say("The getProduct that finds its product: HEADERS, DATA, then the trailers.");
    transcript.output(&calls.found.to_string());
    ensure!(
        code(&calls.found) == Some(0),
        "getProduct did not end with grpc-status 0:\n{}",
        calls.found
    );
    transcript.say(
        "The one that does not: the server fails before it has anything to send, so one \
         HEADERS frame carries the status and ends the stream (Trailers-Only).",
    );
    transcript.output(&calls.missing.to_string());
    ensure!(
        calls.missing.trailers_only && code(&calls.missing) == Some(5),
        "expected a Trailers-Only NOT_FOUND:\n{}",
        calls.missing
    );

    transcript.say(
        "Requests that break the wire format, each on the same connection; the server answers \
         each with the status the spec calls for:",
    );
    let mut outcomes = Vec::new();
    for case in Malformed::ALL {
        let exchange = channel.call(&case.request()).await?;
        let status = exchange
            .grpc_status()
            .context("no grpc-status")?
            .context("an invalid grpc-status")?;
        outcomes.push(format!(
            "{}\n    ⇒ HTTP {}, {status}",
            case.description(),
            exchange.status.as_u16()
        ));
        let expected = case.expected();
        ensure!(
            exchange.status == expected.http && status.code == expected.code,
            "{}: expected {expected}, got HTTP {} {status}",
            case.description(),
            exchange.status
        );
    }
    transcript.output(&outcomes.join("\n"));

    let product: Product = calls.found.response()?;
    let after = channel.call(&RawRequest::get_product(&product.id)?).await?;
    ensure!(
        code(&after) == Some(0),
        "the server stopped serving after the malformed requests:\n{after}"
    );
    transcript.say("After all that, the same connection still gets the product back: OK.");

    server.stop().await.context("stop the server")?;
    transcript.say("The server stopped gracefully.");
    Ok(())
}

/// The call's grpc-status code, if it had a valid one.
fn code(exchange: &Exchange) -> Option<u32> {
    exchange.grpc_status()?.ok().map(|status| status.code)
}
