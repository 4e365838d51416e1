//! Finished spans as log lines, for when no tracing backend is running.
//!
//! The book's OpenCensus samples printed to stdout with a `PrintExporter`; this is the same
//! idea on the `tracing` log every binary already has, so `RUST_LOG` filters it like the
//! rest (`RUST_LOG=info,ch07_ops::telemetry=off` hides it). One line per span:
//!
//! ```text
//! INFO Span ecommerce.ProductInfo/addProduct (Server) trace=4bf9…4736 span=00f0…02b7 parent=b7ad…6b1c 0.4 ms grpc=OK
//! ```

use std::fmt;

use opentelemetry::Value;
use opentelemetry::trace::{SpanId, Status};
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{SpanData, SpanExporter};

/// Writes each finished span as an `INFO` line.
#[derive(Debug, Default)]
pub struct LogExporter;

impl SpanExporter for LogExporter {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        for span in &batch {
            tracing::info!("{}", SpanLine(span));
        }
        Ok(())
    }
}

/// A span as one line: name, kind, ids, duration and how the call ended.
pub struct SpanLine<'a>(pub &'a SpanData);

impl fmt::Display for SpanLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let span = self.0;
        let elapsed = span
            .end_time
            .duration_since(span.start_time)
            .unwrap_or_default();
        write!(
            f,
            "Span {} ({:?}) trace={} span={}",
            span.name,
            span.span_kind,
            span.span_context.trace_id(),
            span.span_context.span_id(),
        )?;
        if span.parent_span_id != SpanId::INVALID {
            write!(f, " parent={}", span.parent_span_id)?;
        }
        write!(f, " {:.1} ms", elapsed.as_secs_f64() * 1000.0)?;
        let code = span
            .attributes
            .iter()
            .find(|attribute| attribute.key.as_str() == super::layer::STATUS_CODE_ATTRIBUTE);
        if let Some(code) = code
            && let Value::I64(code) = code.value
        {
            let code = tonic::Code::from_i32(code as i32);
            write!(f, " grpc={}", wire::status::spec_name(code))?;
        }
        if let Status::Error { description } = &span.status {
            write!(f, " error=\"{description}\"")?;
        }
        Ok(())
    }
}
