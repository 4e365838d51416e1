//! What a reader follows besides the tour: the READMEs and the exercises. These tests keep
//! them complete as the code changes: every sample binary has its two-terminal commands in
//! its chapter's README, every README has the chapter map and the differences from the book
//! in Korean and English, every relative link points at a file that exists, and every
//! exercise has its task, skeleton, solution and checks.

use std::fs;
use std::path::{Path, PathBuf};

const CHAPTERS: &[&str] = &[
    "ch01-why-grpc",
    "ch02-productinfo",
    "ch03-patterns",
    "ch04-internals",
    "ch05-advanced",
    "ch06-security",
    "ch07-ops",
    "ch08-ecosystem",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The names of the files in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The text of the README's ```sh blocks, where the commands to type are.
fn shell_blocks(readme: &str) -> String {
    let mut blocks = String::new();
    let mut inside = false;
    for line in readme.lines() {
        let fence = line.trim_start();
        if inside && fence.starts_with("```") {
            inside = false;
        } else if !inside && fence.starts_with("```sh") {
            inside = true;
        } else if inside {
            blocks.push_str(line);
            blocks.push('\n');
        }
    }
    blocks
}

#[test]
fn every_sample_binary_has_its_commands_in_its_chapter_readme() {
    for chapter in CHAPTERS {
        let readme = read(&root().join(chapter).join("README.md"));
        let commands = shell_blocks(&readme);
        for binary in names_in(&root().join(chapter).join("src/bin")) {
            let binary = binary.trim_end_matches(".rs");
            assert!(
                commands.contains(&format!("cargo run --bin {binary}")),
                "{chapter}/README.md shows no `cargo run --bin {binary}` in a sh block"
            );
        }
    }
}

#[test]
fn every_chapter_readme_has_the_map_the_terminals_and_the_differences_in_both_languages() {
    for chapter in CHAPTERS {
        let readme = read(&root().join(chapter).join("README.md"));
        for expected in [
            "## Book sections · 책의 절",
            "## Where we differ from the book · 책과 다른 점",
            "## Exercises · 연습 문제",
            "terminal 1 · 터미널 1",
        ] {
            assert!(
                readme.contains(expected),
                "{chapter}/README.md lacks {expected:?}"
            );
        }
    }
}

#[test]
fn the_top_readme_finds_every_chapter_and_the_exercises() {
    let readme = read(&root().join("README.md"));
    assert!(readme.contains("## Find your sample · 책의 예제 찾기"));
    assert!(readme.contains("](EXERCISES.md)"));
    for chapter in CHAPTERS {
        assert!(
            readme.contains(&format!("]({chapter}/README.md")),
            "README.md links {chapter}"
        );
    }
}

/// Every `](target)` in our Markdown that is not a web address or an anchor names a file or
/// folder that exists (an anchor after the path is not checked).
#[test]
fn relative_links_in_the_markdown_point_at_files_that_exist() {
    let mut documents = vec![root().join("README.md"), root().join("EXERCISES.md")];
    for chapter in CHAPTERS {
        documents.push(root().join(chapter).join("README.md"));
    }
    documents.push(root().join("ch07-ops/deploy/README.md"));
    documents.push(root().join("book-compat/README.md"));
    let exercises = root().join("exercises");
    for chapter in names_in(&exercises)
        .into_iter()
        .filter(|name| name.starts_with("ch"))
    {
        documents.push(exercises.join(&chapter).join("README.md"));
        for task in names_in(&exercises.join(&chapter))
            .into_iter()
            .filter(|name| !name.ends_with(".md"))
        {
            documents.push(exercises.join(&chapter).join(task).join("README.md"));
        }
    }

    for document in documents {
        let text = read(&document);
        let folder = document.parent().expect("a file has a folder");
        for (_, rest) in text
            .match_indices("](")
            .map(|(at, _)| text.split_at(at + 2))
        {
            let Some(end) = rest.find(')') else { continue };
            let target = &rest[..end];
            if target.starts_with("http") || target.starts_with('#') || target.contains(' ') {
                continue;
            }
            let path = target.split('#').next().unwrap_or(target);
            assert!(
                folder.join(path).exists(),
                "{} links {target}, which does not exist",
                document.display()
            );
        }
    }
}

/// Every exercise is a folder with its task, skeleton and solution, checked by a test suite
/// of the same name, and listed in its chapter's README and in EXERCISES.md.
#[test]
fn every_exercise_has_a_task_a_skeleton_a_solution_and_checks() {
    let exercises = root().join("exercises");
    let guide = read(&root().join("EXERCISES.md"));
    let suites = names_in(&exercises.join("tests"));
    let mut tasks = 0;
    for chapter in names_in(&exercises)
        .into_iter()
        .filter(|name| name.starts_with("ch"))
    {
        assert!(
            guide.contains(&format!("](exercises/{chapter}/README.md)")),
            "EXERCISES.md links {chapter}"
        );
        let chapter_readme = read(&exercises.join(&chapter).join("README.md"));
        for task in names_in(&exercises.join(&chapter))
            .into_iter()
            .filter(|name| !name.ends_with(".md"))
        {
            let folder = exercises.join(&chapter).join(&task);
            let files = names_in(&folder);
            for file in ["README.md", "skeleton.rs", "solution.rs"] {
                assert!(files.contains(&file.to_owned()), "{chapter}/{task}/{file}");
            }
            assert_eq!(
                files.contains(&"skeleton.proto".to_owned()),
                files.contains(&"solution.proto".to_owned()),
                "{chapter}/{task}: a skeleton.proto needs its solution.proto"
            );
            let (number, name) = task.split_once('-').expect("NN-name");
            assert!(number.parse::<u8>().is_ok(), "{chapter}/{task} is numbered");
            let suite = format!("{chapter}_{}", name.replace('-', "_"));
            assert!(
                suites.contains(&format!("{suite}.rs")),
                "exercises/tests/{suite}.rs checks {chapter}/{task}"
            );
            let command = format!("cargo test -p exercises --test {suite} -- --include-ignored");
            let task_readme = read(&folder.join("README.md"));
            assert!(task_readme.contains(&command), "{chapter}/{task}/README.md");
            assert!(
                task_readme.contains("<details>"),
                "{chapter}/{task} has hints"
            );
            assert!(
                chapter_readme.contains(&format!("]({task}/README.md)")),
                "exercises/{chapter}/README.md lists {task}"
            );
            tasks += 1;
        }
    }
    assert_eq!(
        tasks,
        suites.len(),
        "every suite in exercises/tests checks one task: {suites:?}"
    );
}
