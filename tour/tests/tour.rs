//! The tour binary, run as a reader runs it.

use std::process::Output;

use tokio::process::Command;

async fn tour(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tour"))
        .args(args)
        .output()
        .await
        .expect("run the tour")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

#[tokio::test]
async fn the_whole_tour_runs_every_chapter_and_succeeds() {
    let output = tour(&[]).await;
    assert!(output.status.success(), "{output:?}");
    let transcript = stdout(&output);
    for heading in [
        "== ch02 · gRPC 시작 (Getting Started with gRPC) ==",
        "== ch03 · gRPC 통신 패턴 (gRPC Communication Patterns) ==",
    ] {
        assert!(transcript.contains(heading), "{heading} in {transcript}");
    }
    assert!(
        !transcript.contains("!! "),
        "no chapter failed: {transcript}"
    );
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
        transcript.ends_with("The server stopped gracefully.\n"),
        "{transcript}"
    );
}

#[tokio::test]
async fn list_names_every_chapter() {
    let output = tour(&["--list"]).await;
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        "ch02  gRPC 시작 (Getting Started with gRPC)\n\
         ch03  gRPC 통신 패턴 (gRPC Communication Patterns)\n"
    );
}

#[tokio::test]
async fn an_unknown_chapter_is_a_usage_error() {
    let output = tour(&["ch99"]).await;
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("No chapter \"ch99\" in the tour; it has ch02, ch03."),
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
