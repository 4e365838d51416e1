//! Flow control: a client that stops reading stops the server's producer once the windows
//! and the buffers in between are full, no further; it resumes when the client reads on, and
//! every order arrives, in order. A larger window lets the producer get further.

use book_proto::ecommerce::Order;
use ch03_patterns::client::Client;
use ch05_advanced::flow_control::{
    CHANNEL_CAPACITY, Producer, QUERY, Windows, catalogue, endpoint, max_ahead, message_bytes,
    slow_reader,
};
use common::local::LocalServer;
use std::time::Duration;
use test_support::process::ServerProcess;
use tokio::sync::oneshot;

/// The orders the server streams: about 1.5 MiB, more than any window here plus the buffers.
const ORDERS: usize = 1500;

/// How many orders the client reads before it pauses.
const READ_FIRST: usize = 50;

/// How long a test waits for the producer to stall or to finish.
const WAIT: Duration = Duration::from_secs(20);

/// The size of every order of the catalogue in the stream.
fn order_bytes() -> usize {
    let order: Order = catalogue(1).get("100000").expect("the first order");
    message_bytes(&order)
}

/// What one slow read showed.
struct SlowRead {
    /// How far the producer got beyond what the client had read when it stalled, in bytes.
    ahead: usize,
    /// The ids the client read.
    ids: Vec<String>,
    /// What the client printed.
    lines: Vec<String>,
}

/// Streams the catalogue to a client advertising `windows` that reads [`READ_FIRST`] orders,
/// then pauses until the producer has stalled with the client's window full, then reads on.
async fn slow_read(windows: Windows) -> SlowRead {
    let producer = Producer::new(CHANNEL_CAPACITY);
    let mut progress = producer.progress();
    let server = LocalServer::start(move |listener, shutdown| {
        ch05_advanced::flow_control::serve(
            listener,
            catalogue(ORDERS),
            producer,
            windows,
            shutdown.wait(),
        )
    })
    .await
    .expect("bind a loopback port");
    let channel = common::channel::guard(
        endpoint(&server.addr().to_string(), windows)
            .expect("a valid address")
            .connect_lazy(),
    );

    let (resume, paused) = oneshot::channel::<()>();
    let reader = tokio::spawn(async move {
        let mut lines = Vec::new();
        let pause = async {
            let _ = paused.await;
        };
        let ids = slow_reader(
            &mut Client::new(channel),
            QUERY,
            READ_FIRST,
            pause,
            |line| lines.push(line),
        )
        .await;
        (ids, lines)
    });

    // The producer cannot stall for good before the client's window is full: until then h2
    // has room, and tonic keeps taking orders from the channel. (h2 gives window back when
    // half of it has been read, so "full" is at least half a window beyond what was read.)
    let read = READ_FIRST * order_bytes();
    let window = windows.stream.min(windows.connection) as usize;
    let stalled = *tokio::time::timeout(
        WAIT,
        progress.wait_for(|p| p.stalled && p.bytes >= read + window / 2),
    )
    .await
    .expect("the producer stalls while the client pauses")
    .expect("the producer's progress");
    let ahead = stalled.bytes - read;
    let bound = max_ahead(windows, CHANNEL_CAPACITY, order_bytes());
    assert!(
        ahead <= bound,
        "the producer got {ahead} bytes ahead of the reader; at most {bound} fit in {windows:?}, \
         the channel and the buffers"
    );

    resume.send(()).expect("the reader is paused");
    let (ids, lines) = tokio::time::timeout(WAIT, reader)
        .await
        .expect("the reader finishes")
        .expect("the reader task");
    let ids = ids.expect("the whole stream arrives");
    let finished = *tokio::time::timeout(WAIT, progress.wait_for(|p| p.finished))
        .await
        .expect("the producer finishes")
        .expect("the producer's progress");
    assert_eq!(finished.sent, ORDERS);
    server.stop().await.expect("clean stop");
    SlowRead { ahead, ids, lines }
}

#[tokio::test]
async fn a_paused_reader_stalls_the_producer_which_resumes_and_sends_everything_in_order() {
    let read = slow_read(Windows {
        stream: 64 * 1024,
        connection: 1024 * 1024,
    })
    .await;
    let expected: Vec<String> = (0..ORDERS).map(|n| (100_000 + n).to_string()).collect();
    assert_eq!(read.ids, expected);
    assert_eq!(
        read.lines[0],
        "read 50 orders (51 KiB); pausing (a slow reader)…"
    );
    assert!(
        read.lines[1].starts_with("reading on after "),
        "{:?}",
        read.lines
    );
    assert_eq!(
        read.lines.last().map(String::as_str),
        Some("read 1500 orders (1.5 MiB), all in order")
    );
}

#[tokio::test]
async fn a_larger_window_lets_the_producer_get_further_before_it_stalls() {
    let mut aheads = Vec::new();
    for stream in [64 * 1024, 256 * 1024, 512 * 1024] {
        let read = slow_read(Windows {
            stream,
            connection: 1024 * 1024,
        })
        .await;
        assert_eq!(read.ids.len(), ORDERS);
        aheads.push(read.ahead);
    }
    assert!(
        aheads.is_sorted_by(|smaller, larger| smaller < larger),
        "bytes ahead of the reader for windows of 64, 256 and 512 KiB: {aheads:?}"
    );
}

#[tokio::test]
async fn the_binaries_show_the_windows_the_stall_and_the_resume() {
    let mut server = ServerProcess::spawn_with_env(
        env!("CARGO_BIN_EXE_ch05-flowcontrol-server"),
        ["--orders", "1500"],
        [("RUST_LOG", "info,ch03_patterns::search=warn")],
    )
    .await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_ch05-flowcontrol-client"))
        .args(["--addr", server.addr(), "--pause-ms", "500"])
        .output()
        .await
        .expect("run the client");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "HTTP/2 flow control: stream window 64 KiB, connection window 1.0 MiB, adaptive \
             window (BDP probing) off",
            "read 100 orders (103 KiB); pausing (a slow reader)…",
        ],
        "{stdout}"
    );
    assert!(
        lines[2].starts_with("reading on after ") && lines[2].ends_with(" s"),
        "{stdout}"
    );
    assert_eq!(
        lines[3..],
        [
            "read 1000 orders (1.0 MiB)",
            "read 1500 orders (1.5 MiB), all in order"
        ],
        "{stdout}"
    );

    let mut logged = server.lines_before_start().to_vec();
    while !logged.iter().any(|line| line.contains("the sends waited")) {
        logged.push(server.next_line().await);
    }
    let messages: Vec<&str> = logged
        .iter()
        .filter_map(|line| line.split_once("INFO ").map(|(_, message)| message))
        .collect();
    assert!(
        messages.contains(
            &"HTTP/2 flow control: stream window 64 KiB, connection window 1.0 MiB, adaptive \
              window (BDP probing) off; 16 orders wait in the channel to tonic"
        ),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|message| message.ends_with(" before the window closed; waiting…")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|message| message.starts_with("resumed after ")
                && message.ends_with(" s when the client read")),
        "{messages:#?}"
    );
    assert!(
        messages.last().is_some_and(
            |message| message.starts_with("sent 1500 orders (1.5 MiB); the sends waited ")
        ),
        "{messages:#?}"
    );
    assert!(server.terminate().await.success());
}
