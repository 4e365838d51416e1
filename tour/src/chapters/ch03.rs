//! Chapter 3: the four communication patterns on OrderManagement.

use anyhow::{Context, ensure};
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::OrderStore;
use ch03_patterns::client::book_flow;
use common::local::LocalServer;

use crate::transcript::Transcript;

pub async fn run(transcript: &mut Transcript) -> anyhow::Result<()> {
    transcript.say(
        "The book's OrderManagement service has one method per pattern: addOrder and getOrder \
         (simple RPC), searchOrders (server streaming), updateOrders (client streaming) and \
         processOrders (bidirectional streaming). Its server starts with orders 102 to 106.",
    );
    let server = LocalServer::start(|listener, shutdown| {
        ch03_patterns::serve(listener, OrderStore::book(), shutdown.wait())
    })
    .await
    .context("start the OrderManagement server")?;
    transcript.say(&format!("ch03-server is listening on {}.", server.addr()));

    transcript.say(
        "ch03-client: add 101, get 106, search \"Google\", update 102 to 104, then process \
         102, 103, 104 and, once their shipments are back, 101:",
    );
    let mut client = OrderManagementClient::new(server.channel());
    let mut lines = Vec::new();
    book_flow(&mut client, |line| lines.push(line)).await?;
    transcript.output(&lines.join("\n"));

    let shipments: Vec<&str> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("Combined shipment : "))
        .collect();
    ensure!(
        shipments
            == [
                "cmb - Mountain View, CA -> [102, 104]",
                "cmb - San Jose, CA -> [103]",
                "cmb - San Jose, CA -> [101]",
            ],
        "processOrders shipped {shipments:?}"
    );
    transcript.say(
        "The first two shipments came back after three orders, while the client still held \
         101: the two streams of a bidirectional call are independent. Every batch is exactly \
         three orders (the book's Go server ships after 3, then every 4).",
    );

    server.stop().await.context("stop the server")?;
    transcript.say("The server stopped gracefully.");
    Ok(())
}
