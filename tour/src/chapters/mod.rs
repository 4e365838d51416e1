//! The tour's chapters, in book order, each with the files a reader opens after it.
//!
//! Each chapter narrates into a [`Transcript`], so this module depends on `transcript`; the
//! transcript knows nothing of chapters.

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
    /// The files to open after this chapter of the tour, relative to the repository root:
    /// the chapter's README, the code the tour just ran, then the chapter's exercises.
    pub open_next: &'static [&'static str],
    /// Starts the chapter's server, runs its client and narrates.
    pub run: for<'a> fn(&'a mut Transcript) -> BoxFuture<'a, anyhow::Result<()>>,
}

impl Chapter {
    /// `ch02 · gRPC 시작 (Getting Started with gRPC)`: the chapter's heading in the transcript.
    pub fn title(&self) -> String {
        format!("{} · {} ({})", self.key, self.title_ko, self.title_en)
    }
}

/// Every chapter the tour knows.
pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        key: "ch02",
        title_ko: "gRPC 시작",
        title_en: "Getting Started with gRPC",
        open_next: &[
            "ch02-productinfo/README.md",
            "proto/product_info.proto",
            "ch02-productinfo/src/service.rs",
            "ch02-productinfo/src/client.rs",
            "ch02-productinfo/src/bin/ch02-server.rs",
            "exercises/ch02/README.md",
        ],
        run: |transcript| Box::pin(ch02::run(transcript)),
    },
    Chapter {
        key: "ch03",
        title_ko: "gRPC 통신 패턴",
        title_en: "gRPC Communication Patterns",
        open_next: &[
            "ch03-patterns/README.md",
            "proto/order_management.proto",
            "ch03-patterns/src/service.rs",
            "ch03-patterns/src/search.rs",
            "ch03-patterns/src/shipments.rs",
            "ch03-patterns/src/client.rs",
            "exercises/ch03/README.md",
        ],
        run: |transcript| Box::pin(ch03::run(transcript)),
    },
    Chapter {
        key: "ch04",
        title_ko: "gRPC: 동작 원리",
        title_en: "gRPC: Under the Hood",
        open_next: &[
            "ch04-internals/README.md",
            "ch04-internals/src/protobuf/encode.rs",
            "ch04-internals/src/framing.rs",
            "ch04-internals/src/http2/call.rs",
            "ch04-internals/src/malformed.rs",
            "exercises/ch04/README.md",
        ],
        run: |transcript| Box::pin(ch04::run(transcript)),
    },
    Chapter {
        key: "ch05",
        title_ko: "gRPC: 고급 기능",
        title_en: "gRPC: Beyond the Basics",
        open_next: &[
            "ch05-advanced/README.md",
            "ch05-advanced/src/interceptors/mod.rs",
            "ch05-advanced/src/deadlines.rs",
            "ch05-advanced/src/cancellation.rs",
            "ch05-advanced/src/error_handling.rs",
            "ch05-advanced/src/metadata.rs",
            "ch05-advanced/src/loadbalancing/mod.rs",
            "ch05-advanced/src/keepalive.rs",
            "ch05-advanced/src/retry/mod.rs",
            "ch05-advanced/src/wait_for_ready.rs",
            "ch05-advanced/src/drain.rs",
            "ch05-advanced/src/propagation.rs",
            "ch05-advanced/src/flow_control.rs",
            "exercises/ch05/README.md",
        ],
        run: |transcript| Box::pin(ch05::run(transcript)),
    },
    Chapter {
        key: "ch06",
        title_ko: "보안 적용 gRPC",
        title_en: "Secured gRPC",
        open_next: &[
            "ch06-security/README.md",
            "ch06-security/src/certs.rs",
            "ch06-security/src/tls.rs",
            "ch06-security/src/auth/mod.rs",
            "ch06-security/src/auth/jwt.rs",
            "exercises/ch06/README.md",
        ],
        run: |transcript| Box::pin(ch06::run(transcript)),
    },
    Chapter {
        key: "ch07",
        title_ko: "서비스 수준 gRPC 실행",
        title_en: "Running gRPC in Production",
        open_next: &[
            "ch07-ops/README.md",
            "ch07-ops/tests/testing.rs",
            "ch07-ops/src/metrics/layer.rs",
            "ch07-ops/src/telemetry/layer.rs",
            "ch07-ops/src/loadtest/mod.rs",
            "ch07-ops/deploy/README.md",
            "ch07-ops/src/balancing.rs",
            "exercises/ch07/README.md",
        ],
        run: |transcript| Box::pin(ch07::run(transcript)),
    },
    Chapter {
        key: "ch08",
        title_ko: "gRPC 생태계",
        title_en: "The gRPC Ecosystem",
        open_next: &[
            "ch08-ecosystem/README.md",
            "ch08-ecosystem/src/gateway/mod.rs",
            "ch08-ecosystem/src/reflection.rs",
            "ch08-ecosystem/src/health.rs",
            "ch08-ecosystem/src/middleware/mod.rs",
            "exercises/ch08/README.md",
        ],
        run: |transcript| Box::pin(ch08::run(transcript)),
    },
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::CHAPTERS;

    /// Every chapter's list names files that exist, starting with its README and ending with
    /// its exercises.
    #[test]
    fn the_files_to_open_next_exist() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for chapter in CHAPTERS {
            let first = chapter.open_next.first().expect("a list");
            assert!(first.ends_with("/README.md"), "{}: {first}", chapter.key);
            assert_eq!(
                chapter.open_next.last(),
                Some(&format!("exercises/{}/README.md", chapter.key).as_str()),
            );
            for file in chapter.open_next {
                assert!(root.join(file).is_file(), "{}: {file}", chapter.key);
            }
        }
    }
}
