//! Shared by the fuzz targets.

use dockstage::diagnostic::Span;

/// Panics unless `span` is inside `source` and on character boundaries.
pub fn check_span(source: &str, what: &str, span: Span) {
    assert!(
        span.start <= span.end && span.end <= source.len(),
        "{what} span {span:?} out of bounds ({} bytes)",
        source.len()
    );
    assert!(
        source.is_char_boundary(span.start) && source.is_char_boundary(span.end),
        "{what} span {span:?} not on character boundaries"
    );
}
