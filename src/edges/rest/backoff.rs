//! Waits between retries of an idempotent GET: exponential, with full jitter so that several clients (or several
//! requests of one batch) do not retry in lockstep. The jitter comes from a tiny xorshift generator seeded from the
//! clock; it needs no cryptographic quality, so no `rand` crate.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// First wait before jitter; doubles per attempt.
pub(crate) const BASE: Duration = Duration::from_millis(200);
/// No single wait exceeds this.
pub(crate) const CAP: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    state: u64,
    base: Duration,
    cap: Duration,
}

impl Backoff {
    pub(crate) fn new(base: Duration, cap: Duration, seed: u64) -> Self {
        // xorshift must not start at zero.
        Self {
            state: seed | 1,
            base,
            cap,
        }
    }

    /// Seeded from the clock's nanoseconds.
    pub(crate) fn from_clock(base: Duration, cap: Duration) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Self::new(base, cap, nanos ^ 0x9E37_79B9_7F4A_7C15)
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.state = x;
        x
    }

    /// The wait after failed attempt `attempt` (1-based): uniform in [ceiling/2, ceiling] where
    /// ceiling = min(cap, base * 2^(attempt-1)). Half of it is kept so a retry never follows at once.
    pub(crate) fn delay(&mut self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(16);
        let ceiling = self.base.saturating_mul(factor).min(self.cap);
        let fraction = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        ceiling.mul_f64(0.5 + 0.5 * fraction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_within_bounds_and_caps() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_millis(1000), 42);
        for attempt in 1..=10 {
            let ceiling =
                Duration::from_millis(100 * (1 << (attempt - 1))).min(Duration::from_millis(1000));
            let delay = backoff.delay(attempt);
            assert!(
                delay <= ceiling && delay >= ceiling / 2,
                "{attempt}: {delay:?}"
            );
        }
    }

    #[test]
    fn jitter_varies() {
        let mut backoff = Backoff::new(BASE, CAP, 7);
        let delays: Vec<_> = (0..8).map(|_| backoff.delay(3)).collect();
        assert!(delays.windows(2).any(|w| w[0] != w[1]));
    }
}
