//! The runner driven as a student and a teacher drive it, on a miniature checkout
//! (`fixture/`) whose checks run with a real `cargo test`.

mod fixture;

use fixture::{
    ANSWER_SKELETON, ANSWER_SOLVED, Checkout, GREETING_SKELETON, GREETING_SOLVED, Session,
};

const ANSWER: &str = "exercises/ch02/01-answer/skeleton.rs";
const GREETING: &str = "exercises/ch03/01-greeting/skeleton.rs";

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn watch_shows_the_failure_gives_a_hint_and_moves_on_when_the_file_is_saved_solved() {
    let checkout = Checkout::new();
    let mut learn = Session::start(checkout.learn(&[]));

    learn.wait_for("━━ ch02/01 답 구하기 · The answer (1/2) ━━");
    learn.wait_for("edit: exercises/ch02/01-answer/skeleton.rs");
    learn.wait_for("✗ ch02/01 실패 · 1 of 2 checks fail. The first, the_answer_is_42:");
    learn.wait_for("sent:      answer()");
    learn.wait_for("expected:  42");
    learn.wait_for("came back: 0");

    learn.type_line("h");
    learn.wait_for("힌트 · hint 1 of 2:");
    learn.wait_for("The answer is a number. 답은 숫자입니다.");

    checkout.save(ANSWER, ANSWER_SOLVED);
    learn.wait_for("✓ ch02/01 통과 · passes: all 2 checks");
    learn.wait_for("━━ ch03/01 인사하기 · A greeting (2/2) ━━");
    learn.wait_for("came back: \"\"");

    checkout.save(GREETING, GREETING_SOLVED);
    learn.wait_for("✓ ch03/01 통과 · passes: all 1 checks");
    learn.wait_for("모든 연습 문제를 끝냈습니다 · every exercise is done");
    assert_eq!(learn.wait_for_exit(), Some(0), "{}", learn.transcript());

    let progress = checkout.read("exercises/progress.json");
    let progress: serde_json::Value = serde_json::from_str(&progress).expect("JSON");
    let answer = &progress["exercises"]["ch02/01-answer"];
    assert_eq!(answer["done"], true, "{progress}");
    assert_eq!(answer["hints"], 1, "{progress}");
    assert_eq!(
        answer["checks"], 2,
        "one failing run, one passing: {progress}"
    );
    assert_eq!(progress["exercises"]["ch03/01-greeting"]["done"], true);
}

#[test]
fn watch_says_when_the_code_does_not_build_and_quits_on_q() {
    let checkout = Checkout::new();
    checkout.save(ANSWER, "pub fn answer() -> u32 {\n    \"forty-two\"\n}\n");
    let mut learn = Session::start(checkout.learn(&["watch"]));
    learn.wait_for("✗ 빌드 실패 · the exercises do not build:");
    learn.wait_for("error[E0308]: mismatched types");
    learn.type_line("q");
    assert_eq!(learn.wait_for_exit(), Some(0), "{}", learn.transcript());
}

#[test]
fn verify_exits_1_until_all_pass_then_0_and_2_when_nothing_builds() {
    let checkout = Checkout::new();
    let first = checkout.run(&["verify"]);
    assert_eq!(first.status.code(), Some(1), "{}", stdout(&first));
    assert!(stdout(&first).contains("✗ ch02/01 답 구하기 · The answer  (1 of 2 checks fail)"));
    assert!(stdout(&first).contains("0/2 완료 · 0 of 2 done"));

    checkout.save(ANSWER, ANSWER_SOLVED);
    let half = checkout.run(&["verify"]);
    assert_eq!(half.status.code(), Some(1), "{}", stdout(&half));
    assert!(stdout(&half).contains("✓ ch02/01 답 구하기 · The answer  (2 checks)"));
    assert!(stdout(&half).contains("1/2 완료"));

    checkout.save(GREETING, GREETING_SOLVED);
    let all = checkout.run(&["verify"]);
    assert_eq!(all.status.code(), Some(0), "{}", stdout(&all));
    assert!(stdout(&all).contains("2/2 완료 · 2 of 2 done"));

    checkout.save(GREETING, "pub fn greeting(");
    let broken = checkout.run(&["verify"]);
    assert_eq!(broken.status.code(), Some(2), "{}", stdout(&broken));
    assert!(stdout(&broken).contains("the exercises do not build"));
}

#[test]
fn list_shows_book_order_and_what_is_done() {
    let checkout = Checkout::new();
    checkout.save(ANSWER, ANSWER_SOLVED);
    assert_eq!(checkout.run(&["verify"]).status.code(), Some(1));
    let list = stdout(&checkout.run(&["list"]));
    let expected = "2장 「gRPC 시작」 (Getting Started with gRPC)\n  ✓  1  ch02/01 답 구하기 · The answer\n\n3장 「gRPC 통신 패턴」 (gRPC Communication Patterns)\n  ·  2  ch03/01 인사하기 · A greeting\n\n1/2 완료 · 1 of 2 done";
    assert!(list.contains(expected), "{list}");
}

#[test]
fn hints_come_one_at_a_time_then_point_to_the_solution() {
    let checkout = Checkout::new();
    let first = stdout(&checkout.run(&["hint"]));
    assert!(
        first.contains("hint 1 of 2") && first.contains("답은 숫자입니다."),
        "{first}"
    );
    let second = stdout(&checkout.run(&["hint", "1"]));
    assert!(
        second.contains("hint 2 of 2") && second.contains("마흔둘입니다."),
        "{second}"
    );
    let third = stdout(&checkout.run(&["hint", "ch02/01"]));
    assert!(third.contains("that was every hint"), "{third}");
    let other = stdout(&checkout.run(&["hint", "greeting"]));
    assert!(other.contains("ch03/01 힌트 · hint 1 of 1"), "{other}");
}

#[test]
fn reset_puts_the_skeleton_back_and_keeps_the_students_version() {
    let checkout = Checkout::new();
    checkout.save(ANSWER, ANSWER_SOLVED);
    let reset = checkout.run(&["reset", "1"]);
    assert!(reset.status.success(), "{}", stdout(&reset));
    assert_eq!(checkout.read(ANSWER), ANSWER_SKELETON);
    assert_eq!(
        checkout.read("exercises/ch02/01-answer/skeleton.rs.before-reset"),
        ANSWER_SOLVED
    );
    let again = stdout(&checkout.run(&["reset", "ch03/01-greeting"]));
    assert!(again.contains("is the skeleton already"), "{again}");
    assert_eq!(checkout.read(GREETING), GREETING_SKELETON);
    let unknown = checkout.run(&["reset", "9"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("there is no exercise 9"));
}

#[test]
fn reports_merge_into_a_class_table() {
    let checkout = Checkout::new();
    let reports = tempfile::tempdir().expect("a folder for the reports");
    let kim = reports.path().join("kim.json");
    let lee = reports.path().join("lee.json");
    let park = reports.path().join("park.json");

    let written = checkout.run(&["report", "--out", path(&kim), "--student", "김민지"]);
    assert!(written.status.success(), "{}", stdout(&written));
    assert!(stdout(&written).contains("김민지, 0/2 완료 · done"));
    checkout.save(ANSWER, ANSWER_SOLVED);
    checkout.run(&["hint"]);
    checkout.run(&["report", "--out", path(&lee), "--student", "lee"]);
    checkout.save(GREETING, GREETING_SOLVED);
    checkout.run(&["report", "--out", path(&park), "--student", "park"]);

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&lee).expect("lee's report")).expect("JSON");
    assert_eq!(report["student"], "lee");
    assert_eq!(report["exercises"][0]["id"], "ch02/01-answer");
    assert_eq!(report["exercises"][0]["done"], true);
    assert_eq!(report["exercises"][1]["done"], false);

    let merged = checkout.run(&["report", "--merge", path(&kim), path(&lee), path(&park)]);
    assert!(merged.status.success());
    let table = stdout(&merged);
    for row in [
        "반 진행 상황 · Class report: 3 students, 2 exercises",
        "김민지   0/2     ░░░░░░░░░░░░░░░░░░░░  ch02/01-answer",
        "lee      1/2     ██████████░░░░░░░░░░  ch03/01-greeting",
        "park     2/2     ████████████████████  — all done",
        "ch02/01-answer    2/3     1           ",
        "Most students are stuck on 2 exercises, 1 of 3 on each: ch02/01-answer, ch03/01-greeting",
    ] {
        assert!(table.contains(row), "no {row:?} in\n{table}");
    }
}

fn path(path: &std::path::Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}
