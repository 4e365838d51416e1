//! The exercise runner · 연습 문제 실행기.
//!
//! ```text
//! cargo run --bin learn                  # watch: the current exercise, checked on every save
//! cargo run --bin learn -- list          # every exercise in book order, done or not
//! cargo run --bin learn -- hint          # the current exercise's next hint
//! cargo run --bin learn -- verify        # check all; exit 0 all done, 1 not yet, 2 does not build
//! cargo run --bin learn -- reset 3       # exercise 3 back to its skeleton
//! cargo run --bin learn -- report --out class.json            # a student's report
//! cargo run --bin learn -- report --merge alice.json bob.json # the teacher's class table
//! ```
//!
//! EXERCISES.md at the top of the repository tells the whole workflow, for students and for a
//! classroom.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use learn::catalogue::{self, Catalogue};
use learn::{commands, report, watch};

#[derive(Parser)]
#[command(about = "Works through the book's exercises: watch, hints, progress, class reports")]
struct Args {
    /// The checkout (found by walking up from the current folder when not given).
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Step>,
}

#[derive(Subcommand)]
enum Step {
    /// Shows the current exercise and checks it on every save (the default).
    Watch,
    /// Lists every exercise in book order, done or not.
    List,
    /// Shows the next hint of the current exercise, or of the one named.
    Hint {
        /// A number from `list`, `ch02/03`, or the exercise's name.
        exercise: Option<String>,
    },
    /// Checks every exercise; exit code 0 all done, 1 not yet, 2 the exercises do not build.
    Verify,
    /// Puts an exercise's files back to the skeleton (yours are kept as `*.before-reset`).
    Reset {
        /// A number from `list`, `ch02/03`, or the exercise's name.
        exercise: String,
    },
    /// Writes this checkout's report (`--out`), or prints a class table from reports (`--merge`).
    Report {
        /// Where to write this checkout's report.
        #[arg(long, conflicts_with = "merge")]
        out: Option<PathBuf>,
        /// The student's name (default: git's user.name).
        #[arg(long, requires = "out")]
        student: Option<String>,
        /// Reports to merge into one class table.
        #[arg(long, num_args = 1..)]
        merge: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("learn: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> Result<u8> {
    if let Some(Step::Report { merge, .. }) = &args.command
        && !merge.is_empty()
    {
        report::merge(merge)?;
        return Ok(0);
    }
    let start = match args.root {
        Some(root) => root,
        None => std::env::current_dir()?,
    };
    let root = catalogue::find_root(&start.canonicalize()?).with_context(|| {
        format!(
            "{} is not in a checkout of grpc-up-and-running-rs (no EXERCISES.md and exercises/ above it)",
            start.display()
        )
    })?;
    let catalogue = Catalogue::read(&root)?;
    match args.command.unwrap_or(Step::Watch) {
        Step::Watch => watch::watch(&catalogue)?,
        Step::List => commands::list(&catalogue)?,
        Step::Hint { exercise } => commands::hint(&catalogue, exercise.as_deref())?,
        Step::Verify => return Ok(commands::verify(&catalogue)?.exit_code()),
        Step::Reset { exercise } => commands::reset(&catalogue, &exercise)?,
        Step::Report { out, student, .. } => match out {
            Some(out) => report::write(&catalogue, &out, student)?,
            None => {
                bail!("say where: `report --out class.json`, or `report --merge a.json b.json`")
            }
        },
    }
    Ok(0)
}
