//! The tour binary, run as a reader runs it.

use std::process::Output;

use tokio::process::Command;

/// Runs the tour with `RUST_BACKTRACE=1`, as CI does, so that a panic the tour lets through
/// shows at its loudest.
async fn tour(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tour"))
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .output()
        .await
        .expect("run the tour")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

/// No panic report from std on either stream: chapter 8's planted panic is caught by its
/// recovery layer, which logs it instead.
fn assert_no_panic_report(output: &Output) {
    let both = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for report in ["panicked at", "stack backtrace"] {
        assert!(!both.contains(report), "{report:?} in:\n{both}");
    }
}

#[tokio::test]
async fn the_whole_tour_runs_every_chapter_and_succeeds() {
    let output = tour(&[]).await;
    assert!(output.status.success(), "{output:?}");
    let transcript = stdout(&output);
    for heading in [
        "== ch02 · gRPC 시작 (Getting Started with gRPC) ==",
        "== ch03 · gRPC 통신 패턴 (gRPC Communication Patterns) ==",
        "== ch04 · gRPC: 동작 원리 (gRPC: Under the Hood) ==",
        "== ch05 · gRPC: 고급 기능 (gRPC: Beyond the Basics) ==",
        "== ch06 · 보안 적용 gRPC (Secured gRPC) ==",
        "== ch07 · 서비스 수준 gRPC 실행 (Running gRPC in Production) ==",
        "== ch08 · gRPC 생태계 (The gRPC Ecosystem) ==",
    ] {
        assert!(transcript.contains(heading), "{heading} in {transcript}");
    }
    assert!(
        !transcript.contains("!! "),
        "no chapter failed: {transcript}"
    );
    assert_no_panic_report(&output);
}

#[tokio::test]
async fn chapter_two_shows_the_books_client_output_and_not_found() {
    let output = tour(&["ch02"]).await;
    assert!(output.status.success(), "{output:?}");
    let transcript = stdout(&output);

    let added = transcript
        .lines()
        .find_map(|line| line.strip_prefix("  | Product ID: "))
        .and_then(|rest| rest.strip_suffix(" added successfully"))
        .expect("the add line");
    assert!(
        transcript.contains(&format!(
            "  | Product: id:\"{added}\" name:\"Apple iPhone 11\""
        )),
        "{transcript}"
    );
    assert!(
        transcript.contains(
            "  | Could not get product: rpc error: code = NotFound desc = Product does not exist: \
             no-such-product"
        ),
        "{transcript}"
    );
    assert!(
        transcript.contains("The server stopped gracefully.\nOpen next · 다음에 열어 볼 파일:\n"),
        "{transcript}"
    );
}

/// `tour chNN` ends with the files a reader opens next, and every one of them exists.
#[tokio::test]
async fn a_chapter_ends_by_naming_the_files_to_open_next() {
    let output = tour(&["ch05"]).await;
    assert!(output.status.success(), "{output:?}");
    let transcript = stdout(&output);
    let (_, files) = transcript
        .rsplit_once("Open next · 다음에 열어 볼 파일:\n")
        .expect("the chapter ends with what to open next");
    let files: Vec<&str> = files.lines().map(str::trim).collect();
    assert_eq!(files.first(), Some(&"ch05-advanced/README.md"), "{files:?}");
    assert_eq!(files.last(), Some(&"exercises/ch05/README.md"), "{files:?}");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for file in files {
        assert!(root.join(file).is_file(), "{file} exists");
    }
}

#[tokio::test]
async fn list_names_every_chapter() {
    let output = tour(&["--list"]).await;
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        "ch02  gRPC 시작 (Getting Started with gRPC)\n\
         ch03  gRPC 통신 패턴 (gRPC Communication Patterns)\n\
         ch04  gRPC: 동작 원리 (gRPC: Under the Hood)\n\
         ch05  gRPC: 고급 기능 (gRPC: Beyond the Basics)\n\
         ch06  보안 적용 gRPC (Secured gRPC)\n\
         ch07  서비스 수준 gRPC 실행 (Running gRPC in Production)\n\
         ch08  gRPC 생태계 (The gRPC Ecosystem)\n"
    );
}

#[tokio::test]
async fn an_unknown_chapter_is_a_usage_error() {
    let output = tour(&["ch99"]).await;
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "No chapter \"ch99\" in the tour; it has ch02, ch03, ch04, ch05, ch06, ch07, ch08."
        ),
        "{stderr}"
    );
}

#[tokio::test]
async fn chapter_three_shows_every_pattern_and_the_shipments_in_the_middle_of_the_call() {
    let output = tour(&["ch03"]).await;
    assert!(output.status.success(), "{output:?}");
    let transcript = stdout(&output);
    for line in [
        "  | AddOrder Response -> Order Added: 101",
        "  | Update Orders Res : Orders processed Updated Order IDs : 102, 103, 104",
        "  | Combined shipment : cmb - Mountain View, CA -> [102, 104]",
        "  | Combined shipment : cmb - San Jose, CA -> [101]",
    ] {
        assert!(transcript.contains(line), "{line} in {transcript}");
    }
    assert_eq!(
        transcript.matches("  | Search Result : ").count(),
        2,
        "{transcript}"
    );
}

#[tokio::test]
async fn chapter_six_secures_every_sample_and_shows_each_refusal() {
    let output = tour(&["ch06"]).await;
    assert!(output.status.success(), "{output:?}");
    let transcript = stdout(&output);
    assert_eq!(
        transcript.matches("  | Product: id:\"").count(),
        5,
        "one Samsung S10 per sample: {transcript}"
    );
    assert!(
        transcript.contains(" name:\"Samsung S10\" description:\"Samsung Galaxy S10 is the latest smart phone, launched in February 2019\" price:700"),
        "{transcript}"
    );
    for line in [
        "  | ca.crt ca.key client.crt client.key jwt-issuer.key jwt-issuer.pub server.crt server.key",
        "  | Could not add product: rpc error: code = Unauthenticated desc = invalid credentials: wrong username or password",
        "  | searchOrders: rpc error: code = Unauthenticated desc = invalid credentials: no authorization header",
        "  | searchOrders: orders 102, 104",
        "  | Could not add product: rpc error: code = Unauthenticated desc = invalid token: unknown token",
        "  | refusing to send credentials over a plaintext connection: the credentials require transport security",
        "  | Could not add product: rpc error: code = PermissionDenied desc = addProduct needs the admin role; ch06-client has the viewer role",
        "  | Could not add product: rpc error: code = Unauthenticated desc = invalid token: expired",
    ] {
        assert!(transcript.contains(line), "{line} in {transcript}");
    }
    assert_eq!(
        transcript
            .matches("The server went on serving good clients, then stopped gracefully.")
            .count(),
        5,
        "{transcript}"
    );
}

#[tokio::test]
async fn chapter_four_takes_a_call_apart_frame_by_frame() {
    let output = tour(&["ch04"]).await;
    assert!(output.status.success(), "{output:?}");
    let transcript = stdout(&output);
    for line in [
        "  |   31 35                    \"15\"",
        "  |   00 00 00 04              message length: 4 (4 bytes, big-endian)",
        "  | stream 3: POST /ecommerce.ProductInfo/getProduct",
        "  | ← HEADERS (trailers), END_STREAM",
        "  |       grpc-status: 0 (OK)",
        "  | ← HEADERS (Trailers-Only), END_STREAM",
        "  | ⇒ NOT_FOUND (5) \"Product does not exist: no-such-product\"",
        "  |     ⇒ HTTP 200, RESOURCE_EXHAUSTED (8) \"request message of 4194305 bytes is larger than the limit of 4194304 bytes\"",
        "  |     ⇒ HTTP 415, INVALID_ARGUMENT (3) \"invalid gRPC request content-type \\\"application/json\\\"\"",
        "  |     ⇒ HTTP 200, UNIMPLEMENTED (12) \"Method not found: /ecommerce.ProductInfo/GetProduct\"",
        "After all that, the same connection still gets the product back: OK.",
    ] {
        assert!(transcript.contains(line), "{line} in {transcript}");
    }
    assert_eq!(
        transcript.matches("  |     ⇒ HTTP ").count(),
        8,
        "{transcript}"
    );
}

#[tokio::test]
async fn chapter_five_shows_each_sample_and_what_its_servers_logged() {
    let output = tour(&["ch05"]).await;
    assert!(output.status.success(), "{output:?}");
    let transcript = stdout(&output);
    for line in [
        "  |  Pre Proc Message : id:\"101\",items:[\"iPhone XS\",\"Mac Book Pro\"],price:2300.0,destination:\"San Jose, CA\"",
        "  | Error Occured -> addOrder : , DeadlineExceeded: rpc error: code = DeadlineExceeded desc = deadline exceeded",
        "  | RPC has reached deadline exceeded state : order 101 was not added",
        "  | RPC Status : rpc error: code = Cancelled desc = context canceled",
        "  | processOrders stopped after 3 orders: the client went away",
        "  | Request Field Invalid: field:\"ID\" description:\"Order ID received is not valid -1 : \"",
        "  | timestamp from trailer:",
        "  | Greeting:  Hello gRPC Up and Running!",
        "  | ==== Calling grpc.examples.echo.Echo/UnaryEcho with round_robin ====",
        "pick_first sent every call to the first backend; round_robin alternated.",
        "  | Error Occured -> addOrder : , DeadlineExceeded:",
        "  | [1] fail-fast, deadline 5000 ms: wanted = Unavailable, got = Unavailable after ",
        "; failed: 0; refused before they started and made again: ",
        "  | backend: answered DeadlineExceeded after ",
        "  | read 400 orders (412 KiB), all in order",
    ] {
        assert!(transcript.contains(line), "{line} in {transcript}");
    }
}

#[tokio::test]
async fn chapter_eight_shows_reflection_health_the_gateway_and_middleware() {
    let output = tour(&["ch08"]).await;
    assert!(output.status.success(), "{output:?}");
    let transcript = stdout(&output);
    for line in [
        "  | ecommerce.ProductInfo",
        "  | grpc.reflection.v1alpha.ServerReflection",
        "  | status: SERVING  (exit code 0)",
        "  | 404 {\"code\":5,\"details\":[],\"message\":\"Product does not exist: no-such-id\"}",
        "  | name \"\": Internal the server hit an internal error",
    ] {
        assert!(transcript.contains(line), "{line} in {transcript}");
    }
    assert!(
        transcript.contains(",\"name\":\"Apple\",\"description\":\"iphone7\",\"price\":699}"),
        "{transcript}"
    );
    assert_no_panic_report(&output);
}
