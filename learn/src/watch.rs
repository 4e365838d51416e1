//! `learn watch` (and plain `learn`): the loop a student lives in.
//!
//! It shows the first exercise that is not done and checks it. Every time the student saves
//! the exercise's file it checks again, cancelling a check still running (the newer file is
//! the one that matters). When the checks pass it records the exercise as done and moves on to
//! the next. The student can type `h` for a hint, `l` for the list and `q` to stop.
//!
//! Three sources feed one channel, so the loop below reads top to bottom: the file watcher
//! (`notify`), standard input, and the checks running on their own threads.

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::catalogue::{Catalogue, Exercise};
use crate::check::{Outcome, Running};
use crate::commands::{current, next_hint};
use crate::progress::Progress;
use crate::show;

/// An editor saves in bursts (write, rename, change attributes); wait this long for quiet.
const SETTLE: Duration = Duration::from_millis(200);

enum Event {
    /// A file in the exercise's folder changed.
    Saved(Vec<PathBuf>),
    /// A line the student typed.
    Typed(String),
    /// A check ended: the number of the run, and what it found.
    Checked(u64, Result<Outcome>),
}

/// Runs the loop until every exercise is done or the student types `q`.
pub fn watch(catalogue: &Catalogue) -> Result<()> {
    let mut progress = Progress::load(&catalogue.root)?;
    let Some(first) = current(catalogue, &progress) else {
        all_done(catalogue, &progress);
        return Ok(());
    };
    let mut exercise = first.clone();
    let (events, inbox) = mpsc::channel();
    read_typing(events.clone());
    let saves = events.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_))
        {
            let _ = saves.send(Event::Saved(event.paths));
        }
    })
    .context("cannot watch files")?;
    watcher.watch(&exercise.folder, RecursiveMode::NonRecursive)?;

    show::introduce(catalogue, &exercise);
    let mut run = 0;
    let mut running = Some(start_check(catalogue, &exercise, &events, &mut run));
    let mut save_settles: Option<Instant> = None;
    loop {
        let wait = save_settles.map_or(Duration::from_secs(3600), |at| {
            at.saturating_duration_since(Instant::now())
        });
        let event = match inbox.recv_timeout(wait) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => {
                if save_settles.take().is_some() {
                    if let Some(old) = running.take() {
                        old.cancel();
                    }
                    running = Some(start_check(catalogue, &exercise, &events, &mut run));
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        match event {
            Event::Saved(paths) => {
                if paths.iter().any(|path| is_students_file(&exercise, path)) {
                    save_settles = Some(Instant::now() + SETTLE);
                }
            }
            Event::Typed(line) => match line.trim() {
                "h" | "hint" => {
                    next_hint(&mut progress, &exercise);
                    progress.save(&catalogue.root)?;
                }
                "l" | "list" => show::list(catalogue, &progress),
                "q" | "quit" => {
                    if let Some(old) = running.take() {
                        old.cancel();
                    }
                    println!("다음에 또 · see you: `cargo run --bin learn` picks up here");
                    return Ok(());
                }
                "" => {}
                _ => keys(),
            },
            Event::Checked(number, outcome) if number == run => {
                running = None;
                let outcome = outcome?;
                show::outcome(&exercise, &outcome);
                progress.note_check(&exercise.id, outcome.passed());
                progress.save(&catalogue.root)?;
                if !outcome.passed() {
                    keys();
                    continue;
                }
                show::progress_bar(catalogue, &progress);
                let Some(next) = current(catalogue, &progress) else {
                    all_done(catalogue, &progress);
                    return Ok(());
                };
                watcher.unwatch(&exercise.folder)?;
                exercise = next.clone();
                watcher.watch(&exercise.folder, RecursiveMode::NonRecursive)?;
                show::introduce(catalogue, &exercise);
                running = Some(start_check(catalogue, &exercise, &events, &mut run));
            }
            Event::Checked(..) => {}
        }
    }
}

/// Starts check number `run + 1` of `exercise`, its outcome sent back as an event.
fn start_check(
    catalogue: &Catalogue,
    exercise: &Exercise,
    events: &Sender<Event>,
    run: &mut u64,
) -> Running {
    *run += 1;
    let number = *run;
    let events = events.clone();
    let spinner = show::spinner(format!("{} 확인 중 · checking", exercise.short));
    Running::start(&catalogue.root, exercise, move |outcome| {
        spinner.finish_and_clear();
        let _ = events.send(Event::Checked(number, outcome));
    })
}

/// Sends each line typed on standard input. At its end (a script, `< /dev/null`) the loop
/// goes on watching files.
fn read_typing(events: Sender<Event>) {
    thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if events.send(Event::Typed(line)).is_err() {
                break;
            }
        }
    });
}

/// A save of the student's code, not of a backup or an editor's swap file.
fn is_students_file(exercise: &Exercise, path: &std::path::Path) -> bool {
    path.parent() == Some(exercise.folder.as_path())
        && path
            .extension()
            .is_some_and(|extension| extension == "rs" || extension == "proto")
}

fn keys() {
    println!(
        "저장하면 다시 확인합니다 · save to check again   [h] 힌트 · hint   [l] 목록 · list   [q] 끝 · quit"
    );
}

fn all_done(catalogue: &Catalogue, progress: &Progress) {
    println!();
    println!("🎉 모든 연습 문제를 끝냈습니다 · every exercise is done");
    println!("{}", show::done_line(catalogue, progress));
}
