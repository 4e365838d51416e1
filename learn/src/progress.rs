//! A student's progress: one small JSON file in their checkout, `exercises/progress.json`.
//!
//! It is a record, not the truth: `learn verify` and `learn report` run the checks again and
//! correct it, so a hand-edited file cannot hand in work that does not pass. What only the
//! file knows is how the student got there: how many times each exercise was checked and how
//! many hints were opened. It is in `.gitignore`, so a student's commits carry their code and
//! the report carries the rest.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// The progress file's contents.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Progress {
    /// The commit the checkout was at when the runner first ran: `reset` takes skeletons from
    /// it, since later commits may hold the student's own work.
    #[serde(default)]
    pub started_at_commit: Option<String>,
    /// What happened to each exercise, by its id (`ch02/01-validate-product`).
    #[serde(default)]
    pub exercises: BTreeMap<String, Record>,
}

/// One exercise's story.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Its checks passed when last run.
    #[serde(default)]
    pub done: bool,
    /// How many times its checks ran to an end.
    #[serde(default)]
    pub checks: u32,
    /// How many of its hints were opened.
    #[serde(default)]
    pub hints: u32,
    /// When its checks first passed, in seconds since 1970.
    #[serde(default)]
    pub done_at: Option<u64>,
}

impl Progress {
    /// The file's place in a checkout.
    pub fn path(root: &Path) -> PathBuf {
        root.join("exercises").join("progress.json")
    }

    /// Reads the checkout's progress, or starts it (noting the commit) when there is none.
    pub fn load(root: &Path) -> Result<Progress> {
        let path = Progress::path(root);
        match fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).with_context(|| {
                format!(
                    "{} is not a progress file; delete it to start again",
                    path.display()
                )
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Progress {
                started_at_commit: head_commit(root),
                exercises: BTreeMap::new(),
            }),
            Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Writes the file whole, through a temporary file, so a killed runner never leaves half.
    pub fn save(&self, root: &Path) -> Result<()> {
        let path = Progress::path(root);
        let temporary = path.with_extension("json.tmp");
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        fs::write(&temporary, text)
            .with_context(|| format!("cannot write {}", temporary.display()))?;
        fs::rename(&temporary, &path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }

    /// The exercise's record, made when first needed.
    pub fn record(&mut self, id: &str) -> &mut Record {
        self.exercises.entry(id.to_owned()).or_default()
    }

    /// True when the exercise passed when last checked.
    pub fn is_done(&self, id: &str) -> bool {
        self.exercises.get(id).is_some_and(|record| record.done)
    }

    /// Notes a run of an exercise's checks that came to an end.
    pub fn note_check(&mut self, id: &str, passed: bool) {
        let record = self.record(id);
        record.checks += 1;
        record.done = passed;
        if passed && record.done_at.is_none() {
            record.done_at = Some(now());
        }
    }
}

/// Seconds since 1970.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// The checkout's commit, when it is a git checkout.
pub fn head_commit(root: &Path) -> Option<String> {
    let output = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(root)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
