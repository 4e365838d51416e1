//! The tour: every chapter's server and client, run in one process on loopback.
//!
//! ```text
//! cargo run --bin tour              # every chapter, in book order
//! cargo run --bin tour -- ch02      # one chapter (or several: ch02 ch03)
//! cargo run --bin tour -- --list    # what there is
//! ```
//!
//! Each chapter starts its server on an ephemeral `127.0.0.1` port (so nothing collides with
//! a server you left running on 50051), runs the same client code as the chapter's client
//! binary against it, and narrates what the book shows next to what just happened. The
//! servers' own log lines are off to keep the transcript readable; `RUST_LOG=info` turns them
//! on (on stderr). The exit status is 0 only if every chapter ran as the book says.

mod chapters;
mod transcript;

use std::process::ExitCode;

use clap::Parser;

use crate::chapters::CHAPTERS;
use crate::transcript::Transcript;

/// Runs the book's samples, chapter by chapter, and tells what happens.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Chapters to run (`ch02`, …); all of them when none are named.
    chapters: Vec<String>,
    /// List the chapters and exit.
    #[arg(long)]
    list: bool,
}

// One thread: chapters that show what their servers log capture it with a thread-local
// subscriber, which sees every task of a current-thread runtime.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _log = common::logging::init("warn");

    if args.list {
        for chapter in CHAPTERS {
            println!(
                "{}  {} ({})",
                chapter.key, chapter.title_ko, chapter.title_en
            );
        }
        return ExitCode::SUCCESS;
    }

    let mut selected = Vec::new();
    for key in &args.chapters {
        match CHAPTERS.iter().find(|chapter| chapter.key == key) {
            Some(chapter) => selected.push(chapter),
            None => {
                let known: Vec<_> = CHAPTERS.iter().map(|chapter| chapter.key).collect();
                eprintln!(
                    "No chapter {key:?} in the tour; it has {}.",
                    known.join(", ")
                );
                return ExitCode::from(2);
            }
        }
    }
    if selected.is_empty() {
        selected.extend(CHAPTERS);
    }

    let mut failed = Vec::new();
    for chapter in selected {
        let mut transcript = Transcript;
        transcript.heading(&chapter.title());
        if let Err(error) = (chapter.run)(&mut transcript).await {
            transcript.failure(&format!("{error:#}"));
            failed.push(chapter.key);
        }
        transcript.open_next(chapter.open_next);
    }

    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "The tour did not go as the book says in: {}",
            failed.join(", ")
        );
        ExitCode::FAILURE
    }
}
