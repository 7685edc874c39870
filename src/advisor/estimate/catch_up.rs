//! How long a job needs after an outage before it is live again: the backlog of an outage of D (input kept
//! arriving) drains at the spare capacity. At utilization u the job processes 1/u of the input rate, so the spare
//! rate is (1/u - 1) of it and the backlog of D drains in D x u / (1 - u) (the reasoning behind the autoscaler's
//! `job.autoscaler.catch-up.duration`, reference/flink-rest-and-autoscaler.md). At the planned 70% that is 2.3x D.

use std::time::Duration;

/// The catch-up time after an outage of `outage` at `utilization` of capacity; none when there is no spare capacity.
pub(crate) fn catch_up_time(outage: Duration, utilization: f64) -> Option<Duration> {
    if !(0.0..1.0).contains(&utilization) {
        return None;
    }
    Some(outage.mul_f64(utilization / (1.0 - utilization)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spare_capacity_drains_the_backlog() {
        assert_eq!(
            catch_up_time(Duration::from_secs(60), 0.5),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            catch_up_time(Duration::from_secs(30), 0.75),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            catch_up_time(Duration::from_secs(60), 0.0),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn no_spare_capacity_never_catches_up() {
        assert_eq!(catch_up_time(Duration::from_secs(60), 1.0), None);
        assert_eq!(catch_up_time(Duration::from_secs(60), f64::NAN), None);
    }
}
