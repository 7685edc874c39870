//! Sizes and durations as reasons show them to people: `12.5 GiB`, `768 MiB`. Config values use Flink's own syntax
//! instead ([`super::SettingValue`]).

use crate::flink::MemorySize;

const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;

/// `768 MiB` below one gibibyte, `12.5 GiB` (one decimal, trailing `.0` dropped) above.
pub(crate) fn show(size: MemorySize) -> String {
    let bytes = size.bytes();
    if bytes < GIB {
        return format!("{} MiB", bytes / MIB);
    }
    let tenths = (bytes as f64 / GIB as f64 * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0} GiB")
    } else {
        format!("{tenths:.1} GiB")
    }
}

/// A CPU count: `8`, `1.5`.
pub(crate) fn cores(cores: f64) -> String {
    if cores.fract() == 0.0 {
        format!("{cores:.0}")
    } else {
        format!("{}", (cores * 100.0).round() / 100.0)
    }
}

/// A count and its noun, plural unless one: `1 warning`, `0 errors`, `2 notes`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_plural_unless_one() {
        assert_eq!(count(1, "warning"), "1 warning");
        assert_eq!(count(0, "error"), "0 errors");
        assert_eq!(count(2, "note"), "2 notes");
    }

    #[test]
    fn shows_sizes_and_cores_for_people() {
        assert_eq!(show(MemorySize::mebibytes(768)), "768 MiB");
        assert_eq!(show(MemorySize::gibibytes(64)), "64 GiB");
        assert_eq!(show(MemorySize::mebibytes(12_800)), "12.5 GiB");
        assert_eq!(cores(8.0), "8");
        assert_eq!(cores(1.5), "1.5");
    }
}
