//! A size with its range and where the figure comes from.

use std::fmt;
use std::ops::{Add, AddAssign};

/// Where a figure comes from, from the most to the least certain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// Files on disk in the build context.
    Measured,
    /// A knowledge table (base images, Debian package sizes).
    Table,
    /// A rule of thumb (toolchain downloads, build outputs, caches, Alpine packages).
    Heuristic,
    /// Nothing known: the range is wide on purpose.
    Unknown,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Measured => "measured",
            Source::Table => "table",
            Source::Heuristic => "heuristic",
            Source::Unknown => "unknown",
        }
    }

    /// The less certain of two sources (used when parts are added up).
    pub fn weaker(self, other: Source) -> Source {
        self.max(other)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A size in bytes: the best guess and the interval it is expected to fall in.
/// Invariant: `low <= bytes <= high`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bytes {
    pub low: u64,
    pub bytes: u64,
    pub high: u64,
}

impl Bytes {
    pub const ZERO: Bytes = Bytes {
        low: 0,
        bytes: 0,
        high: 0,
    };

    /// An exact figure.
    pub fn exact(bytes: u64) -> Bytes {
        Bytes {
            low: bytes,
            bytes,
            high: bytes,
        }
    }

    /// A best guess with its interval; the guess is clamped into it.
    pub fn range(low: u64, bytes: u64, high: u64) -> Bytes {
        let low = low.min(high);
        Bytes {
            low,
            bytes: bytes.clamp(low, high),
            high,
        }
    }

    /// `bytes` with a relative spread: `spread(100, 0.2, 0.5)` is 80..150.
    pub fn spread(bytes: u64, down: f64, up: f64) -> Bytes {
        Bytes::range(scale(bytes, 1.0 - down), bytes, scale(bytes, 1.0 + up))
    }

    /// Every bound multiplied by `factor`.
    pub fn scaled(self, factor: f64) -> Bytes {
        Bytes::range(
            scale(self.low, factor),
            scale(self.bytes, factor),
            scale(self.high, factor),
        )
    }

    pub fn is_zero(self) -> bool {
        self.high == 0
    }
}

/// `bytes * factor`, rounded, saturating at zero.
pub fn scale(bytes: u64, factor: f64) -> u64 {
    if factor <= 0.0 {
        return 0;
    }
    // Sizes are far below 2^52, so the round trip through f64 is exact enough.
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let scaled = (bytes as f64 * factor).round() as u64;
    scaled
}

impl Add for Bytes {
    type Output = Bytes;
    fn add(self, other: Bytes) -> Bytes {
        Bytes {
            low: self.low + other.low,
            bytes: self.bytes + other.bytes,
            high: self.high + other.high,
        }
    }
}

impl AddAssign for Bytes {
    fn add_assign(&mut self, other: Bytes) {
        *self = *self + other;
    }
}

impl std::iter::Sum for Bytes {
    fn sum<I: Iterator<Item = Bytes>>(iter: I) -> Bytes {
        iter.fold(Bytes::ZERO, Add::add)
    }
}

/// A part of a layer: its size, where the figure comes from and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub size: Bytes,
    pub source: Source,
    pub note: String,
}

impl Part {
    pub fn new(size: Bytes, source: Source, note: impl Into<String>) -> Part {
        Part {
            size,
            source,
            note: note.into(),
        }
    }
}

/// Human-readable decimal size, as `docker image ls` prints it: `7.8 MB`, `1.1 GB`.
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    #[allow(clippy::cast_precision_loss)]
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if value >= 100.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

pub const KB: u64 = 1000;
pub const MB: u64 = 1000 * 1000;
pub const KIB: u64 = 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes_use_decimal_units() {
        assert_eq!(human(999), "999 B");
        assert_eq!(human(7_800_000), "7.8 MB");
        assert_eq!(human(119_460_000), "119 MB");
        assert_eq!(human(1_650_000_000), "1.6 GB");
    }

    #[test]
    fn range_clamps_the_guess() {
        assert_eq!(Bytes::range(10, 5, 20).bytes, 10);
        assert_eq!(Bytes::spread(100, 0.2, 0.5), Bytes::range(80, 100, 150));
    }
}
