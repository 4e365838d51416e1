//! Chapter 2: the ProductInfo server and the client that adds a product and reads it back.

use anyhow::{Context, ensure};
use book_proto::ecommerce::ProductId;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch02_productinfo::client::{FLOW_TIMEOUT, FlowError, add_then_get, book_product};
use common::deadline::Deadline;
use common::local::LocalServer;
use tonic::Code;

use crate::transcript::Transcript;

pub async fn run(transcript: &mut Transcript) -> anyhow::Result<()> {
    transcript.say(
        "The book defines ProductInfo in product_info.proto (addProduct, getProduct), runs the \
         Go server on :50051 and a client that adds \"Apple iPhone 11\" and gets it back.",
    );
    let server =
        LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
            .await
            .context("start the ProductInfo server")?;
    transcript.say(&format!("ch02-server is listening on {}.", server.addr()));

    let mut client = ProductInfoClient::new(server.channel());
    transcript.say("ch02-client: add, then get, under one 1-second deadline:");
    let flow = add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT)).await?;
    transcript.output(&flow.to_string());
    ensure!(
        flow.product.name == "Apple iPhone 11" && flow.product.id == flow.id.value,
        "getProduct answered with another product: {:?}",
        flow.product
    );

    transcript.say("The book's server answers NOT_FOUND for an id it does not know; so does ours:");
    let unknown = ProductId {
        value: "no-such-product".into(),
    };
    let status = client
        .get_product(unknown)
        .await
        .err()
        .context("getProduct of an unknown id succeeded")?;
    transcript.output(&FlowError::Get(status.clone()).to_string());
    ensure!(
        status.code() == Code::NotFound,
        "expected NOT_FOUND, got {status}"
    );

    server.stop().await.context("stop the server")?;
    transcript.say("The server stopped gracefully.");
    Ok(())
}
