//! The short commands: `list`, `hint`, `verify` and `reset`.

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::catalogue::{Catalogue, Exercise};
use crate::check::{self, Outcome};
use crate::progress::Progress;
use crate::show;

/// How long one exercise's checks may run in `verify`, once everything is built. Each check
/// ends in well under a second when it passes; a minute means a call that never answers.
pub const CHECK_LIMIT: Duration = Duration::from_secs(60);

/// What `verify` exits with, for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every exercise passes (exit code 0).
    AllDone,
    /// Some exercises do not pass yet (exit code 1).
    NotAllDone,
    /// The exercises do not build, so nothing could be checked (exit code 2).
    DoesNotBuild,
}

impl Verdict {
    /// The process exit code.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::AllDone => 0,
            Verdict::NotAllDone => 1,
            Verdict::DoesNotBuild => 2,
        }
    }
}

/// `learn list`: every exercise in book order, done or not.
pub fn list(catalogue: &Catalogue) -> Result<()> {
    let progress = Progress::load(&catalogue.root)?;
    show::list(catalogue, &progress);
    show::progress_bar(catalogue, &progress);
    Ok(())
}

/// The exercise to work on: the first one in book order that is not done.
pub fn current<'a>(catalogue: &'a Catalogue, progress: &Progress) -> Option<&'a Exercise> {
    catalogue
        .exercises
        .iter()
        .find(|exercise| !progress.is_done(&exercise.id))
}

/// `learn hint [EXERCISE]`: the next hint the student has not seen, one at a time.
pub fn hint(catalogue: &Catalogue, name: Option<&str>) -> Result<()> {
    let mut progress = Progress::load(&catalogue.root)?;
    let exercise = match name {
        Some(name) => catalogue.find(name)?,
        None => match current(catalogue, &progress) {
            Some(exercise) => exercise,
            None => {
                println!("모두 끝냈습니다 · every exercise is done: no hints needed");
                return Ok(());
            }
        },
    };
    next_hint(&mut progress, exercise);
    progress.save(&catalogue.root)
}

/// Shows the exercise's next unseen hint and counts it (the last one again when all are seen).
pub fn next_hint(progress: &mut Progress, exercise: &Exercise) {
    let record = progress.record(&exercise.id);
    let index = record.hints as usize;
    show::hint(exercise, index);
    if index < exercise.hints.len() {
        record.hints += 1;
    }
}

/// `learn verify`: checks every exercise and records what passes.
pub fn verify(catalogue: &Catalogue) -> Result<Verdict> {
    let mut progress = Progress::load(&catalogue.root)?;
    let outcomes = check_all(catalogue, &mut progress, true)?;
    progress.save(&catalogue.root)?;
    if outcomes.is_none() {
        return Ok(Verdict::DoesNotBuild);
    }
    println!("{}", show::done_line(catalogue, &progress));
    Ok(
        if show::done_count(catalogue, &progress) == catalogue.exercises.len() {
            Verdict::AllDone
        } else {
            Verdict::NotAllDone
        },
    )
}

/// Builds the exercises, then checks each in book order, noting the outcomes in `progress`.
/// `None` when they do not build (the error is printed); `loud` prints a line per exercise.
pub fn check_all(
    catalogue: &Catalogue,
    progress: &mut Progress,
    loud: bool,
) -> Result<Option<BTreeMap<String, Outcome>>> {
    let spinner = show::spinner(
        "빌드 중 · building the exercises (the first build takes a few minutes)".into(),
    );
    let built = check::build_all(&catalogue.root)?;
    spinner.finish_and_clear();
    if let Some(error) = built {
        show::outcome(&catalogue.exercises[0], &Outcome::DoesNotBuild { error });
        return Ok(None);
    }
    let bar = indicatif::ProgressBar::new(catalogue.exercises.len() as u64);
    let mut outcomes = BTreeMap::new();
    for exercise in &catalogue.exercises {
        bar.set_message(exercise.short.clone());
        let outcome = check::check(
            &catalogue.root,
            exercise,
            Some(CHECK_LIMIT),
            &AtomicBool::new(false),
        )?;
        bar.suspend(|| {
            if !loud {
                return;
            }
            match &outcome {
                Outcome::Passed { checks } => {
                    println!("✓ {}  ({checks} checks)", exercise.headline());
                }
                Outcome::Failed { failed, checks, .. } => {
                    println!(
                        "✗ {}  ({failed} of {checks} checks fail)",
                        exercise.headline()
                    );
                }
                other => show::outcome(exercise, other),
            }
        });
        progress.note_check(&exercise.id, outcome.passed());
        outcomes.insert(exercise.id.clone(), outcome);
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(Some(outcomes))
}

/// `learn reset EXERCISE`: the student's files back to the skeleton they started from.
///
/// The skeleton comes from git, at the commit the runner first saw: a student who committed
/// their work gets the untouched skeleton, not their own last commit. Their version is kept
/// beside it (`skeleton.rs.before-reset`), since a reset is easy to type by mistake.
pub fn reset(catalogue: &Catalogue, name: &str) -> Result<()> {
    let exercise = catalogue.find(name)?;
    let mut progress = Progress::load(&catalogue.root)?;
    let commit = progress
        .started_at_commit
        .clone()
        .unwrap_or_else(|| "HEAD".into());
    for file in exercise.student_files() {
        let in_git = show::relative(&catalogue.root, &file);
        let output = Command::new("git")
            .args(["show", &format!("{commit}:{in_git}")])
            .current_dir(&catalogue.root)
            .output()
            .context("reset needs git: cannot run it")?;
        if !output.status.success() {
            bail!(
                "git has no {in_git} at {commit}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        let current = fs::read(&file)?;
        if current != output.stdout {
            let backup = file.with_file_name(format!(
                "{}.before-reset",
                file.file_name()
                    .and_then(|name| name.to_str())
                    .unwrap_or("skeleton")
            ));
            fs::write(&backup, &current)?;
            fs::write(&file, &output.stdout)?;
            println!(
                "{} ← skeleton (yours is in {})",
                in_git,
                show::relative(&catalogue.root, &backup)
            );
        } else {
            println!("{in_git} is the skeleton already");
        }
    }
    let record = progress.record(&exercise.id);
    record.done = false;
    record.done_at = None;
    progress.save(&catalogue.root)
}
