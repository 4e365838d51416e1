//! Clients that vanish in the middle of a stream, 200 times per server and per kind of
//! stream: every server that serves chapter 3's `OrderManagement` must end each abandoned
//! `searchOrders` and `processOrders` (its log says it stopped), and give back
//! every file descriptor and thread it had before.
//!
//! A killed client process looks to the server like a connection that ends without a word:
//! a FIN if the process had read everything, a TCP reset if the kernel still held bytes for
//! it. Half the clients here leave each way. Each has opened the stream and received the
//! server's response headers (the handler is running) before it goes.

use std::time::Duration;

use book_proto::ecommerce::Order;
use prost::Message;
use robustness::frames::{Frame, flag, kind};
use robustness::proc;
use robustness::servers::{Sample, grpc_code, string_field};
use robustness::target::Target;
use wire::frame;

/// SETTINGS_INITIAL_WINDOW_SIZE: 0 keeps the server's answers from finishing before the
/// client goes.
const SETTINGS_INITIAL_WINDOW_SIZE: u16 = 0x4;

/// How many clients vanish per server and per method.
const KILLS: usize = 200;

/// How long the server may take to close the descriptors of the connections that went.
const SETTLE: Duration = Duration::from_secs(5);

/// Orders added so that a search has more to send than tonic encodes ahead (32 KiB) while
/// flow control holds it back: a search of the book's five orders ends before the client goes.
const ORDERS_TO_FIND: usize = 5;

/// Adds [`ORDERS_TO_FIND`] orders of a Google Pixel, 20 KB each, with the sample's
/// credentials, all at once and with no deadline: chapter 5's deadline server takes five
/// seconds over each.
async fn fill_store(server: &Target) {
    let channel = server.raw_channel().await;
    let calls = (0..ORDERS_TO_FIND).map(|index| {
        let order = Order {
            id: format!("pixel-{index}"),
            items: vec!["Google Pixel 3A".into()],
            description: "a large order for the robustness suite ".repeat(500),
            price: 400.0,
            destination: "Mountain View, CA".into(),
        };
        let message = frame(&order.encode_to_vec());
        let mut request = server.sample.request(vec![message]);
        request.path = "/ecommerce.OrderManagement/addOrder".into();
        request.headers.retain(|(name, _)| name != "grpc-timeout");
        let channel = channel.clone();
        async move { channel.call(&request).await.expect("addOrder") }
    });
    for exchange in futures::future::join_all(calls).await {
        assert_eq!(
            grpc_code(&exchange),
            0,
            "{}: addOrder\n{exchange}",
            server.name()
        );
    }
}

/// The two streaming calls, each as the frames a client sends before it is killed.
#[derive(Debug, Clone, Copy)]
enum Stream {
    /// `searchOrders "Google"`: one request, then the server streams.
    Search,
    /// `processOrders` with one id sent and the request stream left open.
    Process,
}

impl Stream {
    fn frames(self, sample: &Sample) -> Vec<Frame> {
        let (method, query, end_stream) = match self {
            Self::Search => ("searchOrders", "Google", flag::END_STREAM),
            Self::Process => ("processOrders", "102", 0),
        };
        let path = format!("/ecommerce.OrderManagement/{method}");
        let message = frame(&string_field(query));
        vec![
            Frame::settings(&[(SETTINGS_INITIAL_WINDOW_SIZE, 0)]),
            Frame::grpc_request(1, &path, sample.headers, false),
            Frame::new(kind::DATA, end_stream, 1, message),
        ]
    }

    fn log_line(self) -> &'static str {
        match self {
            Self::Search => "searchOrders",
            Self::Process => "processOrders",
        }
    }
}

/// Opens the stream, waits for the server's response headers, and vanishes.
async fn vanish(server: &Target, stream: Stream, reset: bool) {
    let mut connection = server.raw_connection().await;
    connection
        .send(&stream.frames(&server.sample))
        .await
        .expect("send the call");
    loop {
        let frame = connection
            .next_frame(Duration::from_secs(5))
            .await
            .expect("read")
            .unwrap_or_else(|| panic!("{}: no response headers", server.name()));
        if frame.kind == kind::HEADERS && frame.stream == 1 {
            break;
        }
    }
    if reset {
        connection.abort().expect("SO_LINGER 0");
    }
}

/// Polls until the server holds no more descriptors than `baseline`, or `SETTLE` passes;
/// the count it ends on.
async fn settled_fds(pid: u32, baseline: usize) -> usize {
    let deadline = tokio::time::Instant::now() + SETTLE;
    loop {
        let open = proc::open_fds(pid);
        if open <= baseline || tokio::time::Instant::now() > deadline {
            return open;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn every_order_server_ends_the_streams_of_clients_that_vanish() {
    let mut table = vec![
        "| Server | Clients killed | Handlers ended | fds before / after | threads before / after |"
            .to_owned(),
        "|---|---|---|---|---|".to_owned(),
    ];
    let order_servers =
        Target::all().filter(|sample| sample.path.starts_with("/ecommerce.OrderManagement/"));
    for sample in order_servers {
        let mut server = Target::start(sample).await;
        let name = server.name();
        let pid = server.pid();
        server.still_serves().await;
        fill_store(&server).await;
        let fds_before = proc::open_fds(pid);
        let threads_before = proc::threads(pid);

        let mut ended = 0;
        for stream in [Stream::Search, Stream::Process] {
            for index in 0..KILLS {
                vanish(&server, stream, index % 2 == 0).await;
                // The handler's own word that it stopped: its stream was dropped ("… stopped
                // after N orders: the client went away"), or it read the broken connection
                // from the request stream ("processOrders stopped: h2 protocol error: …").
                let mut seen = Vec::new();
                let stopped = tokio::time::timeout(SETTLE, async {
                    loop {
                        let line = server.process.next_line().await;
                        if line.contains(stream.log_line()) && line.contains("stopped") {
                            break;
                        }
                        seen.push(line);
                    }
                })
                .await;
                assert!(
                    stopped.is_ok(),
                    "{}: {stream:?} {index} did not stop; the server logged:\n{}",
                    name,
                    seen.join("\n")
                );
                ended += 1;
            }
        }

        let fds_after = settled_fds(pid, fds_before).await;
        let threads_after = proc::threads(pid);
        table.push(format!(
            "| {} | {} | {ended} | {fds_before} / {fds_after} | {threads_before} / {threads_after} |",
            name,
            2 * KILLS
        ));
        assert_eq!(ended, 2 * KILLS, "{}", name);
        assert!(
            fds_after <= fds_before,
            "{}: {fds_before} descriptors before, {fds_after} after",
            name
        );
        assert!(
            threads_after <= threads_before,
            "{}: {threads_before} threads before, {threads_after} after",
            name
        );
        server.still_serves().await;
        server.stop().await;
    }
    println!("{}", table.join("\n"));
}
