//! The W3C trace context (`traceparent`, `tracestate`) in gRPC metadata.
//!
//! gRPC metadata is HTTP/2 headers, so the propagator only needs a way to read and write
//! headers: [`MetadataInjector`] and [`MetadataExtractor`] are that way. A `traceparent` looks
//! like `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`: version, trace id, the
//! sender's span id, flags (01: sampled). grpc-go's OpenTelemetry instrumentation sends the
//! same entry, so traces join across the two languages.

use http::HeaderMap;
use http::header::{HeaderName, HeaderValue};
use opentelemetry::Context;
use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator};
use opentelemetry_sdk::propagation::TraceContextPropagator;

/// Writes the span of `cx` into the outgoing call's metadata.
pub fn inject(cx: &Context, metadata: &mut HeaderMap) {
    TraceContextPropagator::new().inject_context(cx, &mut MetadataInjector(metadata));
}

/// Reads the caller's span from the incoming call's metadata: the parent for the server's
/// span. Without a valid `traceparent`, the context is empty and the server's span starts a
/// trace of its own.
pub fn extract(metadata: &HeaderMap) -> Context {
    TraceContextPropagator::new().extract(&MetadataExtractor(metadata))
}

/// Lets the propagator write entries into a call's metadata.
pub struct MetadataInjector<'a>(pub &'a mut HeaderMap);

impl Injector for MetadataInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        // The propagator only writes its own lower-case ASCII names and values.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(key.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            self.0.insert(name, value);
        }
    }
}

/// Lets the propagator read entries from a call's metadata; a value that is not text
/// reads as missing.
pub struct MetadataExtractor<'a>(pub &'a HeaderMap);

impl Extractor for MetadataExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key)?.to_str().ok()
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(HeaderName::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use opentelemetry::trace::{
        SpanContext, SpanId, TraceContextExt, TraceFlags, TraceId, TraceState,
    };

    use super::*;

    #[test]
    fn a_span_survives_the_round_trip_through_metadata() {
        let sent = SpanContext::new(
            TraceId::from(0x4bf9_2f35_77b3_4da6_a3ce_929d_0e0e_4736),
            SpanId::from(0x00f0_67aa_0ba9_02b7),
            TraceFlags::SAMPLED,
            false,
            TraceState::default(),
        );
        let mut metadata = HeaderMap::new();
        inject(
            &Context::new().with_remote_span_context(sent.clone()),
            &mut metadata,
        );
        assert_eq!(
            metadata["traceparent"],
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        );

        let received = extract(&metadata);
        let received = received.span().span_context().clone();
        assert_eq!(received.trace_id(), sent.trace_id());
        assert_eq!(received.span_id(), sent.span_id());
        assert!(received.is_remote());
    }

    #[test]
    fn garbage_starts_a_new_trace() {
        let mut metadata = HeaderMap::new();
        metadata.insert("traceparent", HeaderValue::from_static("00-zz-yy-01"));
        assert!(!extract(&metadata).span().span_context().is_valid());
    }
}
