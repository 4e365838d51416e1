//! The tour's chapters, in book order. Each chapter issue adds its module here.

mod ch02;
mod ch03;
mod ch04;
mod ch05;
mod ch06;
mod ch07;
mod ch08;

use futures::future::BoxFuture;

use crate::transcript::Transcript;

/// One chapter of the tour.
pub struct Chapter {
    /// What a reader types: `tour ch02`.
    pub key: &'static str,
    /// The Korean edition's chapter title.
    pub title_ko: &'static str,
    /// The English edition's chapter title.
    pub title_en: &'static str,
    /// Starts the chapter's server, runs its client and narrates.
    pub run: for<'a> fn(&'a mut Transcript) -> BoxFuture<'a, anyhow::Result<()>>,
}

/// Every chapter the tour knows.
pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        key: "ch02",
        title_ko: "gRPC 시작",
        title_en: "Getting Started with gRPC",
        run: |transcript| Box::pin(ch02::run(transcript)),
    },
    Chapter {
        key: "ch03",
        title_ko: "gRPC 통신 패턴",
        title_en: "gRPC Communication Patterns",
        run: |transcript| Box::pin(ch03::run(transcript)),
    },
    Chapter {
        key: "ch04",
        title_ko: "gRPC: 동작 원리",
        title_en: "gRPC: Under the Hood",
        run: |transcript| Box::pin(ch04::run(transcript)),
    },
    Chapter {
        key: "ch05",
        title_ko: "gRPC: 고급 기능",
        title_en: "gRPC: Beyond the Basics",
        run: |transcript| Box::pin(ch05::run(transcript)),
    },
    Chapter {
        key: "ch06",
        title_ko: "보안 적용 gRPC",
        title_en: "Secured gRPC",
        run: |transcript| Box::pin(ch06::run(transcript)),
    },
    Chapter {
        key: "ch07",
        title_ko: "서비스 수준 gRPC 실행",
        title_en: "Running gRPC in Production",
        run: |transcript| Box::pin(ch07::run(transcript)),
    },
    Chapter {
        key: "ch08",
        title_ko: "gRPC 생태계",
        title_en: "The gRPC Ecosystem",
        run: |transcript| Box::pin(ch08::run(transcript)),
    },
];
