//! What the runner prints: an exercise's introduction, a check's outcome, a hint, the list.
//!
//! Plain lines on standard output, so the runner reads the same in a terminal, a pipe and a
//! test; the moving parts (spinners, bars) are `indicatif`'s, on standard error, and only in a
//! terminal.

use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::catalogue::{Catalogue, Exercise};
use crate::check::Outcome;
use crate::progress::Progress;

/// The exercise the student works on: title, chapter, the task to read, the file to edit.
pub fn introduce(catalogue: &Catalogue, exercise: &Exercise) {
    let number = catalogue.number_of(exercise);
    println!();
    println!(
        "━━ {} ({number}/{}) ━━",
        exercise.headline(),
        catalogue.exercises.len()
    );
    println!("{}장 {}", exercise.chapter, exercise.chapter_title);
    println!(
        "과제 · task: {}",
        relative(&catalogue.root, &exercise.folder.join("README.md"))
    );
    for file in exercise.student_files() {
        println!("고칠 파일 · edit: {}", relative(&catalogue.root, &file));
    }
}

/// A check's outcome, for the exercise it checked.
pub fn outcome(exercise: &Exercise, outcome: &Outcome) {
    match outcome {
        Outcome::Passed { checks } => {
            println!("✓ {} 통과 · passes: all {checks} checks", exercise.short);
        }
        Outcome::Failed {
            failed,
            checks,
            test,
            message,
        } => {
            println!(
                "✗ {} 실패 · {failed} of {checks} checks fail. The first, {test}:",
                exercise.short
            );
            for line in message.lines() {
                println!("    {line}");
            }
        }
        Outcome::DoesNotBuild { error } => {
            println!("✗ 빌드 실패 · the exercises do not build:");
            for line in error.lines() {
                println!("    {line}");
            }
        }
        Outcome::TimedOut { after } => {
            println!(
                "✗ {} 시간 초과 · the checks did not end within {} s: does a call never answer?",
                exercise.short,
                after.as_secs()
            );
        }
        Outcome::Cancelled => {}
    }
}

/// Hint `index` (from 0) of the exercise, or a word that there are no more.
pub fn hint(exercise: &Exercise, index: usize) {
    match exercise.hints.get(index) {
        Some(text) => {
            println!(
                "💡 {} 힌트 · hint {} of {}:",
                exercise.short,
                index + 1,
                exercise.hints.len()
            );
            for line in text.lines() {
                println!("    {line}");
            }
        }
        None => println!(
            "{} 힌트를 모두 봤습니다 · that was every hint; the reference solution is {}",
            exercise.short,
            exercise.folder.join("solution.rs").display()
        ),
    }
}

/// Every exercise in book order, chapter by chapter, with ✓ for the done ones.
pub fn list(catalogue: &Catalogue, progress: &Progress) {
    let mut chapter = 0;
    for (index, exercise) in catalogue.exercises.iter().enumerate() {
        if exercise.chapter != chapter {
            chapter = exercise.chapter;
            println!();
            println!("{chapter}장 {}", exercise.chapter_title);
        }
        let mark = if progress.is_done(&exercise.id) {
            "✓"
        } else {
            "·"
        };
        println!("  {mark} {:>2}  {}", index + 1, exercise.headline());
    }
    println!();
    println!("{}", done_line(catalogue, progress));
}

/// `12 of 28 done · 12/28 완료`.
pub fn done_line(catalogue: &Catalogue, progress: &Progress) -> String {
    let done = done_count(catalogue, progress);
    let total = catalogue.exercises.len();
    format!("{done}/{total} 완료 · {done} of {total} done")
}

/// How many of the catalogue's exercises are done.
pub fn done_count(catalogue: &Catalogue, progress: &Progress) -> usize {
    catalogue
        .exercises
        .iter()
        .filter(|exercise| progress.is_done(&exercise.id))
        .count()
}

/// The class's progress as a bar in the terminal (nothing when not in one).
pub fn progress_bar(catalogue: &Catalogue, progress: &Progress) {
    let bar = ProgressBar::new(catalogue.exercises.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40.green/white} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_position(done_count(catalogue, progress) as u64);
    bar.abandon_with_message("완료 · done");
}

/// A spinner on standard error while a check runs, cleared when it ends.
pub fn spinner(message: String) -> ProgressBar {
    let spinner = ProgressBar::new_spinner().with_message(message);
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}

/// `path` from the checkout's top, as a student would type it.
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
