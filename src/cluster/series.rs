//! Statistics over one metric's samples (a vertex's busy time, a rate): mean, 95th percentile, coefficient of
//! variation, and whether the series varies too much (or is too short) to base a recommendation on.

use serde::{Deserialize, Serialize};
use statrs::statistics::{Data, OrderStatistics, Statistics};

/// Above this coefficient of variation (standard deviation over mean) a series is too unstable to trust: its spread
/// is more than half its level, so one sample more could move any figure derived from it by as much.
pub(crate) const UNSTABLE_CV: f64 = 0.5;
/// Fewer points than this say nothing about variation.
pub(crate) const MIN_POINTS: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct SeriesStats {
    /// Points that were numbers (missing and non-finite ones are left out).
    pub points: usize,
    pub mean: Option<f64>,
    pub p95: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Sample standard deviation over the mean; `None` with fewer than 2 points or a zero mean.
    pub cv: Option<f64>,
    /// Fewer than [`MIN_POINTS`] points, or a coefficient of variation above [`UNSTABLE_CV`].
    pub unstable: bool,
}

impl SeriesStats {
    /// Over the finite values of `series`.
    pub(crate) fn of(series: impl IntoIterator<Item = Option<f64>>) -> Self {
        let values: Vec<f64> = series
            .into_iter()
            .flatten()
            .filter(|v| v.is_finite())
            .collect();
        let points = values.len();
        if points == 0 {
            return Self {
                points,
                mean: None,
                p95: None,
                min: None,
                max: None,
                cv: None,
                unstable: true,
            };
        }
        let mean = values.iter().mean();
        let cv = if points >= MIN_POINTS && mean != 0.0 {
            Some(values.iter().std_dev() / mean.abs())
        } else if points >= MIN_POINTS && values.iter().all(|v| *v == 0.0) {
            // All zero: perfectly steady.
            Some(0.0)
        } else {
            None
        };
        let mut data = Data::new(values.clone());
        Self {
            points,
            mean: Some(mean),
            p95: Some(data.percentile(95)),
            min: Some(Statistics::min(values.iter())),
            max: Some(Statistics::max(values.iter())),
            cv,
            unstable: points < MIN_POINTS || cv.is_none_or(|cv| cv > UNSTABLE_CV),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn steady_series() {
        let stats = SeriesStats::of([Some(100.0), Some(110.0), Some(90.0), None, Some(f64::NAN)]);
        assert_eq!(stats.points, 3);
        assert!(close(stats.mean, 100.0));
        assert!(close(stats.cv, 0.1));
        assert!(close(stats.min, 90.0) && close(stats.max, 110.0));
        assert!(stats.p95.is_some_and(|p| (100.0..=110.0).contains(&p)));
        assert!(!stats.unstable);
    }

    #[test]
    fn p95_of_a_long_series() {
        let stats = SeriesStats::of((1..=100).map(|v| Some(f64::from(v))));
        assert!(
            stats.p95.is_some_and(|p| (94.0..=96.0).contains(&p)),
            "{:?}",
            stats.p95
        );
    }

    #[test]
    fn unstable_series() {
        assert!(SeriesStats::of([Some(1.0), Some(100.0), Some(2.0)]).unstable);
        let one = SeriesStats::of([Some(5.0)]);
        assert!(one.unstable && one.cv.is_none() && close(one.mean, 5.0));
        let none = SeriesStats::of([None, None]);
        assert!(none.unstable && none.mean.is_none());
    }

    #[test]
    fn zeros_are_steady() {
        let stats = SeriesStats::of([Some(0.0), Some(0.0), Some(0.0)]);
        assert!(close(stats.cv, 0.0));
        assert!(!stats.unstable);
    }
}
