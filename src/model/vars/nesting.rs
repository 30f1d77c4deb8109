//! The nesting limit that the expander and the reference scanner share.

/// Deeper nesting than this is reported as an error instead of recursing, so a
/// hostile input cannot overflow the stack.
pub(super) const MAX_NESTING: usize = 64;
