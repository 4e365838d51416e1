//! `ch04-spy` as a reader runs it: chapter 2's server behind it, real tonic calls through it,
//! and the frames it prints checked line by line, as text and as JSON.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use book_proto::ecommerce::ProductId;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch02_productinfo::client::book_product;
use common::args::ClientAddr;
use common::local::LocalServer;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tonic::Code;

/// How long the spy may take to print what a test waits for.
const PRINT_WAIT: Duration = Duration::from_secs(20);

/// The spy binary, its address, and everything it has printed so far.
struct Spy {
    _child: Child,
    addr: String,
    printed: Arc<Mutex<String>>,
}

impl Spy {
    async fn start(upstream: &str, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ch04-spy"))
            .args(["--listen", "127.0.0.1:0", "--upstream", upstream])
            .args(extra)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start ch04-spy");
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let mut log = BufReader::new(stderr).lines();
        let addr = tokio::time::timeout(PRINT_WAIT, async {
            loop {
                let line = log
                    .next_line()
                    .await
                    .expect("read the spy's log")
                    .expect("the spy logs its start line");
                if let Some((_, addr)) = line.split_once("Server started, listening on ") {
                    return addr.to_owned();
                }
            }
        })
        .await
        .expect("the spy starts in time");
        tokio::spawn(async move { while let Ok(Some(_)) = log.next_line().await {} });
        let printed = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&printed);
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let mut printed = sink.lock().expect("the printed text");
                printed.push_str(&line);
                printed.push('\n');
            }
        });
        Self {
            _child: child,
            addr,
            printed,
        }
    }

    fn client(&self) -> ProductInfoClient<common::channel::Channel> {
        let addr = ClientAddr {
            addr: self.addr.clone(),
        };
        ProductInfoClient::new(addr.channel().expect("the spy's address is valid"))
    }

    /// Waits until the spy has printed `needle`, and returns everything printed.
    async fn wait_for(&self, needle: &str) -> String {
        let deadline = tokio::time::Instant::now() + PRINT_WAIT;
        loop {
            let printed = self.printed.lock().expect("the printed text").clone();
            if printed.contains(needle) {
                return printed;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the spy never printed {needle:?}; it printed:\n{printed}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn ch02_server() -> LocalServer<tonic::transport::Error> {
    LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
        .await
        .expect("bind a loopback port")
}

#[tokio::test]
async fn the_spy_prints_every_frame_of_the_book_calls() {
    let server = ch02_server().await;
    let spy = Spy::start(&server.addr().to_string(), &[]).await;
    let mut client = spy.client();

    let id = client
        .add_product(book_product())
        .await
        .expect("addProduct through the spy")
        .into_inner();
    let missing = client
        .get_product(ProductId {
            value: "no-such-product".into(),
        })
        .await
        .expect_err("an unknown id is NOT_FOUND");
    assert_eq!(
        missing.code(),
        Code::NotFound,
        "the spy passes the status on"
    );
    assert!(!id.value.is_empty());

    let printed = spy.wait_for("grpc-status: 5 (NOT_FOUND)").await;
    for expected in [
        "→ PREFACE PRI * HTTP/2.0 (client preface)",
        "→ SETTINGS stream 0",
        "← SETTINGS stream 0",
        "→ HEADERS stream 1 END_HEADERS",
        "[request headers]",
        ":path: /ecommerce.ProductInfo/addProduct",
        "content-type: application/grpc",
        "→ DATA stream 1",
        "= prefix 00 00 00 00 68: flag 0, 104 bytes: Product { id: \"\", name: \"Apple iPhone 11\"",
        "[response headers]",
        ":status: 200",
        &format!("ProductID {{ value: \"{}\" }}", id.value),
        "[trailers]",
        "grpc-status: 0 (OK)",
        ":path: /ecommerce.ProductInfo/getProduct",
        "ProductID { value: \"no-such-product\" }",
        "[Trailers-Only]",
        "grpc-status: 5 (NOT_FOUND)",
    ] {
        assert!(
            printed.contains(expected),
            "missing {expected:?} in:\n{printed}"
        );
    }
    assert!(
        !printed.contains("unreadable"),
        "every frame reads:\n{printed}"
    );
    assert!(!printed.contains('\x1b'), "no colour when NO_COLOR is set");
}

#[tokio::test]
async fn json_mode_prints_one_object_per_frame() {
    let server = ch02_server().await;
    let spy = Spy::start(&server.addr().to_string(), &["--json"]).await;
    let mut client = spy.client();
    client
        .add_product(book_product())
        .await
        .expect("addProduct through the spy");

    let printed = spy.wait_for("\"grpc-status\",\"0\"").await;
    let frames: Vec<serde_json::Value> = printed
        .lines()
        .map(|line| serde_json::from_str(line).expect("every line is a JSON object"))
        .collect();
    assert_eq!(frames[0]["type"], "PREFACE");
    assert_eq!(frames[0]["from"], "client");
    let request = frames
        .iter()
        .find(|frame| frame["role"] == "request headers")
        .expect("the request headers");
    assert!(
        request["headers"]
            .as_array()
            .expect("headers are a list")
            .iter()
            .any(|pair| pair[0] == ":path" && pair[1] == "/ecommerce.ProductInfo/addProduct"),
        "{request}"
    );
    let data = frames
        .iter()
        .find(|frame| frame["type"] == "DATA" && frame["from"] == "client")
        .expect("the request DATA");
    let message = &data["messages"][0];
    assert_eq!(message["prefix"], "00 00 00 00 68");
    assert_eq!(message["length"], 104);
    assert!(
        message["decoded"]
            .as_str()
            .expect("decoded is text")
            .contains("name: \"Apple iPhone 11\""),
        "{message}"
    );
}
