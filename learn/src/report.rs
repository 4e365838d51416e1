//! Reports for teachers: `learn report --out class.json` in a student's checkout, and
//! `learn report --merge a.json b.json …` on the teacher's machine.
//!
//! A report is written after running every check again, so "done" in it means the checks pass
//! on the code handed in, whatever the progress file says. From the progress file it takes
//! what only the student's runs know: how often each exercise was checked and how many hints
//! were opened. The merged table answers a teacher's two questions: who is where, and which
//! exercise holds the most students up.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use unicode_width::UnicodeWidthStr;

use crate::catalogue::Catalogue;
use crate::commands::check_all;
use crate::progress::{self, Progress};

/// One student's report, as handed in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// Who: `--student`, else git's `user.name`, else the login name.
    pub student: String,
    /// The commit of their checkout (their work may be uncommitted on top of it).
    pub commit: Option<String>,
    /// When it was written, in seconds since 1970.
    pub written_at: u64,
    /// False when the exercises did not build, so nothing could be checked.
    pub builds: bool,
    /// Every exercise in book order.
    pub exercises: Vec<Entry>,
}

/// One exercise in a report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// `ch02/01-validate-product`.
    pub id: String,
    /// `입력 검증하기 · Refusing bad input`.
    pub title: String,
    /// Its checks pass.
    pub done: bool,
    /// How often the student ran its checks.
    pub checks: u32,
    /// How many of its hints they opened.
    pub hints: u32,
}

/// `learn report --out FILE`: checks everything and writes the student's report.
pub fn write(catalogue: &Catalogue, out: &Path, student: Option<String>) -> Result<()> {
    let mut progress = Progress::load(&catalogue.root)?;
    let builds = check_all(catalogue, &mut progress, true)?.is_some();
    progress.save(&catalogue.root)?;
    let report = Report {
        student: student.unwrap_or_else(|| student_name(&catalogue.root)),
        commit: progress::head_commit(&catalogue.root),
        written_at: progress::now(),
        builds,
        exercises: catalogue
            .exercises
            .iter()
            .map(|exercise| {
                let record = progress
                    .exercises
                    .get(&exercise.id)
                    .cloned()
                    .unwrap_or_default();
                Entry {
                    id: exercise.id.clone(),
                    title: exercise.title.clone(),
                    done: builds && record.done,
                    checks: record.checks,
                    hints: record.hints,
                }
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&report)?;
    text.push('\n');
    fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))?;
    let done = report.exercises.iter().filter(|entry| entry.done).count();
    println!(
        "{}: {}, {done}/{} 완료 · done{}",
        out.display(),
        report.student,
        report.exercises.len(),
        if builds {
            ""
        } else {
            " (the exercises do not build)"
        }
    );
    Ok(())
}

/// `learn report --merge FILE…`: the class table, printed.
pub fn merge(files: &[impl AsRef<Path>]) -> Result<()> {
    let mut reports = Vec::new();
    for file in files {
        let file = file.as_ref();
        let text =
            fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let report: Report = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a `learn report`", file.display()))?;
        reports.push(report);
    }
    print!("{}", class_table(&reports));
    Ok(())
}

/// The class table: one row per student, then one per exercise, then who is stuck where.
pub fn class_table(reports: &[Report]) -> String {
    let mut exercises: Vec<(String, String)> = Vec::new();
    for entry in reports.iter().flat_map(|report| &report.exercises) {
        if !exercises.iter().any(|(id, _)| *id == entry.id) {
            exercises.push((entry.id.clone(), entry.title.clone()));
        }
    }
    // Exercise ids sort in book order: `ch02/01-…` before `ch02/02-…` before `ch03/01-…`.
    exercises.sort();
    let total = exercises.len();
    let stuck_on = |report: &Report| -> Option<String> {
        exercises
            .iter()
            .find(|(id, _)| {
                !report
                    .exercises
                    .iter()
                    .any(|entry| entry.id == *id && entry.done)
            })
            .map(|(id, _)| id.clone())
    };

    let mut out = format!(
        "반 진행 상황 · Class report: {} students, {total} exercises\n\n",
        reports.len()
    );
    let name_width = reports
        .iter()
        .map(|report| report.student.width())
        .chain([7])
        .max()
        .unwrap_or(7);
    out += &format!(
        "{}  Done    Progress              Stuck on\n",
        pad("Student", name_width)
    );
    for report in reports {
        let done = report.exercises.iter().filter(|entry| entry.done).count();
        let filled = (done * 20).checked_div(total).unwrap_or(0);
        out += &format!(
            "{}  {:<6}  {}{}  {}\n",
            pad(&report.student, name_width),
            format!("{done}/{total}"),
            "█".repeat(filled),
            "░".repeat(20 - filled),
            match stuck_on(report) {
                Some(id) => id,
                None if report.builds => "— all done".into(),
                None => "— does not build".into(),
            }
        );
    }

    let id_width = exercises
        .iter()
        .map(|(id, _)| id.width())
        .chain([8])
        .max()
        .unwrap_or(8);
    out += &format!(
        "\n{}  Done    Stuck here  Checks  Hints  Title\n",
        pad("Exercise", id_width)
    );
    let mut stuck_counts: Vec<(&str, &str, usize)> = Vec::new();
    for (id, title) in &exercises {
        let entries: Vec<&Entry> = reports
            .iter()
            .filter_map(|report| report.exercises.iter().find(|entry| entry.id == *id))
            .collect();
        let done = entries.iter().filter(|entry| entry.done).count();
        let stuck = reports
            .iter()
            .filter(|report| stuck_on(report).as_deref() == Some(id))
            .count();
        let average = |value: fn(&Entry) -> u32| {
            let sum: u32 = entries.iter().map(|entry| value(entry)).sum();
            f64::from(sum) / (entries.len().max(1) as f64)
        };
        out += &format!(
            "{}  {:<6}  {:<10}  {:<6.1}  {:<5.1}  {title}\n",
            pad(id, id_width),
            format!("{done}/{}", reports.len()),
            stuck,
            average(|entry| entry.checks),
            average(|entry| entry.hints),
        );
        stuck_counts.push((id, title, stuck));
    }
    out += "\n";
    let most = stuck_counts
        .iter()
        .map(|(_, _, count)| *count)
        .max()
        .unwrap_or(0);
    let most_stuck: Vec<_> = stuck_counts
        .iter()
        .filter(|(_, _, count)| most > 0 && *count == most)
        .collect();
    out += &match most_stuck.as_slice() {
        [] => "Nobody is stuck: every student has done every exercise.\n".into(),
        [(id, title, count)] => format!(
            "Most students are stuck on {id} ({count} of {}): {title}\n",
            reports.len()
        ),
        tied => format!(
            "Most students are stuck on {} exercises, {most} of {} on each: {}\n",
            tied.len(),
            reports.len(),
            tied.iter()
                .map(|(id, _, _)| *id)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    out
}

/// `text` followed by spaces up to `width` columns on screen.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// The student's name as git knows it, else the login name.
fn student_name(root: &Path) -> String {
    Command::new("git")
        .args(["config", "user.name"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "student".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(student: &str, done: &[bool]) -> Report {
        let ids = [
            "ch02/01-validate-product",
            "ch02/02-delete-product",
            "ch03/01-search",
        ];
        Report {
            student: student.into(),
            commit: None,
            written_at: 0,
            builds: true,
            exercises: ids
                .iter()
                .zip(done)
                .map(|(id, done)| Entry {
                    id: (*id).into(),
                    title: "제목 · Title".into(),
                    done: *done,
                    checks: 2,
                    hints: 1,
                })
                .collect(),
        }
    }

    #[test]
    fn the_table_names_who_is_stuck_where() {
        let table = class_table(&[
            report("김민지", &[true, false, false]),
            report("lee", &[true, true, true]),
            report("park", &[true, false, true]),
        ]);
        assert!(table.contains("3 students, 3 exercises"), "{table}");
        assert!(table.contains("김민지   1/3"), "{table}");
        assert!(table.contains("— all done"), "{table}");
        assert!(
            table.contains("Most students are stuck on ch02/02-delete-product (2 of 3)"),
            "{table}"
        );
    }

    #[test]
    fn a_tie_names_every_exercise_that_holds_the_most_students() {
        let table = class_table(&[
            report("kim", &[false, false, false]),
            report("lee", &[true, false, true]),
        ]);
        assert!(
            table.contains("Most students are stuck on 2 exercises, 1 of 2 on each: ch02/01-validate-product, ch02/02-delete-product"),
            "{table}"
        );
    }
}
