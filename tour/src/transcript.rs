//! The narrated transcript the tour prints.
//!
//! Three kinds of line: narration (what the book shows, what we do next), output (exactly
//! what the chapter's client binary would print, indented behind `|`), and a failure line
//! when something did not go as the book says.
//!
//! It depends on nothing else in the tour: the chapters narrate into it, and `main` hands it
//! each chapter's title and files to open next.

/// Prints a chapter's transcript to stdout as it goes.
pub struct Transcript;

impl Transcript {
    /// A chapter's title line.
    pub fn heading(&mut self, title: &str) {
        println!();
        println!("== {title} ==");
    }

    /// A line of narration.
    pub fn say(&mut self, text: &str) {
        println!("{text}");
    }

    /// Output of a client, each line behind `  | `.
    pub fn output(&mut self, text: &str) {
        for line in text.lines() {
            println!("  | {line}");
        }
    }

    /// The files to read after the chapter, so the tour ends where the reading begins.
    pub fn open_next(&mut self, paths: &[&str]) {
        println!("Open next · 다음에 열어 볼 파일:");
        for path in paths {
            println!("  {path}");
        }
    }

    /// Something did not go as the book says.
    pub fn failure(&mut self, text: &str) {
        println!("!! {text}");
    }
}
