//! The repository's own exercises, as the runner reads them: enough of them, in book order,
//! each complete enough for a class (a skeleton, a solution, checks, hints in both languages).

use std::path::Path;

use learn::catalogue::Catalogue;

fn catalogue() -> Catalogue {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace above learn/");
    Catalogue::read(root).expect("the repository's exercises")
}

#[test]
fn every_chapter_from_2_to_8_has_at_least_four_exercises_in_order() {
    let catalogue = catalogue();
    for chapter in 2..=8 {
        let numbers: Vec<&str> = catalogue
            .exercises
            .iter()
            .filter(|exercise| exercise.chapter == chapter)
            .map(|exercise| exercise.short.as_str())
            .collect();
        assert!(numbers.len() >= 4, "chapter {chapter}: {numbers:?}");
        for (index, short) in numbers.iter().enumerate() {
            assert_eq!(*short, format!("ch{chapter:02}/{:02}", index + 1));
        }
    }
}

#[test]
fn every_exercise_has_its_files_its_checks_and_hints_in_korean_and_english() {
    let catalogue = catalogue();
    let is_hangul = |c: char| ('가'..='힣').contains(&c);
    for exercise in &catalogue.exercises {
        let id = &exercise.id;
        assert!(
            exercise.title.chars().any(is_hangul),
            "{id}: a Korean title"
        );
        assert!(
            exercise.title.chars().any(|c| c.is_ascii_alphabetic()),
            "{id}: an English title"
        );
        assert!(
            exercise.folder.join("skeleton.rs").is_file(),
            "{id}: skeleton.rs"
        );
        assert!(
            exercise.folder.join("solution.rs").is_file(),
            "{id}: solution.rs"
        );
        assert_eq!(
            exercise.folder.join("skeleton.proto").is_file(),
            exercise.folder.join("solution.proto").is_file(),
            "{id}: a skeleton.proto goes with a solution.proto"
        );
        let suite = catalogue
            .root
            .join("exercises/tests")
            .join(format!("{}.rs", exercise.suite));
        assert!(suite.is_file(), "{id}: its checks, {}", suite.display());
        assert!(
            exercise.hints.len() >= 3,
            "{id}: {} hints",
            exercise.hints.len()
        );
        for (number, hint) in exercise.hints.iter().enumerate() {
            assert!(
                hint.chars().any(is_hangul) && hint.chars().any(|c| c.is_ascii_alphabetic()),
                "{id}: hint {} in Korean and English: {hint}",
                number + 1
            );
        }
    }
}

#[test]
fn exercises_are_found_by_number_short_name_id_suite_and_name() {
    let catalogue = catalogue();
    let first = &catalogue.exercises[0];
    assert_eq!(first.id, "ch02/01-validate-product");
    for name in [
        "1",
        "ch02/01",
        "ch02/01-validate-product",
        "ch02_validate_product",
        "validate-product",
    ] {
        let found = catalogue.find(name).expect("found");
        assert_eq!(found.id, first.id, "{name}");
    }
    assert!(catalogue.find("0").is_err());
    assert!(catalogue.find("no-such-exercise").is_err());
}
