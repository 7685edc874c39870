//! The share of the host's cores the cluster's processes (JobManager and TaskManagers) used between two moments, from
//! their CPU time in `/proc/PID/stat` (utime and stime, fields 14 and 15, counted for all threads, in USER_HZ ticks:
//! 100 per second on Linux, proc(5)). Measured over the whole gap between two readings, where the TaskManager's own
//! `Status.JVM.CPU.Load` is one JVM at one moment: on this 2-core host a job that keeps the cores busy shows its
//! TaskManager at 89-91%, the JobManager and the bench's REST polling taking the rest, and was refused as not
//! saturated by the TaskManager's figure alone.

use std::time::Instant;

/// `/proc`'s clock ticks per second (USER_HZ, fixed for user space on Linux).
const TICKS_PER_SECOND: f64 = 100.0;

/// CPU time used by a set of processes so far, and when it was read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CpuTime {
    at: Instant,
    ticks: u64,
}

/// The CPU time `pids` have used so far; `None` if any of them cannot be read (not Linux, or a process gone: a
/// sum without it would read as idle time).
pub(crate) fn cpu_time(pids: &[u32]) -> Option<CpuTime> {
    if pids.is_empty() {
        return None;
    }
    let at = Instant::now();
    let mut ticks = 0;
    for pid in pids {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        ticks += used_ticks(&stat)?;
    }
    Some(CpuTime { at, ticks })
}

/// utime + stime of one `/proc/PID/stat` line. The command name (field 2) is in parentheses and may hold spaces, so
/// the fields are counted from after its closing one: state is field 3, utime 14, stime 15.
fn used_ticks(stat: &str) -> Option<u64> {
    let (_, after_name) = stat.rsplit_once(')')?;
    let mut fields = after_name.split_whitespace().skip(14 - 3);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

/// The share of `cores` used from `before` to `after` (1.0: every core all the time).
pub(crate) fn share(before: CpuTime, after: CpuTime, cores: usize) -> Option<f64> {
    let seconds = after.at.checked_duration_since(before.at)?.as_secs_f64();
    let used = after.ticks.checked_sub(before.ticks)? as f64 / TICKS_PER_SECOND;
    (seconds > 0.0 && cores > 0).then(|| used / seconds / cores as f64)
}

/// The parse and the share on made-up figures; run by the bench's self-check.
pub(crate) fn self_check() {
    let line =
        "4242 (java worker (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1500 250 0 0 20 0 90 0 300";
    assert_eq!(used_ticks(line), Some(1750));
    assert_eq!(used_ticks("garbage"), None);
    let start = Instant::now();
    let before = CpuTime {
        at: start,
        ticks: 1000,
    };
    let after = CpuTime {
        at: start + std::time::Duration::from_secs(10),
        ticks: 2800,
    };
    // 18 s of CPU in 10 s on 2 cores: 90%.
    assert_eq!(share(before, after, 2), Some(0.9));
    assert_eq!(share(after, before, 2), None);
}
