//! Network memory a TaskManager needs for its shuffles. Flink's docs ("Network memory tuning guide", "The number of
//! network buffers"): each input gate of a task takes `buffers-per-channel` (2) exclusive buffers per channel plus
//! `floating-buffers-per-gate` (8) floating ones; each result partition takes one buffer per subpartition plus one;
//! buffers are `taskmanager.memory.segment-size` (32 KiB). A task reading from p upstream subtasks and writing to p
//! downstream ones therefore needs p x 2 + 8 buffers in and p + 1 out, and a TaskManager runs one such task per slot
//! and shuffle. Flink fails the deployment with "Insufficient number of network buffers" below it.
//!
//! required = slots x shuffles per slot x ((p x buffers-per-channel + floating) + (p + 1)) x segment size

use crate::flink::MemorySize;

/// `taskmanager.network.memory.buffers-per-channel` (default 2).
pub(crate) const BUFFERS_PER_CHANNEL: u64 = 2;
/// `taskmanager.network.memory.floating-buffers-per-gate` (default 8).
pub(crate) const FLOATING_BUFFERS_PER_GATE: u64 = 8;
/// `taskmanager.memory.segment-size` (default 32 KiB).
pub(crate) const SEGMENT_SIZE: MemorySize = MemorySize::from_bytes(32 << 10);
/// Keyed exchanges per slot the plan assumes: a typical job has a source-to-keyed-operator and one more exchange.
pub(crate) const SHUFFLES_PER_SLOT: u64 = 2;

/// The buffers one task with one all-to-all input and output among `parallelism` subtasks needs.
pub(crate) fn buffers_per_task(parallelism: u32) -> u64 {
    let channels = u64::from(parallelism);
    channels
        .saturating_mul(BUFFERS_PER_CHANNEL)
        .saturating_add(FLOATING_BUFFERS_PER_GATE)
        .saturating_add(channels)
        .saturating_add(1)
}

/// The network memory a TaskManager with `slots` slots needs at `parallelism`, without headroom.
pub(crate) fn network_memory_needed(slots: u32, parallelism: u32) -> MemorySize {
    MemorySize::from_bytes(
        u64::from(slots)
            .saturating_mul(SHUFFLES_PER_SLOT)
            .saturating_mul(buffers_per_task(parallelism))
            .saturating_mul(SEGMENT_SIZE.bytes()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_slot_at_parallelism_one() {
        // 1 x 2 + 8 in, 1 + 1 out: 12 buffers per task, two tasks per slot.
        assert_eq!(buffers_per_task(1), 12);
        assert_eq!(
            network_memory_needed(1, 1),
            MemorySize::from_bytes(24 * 32 * 1024)
        );
    }

    #[test]
    fn grows_with_slots_times_parallelism() {
        // 8 slots at 400 subtasks: 8 x 2 x (800 + 8 + 401) buffers of 32 KiB = 604.5 MiB.
        assert_eq!(
            network_memory_needed(8, 400),
            MemorySize::from_bytes(8 * 2 * 1209 * 32 * 1024)
        );
        assert!(network_memory_needed(8, 400) < MemorySize::gibibytes(1));
        assert!(network_memory_needed(8, 800) > MemorySize::gibibytes(1));
        assert_eq!(network_memory_needed(0, 100), MemorySize::ZERO);
    }
}
