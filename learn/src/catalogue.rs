//! The exercises, read from the checkout itself: one folder per task, in book order.
//!
//! Nothing is listed twice. A task's title and hints live in its `README.md`, the chapter's
//! title in the chapter's `README.md`, and the name of its checks follows from its folder
//! (`exercises/ch02/01-validate-product` is checked by `exercises/tests/ch02_validate_product.rs`).
//! A teacher who adds a folder has added an exercise.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Every exercise of a checkout, in book order.
#[derive(Debug)]
pub struct Catalogue {
    /// The checkout's top folder (where `Cargo.toml` and `EXERCISES.md` are).
    pub root: PathBuf,
    /// Chapter by chapter, task by task.
    pub exercises: Vec<Exercise>,
}

/// One task.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// `ch02/01-validate-product`: the folder under `exercises/`, and the key in progress files
    /// and reports.
    pub id: String,
    /// `ch02/01`, as the books' readers and the task's README call it.
    pub short: String,
    /// The chapter's number.
    pub chapter: u32,
    /// The chapter's title in Korean and English, `「gRPC 시작」 (Getting Started with gRPC)`.
    pub chapter_title: String,
    /// The task's title, `입력 검증하기 · Refusing bad input`.
    pub title: String,
    /// The task's folder.
    pub folder: PathBuf,
    /// The suite that checks it, for `cargo test -p exercises --test <suite>`.
    pub suite: String,
    /// The hints in the order a student should read them, each in Korean and English.
    pub hints: Vec<String>,
}

impl Exercise {
    /// The files the student edits: `skeleton.rs`, and `skeleton.proto` where the task
    /// changes the service definition.
    pub fn student_files(&self) -> Vec<PathBuf> {
        ["skeleton.rs", "skeleton.proto"]
            .iter()
            .map(|name| self.folder.join(name))
            .filter(|path| path.exists())
            .collect()
    }

    /// `ch02/01 입력 검증하기 · Refusing bad input`, for one line of a list.
    pub fn headline(&self) -> String {
        format!("{} {}", self.short, self.title)
    }
}

impl Catalogue {
    /// Reads the exercises of the checkout at `root`.
    pub fn read(root: &Path) -> Result<Catalogue> {
        let exercises_dir = root.join("exercises");
        let mut exercises = Vec::new();
        for chapter_dir in sorted_folders(&exercises_dir)? {
            let chapter_name = folder_name(&chapter_dir)?;
            let Some(chapter) = chapter_name
                .strip_prefix("ch")
                .and_then(|number| number.parse::<u32>().ok())
            else {
                continue;
            };
            let chapter_readme = read(&chapter_dir.join("README.md"))?;
            let chapter_title = chapter_title(&chapter_readme).with_context(|| {
                format!(
                    "the first line of {}",
                    chapter_dir.join("README.md").display()
                )
            })?;
            for folder in sorted_folders(&chapter_dir)? {
                let task = folder_name(&folder)?;
                let Some((number, name)) = task.split_once('-') else {
                    continue;
                };
                let readme = read(&folder.join("README.md"))?;
                let title = task_title(&readme)
                    .with_context(|| format!("the first line of {}", folder.display()))?;
                exercises.push(Exercise {
                    id: format!("{chapter_name}/{task}"),
                    short: format!("{chapter_name}/{number}"),
                    chapter,
                    chapter_title: chapter_title.clone(),
                    title,
                    suite: format!("{chapter_name}_{}", name.replace('-', "_")),
                    hints: hints(&readme),
                    folder,
                });
            }
        }
        if exercises.is_empty() {
            bail!("no exercises under {}", exercises_dir.display());
        }
        Ok(Catalogue {
            root: root.to_owned(),
            exercises,
        })
    }

    /// Finds an exercise by its number in `learn list` (`3`), its short name (`ch02/03`), its
    /// id (`ch02/03-write-the-client`), its suite (`ch02_write_the_client`) or its bare name
    /// (`write-the-client`).
    pub fn find(&self, name: &str) -> Result<&Exercise> {
        if let Ok(number) = name.parse::<usize>() {
            return number
                .checked_sub(1)
                .and_then(|index| self.exercises.get(index))
                .with_context(|| {
                    format!(
                        "there is no exercise {number}: `learn list` numbers them 1 to {}",
                        self.exercises.len()
                    )
                });
        }
        let name = name.trim_end_matches('/');
        self.exercises
            .iter()
            .find(|exercise| {
                exercise.id == name
                    || exercise.short == name
                    || exercise.suite == name
                    || exercise.id.split_once('-').map(|(_, bare)| bare) == Some(name)
            })
            .with_context(|| format!("there is no exercise {name:?}: `learn list` shows them"))
    }

    /// The exercise's place in book order, counting from 1.
    pub fn number_of(&self, exercise: &Exercise) -> usize {
        self.exercises
            .iter()
            .position(|candidate| candidate.id == exercise.id)
            .map_or(0, |index| index + 1)
    }
}

/// Walks up from `start` to the checkout: the folder with `EXERCISES.md` and `exercises/`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|folder| folder.join("EXERCISES.md").is_file() && folder.join("exercises").is_dir())
        .map(Path::to_owned)
}

/// `「gRPC 시작」 (Getting Started with gRPC)` from
/// `# Chapter 2 exercises · 2장 연습 문제: 「gRPC 시작」 (Getting Started with gRPC)`.
fn chapter_title(readme: &str) -> Result<String> {
    let first = readme.lines().next().unwrap_or_default();
    let start = first
        .find('「')
        .context("no chapter title in 「…」 on the first line")?;
    Ok(first[start..].trim().to_owned())
}

/// `입력 검증하기 · Refusing bad input` from `# ch02/01 · 입력 검증하기 · Refusing bad input`.
fn task_title(readme: &str) -> Result<String> {
    let first = readme.lines().next().unwrap_or_default();
    match first.trim_start_matches('#').trim().split_once(" · ") {
        Some((_, title)) => Ok(title.trim().to_owned()),
        None => bail!("expected `# chNN/NN · 한국어 제목 · English title`"),
    }
}

/// The text of each `<details><summary>N</summary> … </details>` block of a task's README.
fn hints(readme: &str) -> Vec<String> {
    let mut hints = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in readme.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("<details>") {
            current = Some(Vec::new());
        } else if trimmed.starts_with("</details>") {
            if let Some(lines) = current.take() {
                hints.push(lines.join("\n").trim().to_owned());
            }
        } else if let Some(lines) = current.as_mut() {
            lines.push(line);
        }
    }
    hints
}

fn sorted_folders(folder: &Path) -> Result<Vec<PathBuf>> {
    let mut folders = Vec::new();
    for entry in
        fs::read_dir(folder).with_context(|| format!("cannot read {}", folder.display()))?
    {
        let path = entry?.path();
        if path.is_dir() {
            folders.push(path);
        }
    }
    folders.sort();
    Ok(folders)
}

fn folder_name(path: &Path) -> Result<String> {
    path.file_name()
        .and_then(|name| name.to_str())
        .map(str::to_owned)
        .with_context(|| format!("not a UTF-8 name: {}", path.display()))
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_first_lines() {
        let chapter = "# Chapter 3 exercises · 3장 연습 문제: 「gRPC 통신 패턴」 (gRPC Communication Patterns)\n";
        assert_eq!(
            chapter_title(chapter).ok().as_deref(),
            Some("「gRPC 통신 패턴」 (gRPC Communication Patterns)")
        );
        let task = "# ch02/01 · 입력 검증하기 · Refusing bad input\n\n★☆☆";
        assert_eq!(
            task_title(task).ok().as_deref(),
            Some("입력 검증하기 · Refusing bad input")
        );
    }

    #[test]
    fn hints_are_the_details_blocks_in_order() {
        let readme = "## Hints\n\n<details><summary>1</summary>\n\nFirst.\n첫째.\n</details>\n\n<details><summary>2</summary>\n\nSecond.\n</details>\n";
        assert_eq!(hints(readme), ["First.\n첫째.", "Second."]);
    }
}
