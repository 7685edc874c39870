//! The contents of the cgroup files that limit CPU and memory, parsed without touching the filesystem. Each parser
//! returns `None` for "no limit" and for anything it cannot read: a garbled file must never invent a limit.
//!
//! Formats are the kernel's: Documentation/admin-guide/cgroup-v2.rst ("cpu.max", "cpuset.cpus.effective",
//! "memory.max"), Documentation/scheduler/sched-bwc.rst (v1 "cpu.cfs_quota_us", "cpu.cfs_period_us"),
//! Documentation/admin-guide/cgroup-v1/cpusets.rst ("cpuset.cpus", list format) and
//! Documentation/admin-guide/cgroup-v1/memory.rst ("memory.limit_in_bytes").

use crate::flink::MemorySize;

/// The word cgroup v2 writes for "no limit" in `cpu.max` and `memory.max`.
const V2_UNLIMITED: &str = "max";

/// A v1 `memory.limit_in_bytes` at or above this is no limit. Unlimited reads as `PAGE_COUNTER_MAX` pages in bytes,
/// which depends on the page size (9223372036854771712 with 4 KiB pages, i64::MAX rounded down to a page); every
/// such value is far above 2^62 bytes (4 EiB), and no real limit comes near it.
const V1_MEMORY_UNLIMITED_FROM: u64 = 1 << 62;

/// `cpu.max`: `$MAX $PERIOD` in microseconds, `max` for no limit (cgroup-v2.rst, "cpu.max"). A lone quota uses the
/// kernel's default period.
pub(crate) fn parse_cpu_max(text: &str) -> Option<f64> {
    let mut fields = text.split_whitespace();
    let quota = fields.next()?;
    let period = fields.next().unwrap_or(DEFAULT_PERIOD_US_TEXT);
    if fields.next().is_some() || quota == V2_UNLIMITED {
        return None;
    }
    cpus_from_quota(quota.parse().ok()?, period.parse().ok()?)
}

/// The default CFS period, 100 ms (sched-bwc.rst: "The default values are: cpu.cfs_period_us=100ms").
const DEFAULT_PERIOD_US_TEXT: &str = "100000";

/// v1 `cpu.cfs_quota_us` and `cpu.cfs_period_us`: a quota of -1 (any negative value) is no limit (sched-bwc.rst).
pub(crate) fn parse_cfs_quota(quota: &str, period: &str) -> Option<f64> {
    let quota: i64 = quota.trim().parse().ok()?;
    let period: i64 = period.trim().parse().ok()?;
    cpus_from_quota(u64::try_from(quota).ok()?, u64::try_from(period).ok()?)
}

/// CPUs a quota allows per period, fractions kept (150000 per 100000 is 1.5 CPUs).
fn cpus_from_quota(quota_us: u64, period_us: u64) -> Option<f64> {
    if quota_us == 0 || period_us == 0 {
        return None;
    }
    Some(quota_us as f64 / period_us as f64)
}

/// A CPU list such as `0-3,8,10-11` (cpusets.rst, "list format"): the number of CPUs in it, or `None` when empty
/// or not a list.
pub(crate) fn count_cpu_list(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut count: u32 = 0;
    for item in text.split(',') {
        let item = item.trim();
        let cpus = match item.split_once('-') {
            Some((first, last)) => {
                let first: u32 = first.trim().parse().ok()?;
                let last: u32 = last.trim().parse().ok()?;
                last.checked_sub(first)?.checked_add(1)?
            }
            None => {
                let _cpu: u32 = item.parse().ok()?;
                1
            }
        };
        count = count.checked_add(cpus)?;
    }
    Some(count)
}

/// v2 `memory.max`: bytes, or `max` for no limit (cgroup-v2.rst, "memory.max").
pub(crate) fn parse_memory_max(text: &str) -> Option<MemorySize> {
    let text = text.trim();
    if text == V2_UNLIMITED {
        return None;
    }
    text.parse().ok().map(MemorySize::from_bytes)
}

/// v1 `memory.limit_in_bytes`: bytes, where the huge page-rounded maximum means no limit (memory.rst, and
/// [`V1_MEMORY_UNLIMITED_FROM`]).
pub(crate) fn parse_memory_limit_in_bytes(text: &str) -> Option<MemorySize> {
    let bytes: u64 = text.trim().parse().ok()?;
    (bytes < V1_MEMORY_UNLIMITED_FROM).then(|| MemorySize::from_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_max_keeps_fractions_and_knows_max() {
        assert_eq!(parse_cpu_max("max 100000\n"), None);
        assert_eq!(parse_cpu_max("150000 100000\n"), Some(1.5));
        assert_eq!(parse_cpu_max("400000 100000"), Some(4.0));
        assert_eq!(parse_cpu_max("50000"), Some(0.5));
        assert_eq!(parse_cpu_max(""), None);
        assert_eq!(parse_cpu_max("0 100000"), None);
        assert_eq!(parse_cpu_max("150000 0"), None);
        assert_eq!(parse_cpu_max("lots of cpus"), None);
        assert_eq!(parse_cpu_max("-5 100000"), None);
    }

    #[test]
    fn cfs_quota_minus_one_is_unlimited() {
        assert_eq!(parse_cfs_quota("-1\n", "100000\n"), None);
        assert_eq!(parse_cfs_quota("200000\n", "100000\n"), Some(2.0));
        assert_eq!(parse_cfs_quota("50000", "200000"), Some(0.25));
        assert_eq!(parse_cfs_quota("50000", ""), None);
        assert_eq!(parse_cfs_quota("x", "100000"), None);
    }

    #[test]
    fn cpu_lists_are_counted() {
        assert_eq!(count_cpu_list("0-3,8,10-11\n"), Some(7));
        assert_eq!(count_cpu_list("0"), Some(1));
        assert_eq!(count_cpu_list("0-1"), Some(2));
        assert_eq!(count_cpu_list("\n"), None);
        assert_eq!(count_cpu_list("3-1"), None);
        assert_eq!(count_cpu_list("0-3,"), None);
        assert_eq!(count_cpu_list("zero"), None);
        assert_eq!(count_cpu_list("0-4294967295"), None, "overflow is garbage");
    }

    #[test]
    fn memory_max_and_limit_in_bytes() {
        assert_eq!(parse_memory_max("max\n"), None);
        assert_eq!(
            parse_memory_max("4294967296\n"),
            Some(MemorySize::gibibytes(4))
        );
        assert_eq!(parse_memory_max("four gigs"), None);
        assert_eq!(parse_memory_limit_in_bytes("9223372036854771712\n"), None);
        assert_eq!(parse_memory_limit_in_bytes("9223372036854775807"), None);
        assert_eq!(parse_memory_limit_in_bytes("4611686018427387904"), None);
        assert_eq!(
            parse_memory_limit_in_bytes("2147483648\n"),
            Some(MemorySize::gibibytes(2))
        );
        assert_eq!(parse_memory_limit_in_bytes("-1"), None);
        assert_eq!(parse_memory_limit_in_bytes(""), None);
    }
}
