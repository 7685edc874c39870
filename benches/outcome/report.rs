//! The outcome table in markdown: per shape and configuration the sustained rate, its ratio to Flink's defaults
//! measured in the same run, the configuration as the cluster ran it, and the preconditions' numbers or why there is
//! no figure; the grid's best point stands for the grid, every point is listed below.

use std::fmt::Write as _;

use crate::approach::Approach;
use crate::readings::Measurement;
use crate::shape::Shape;

/// One configuration's outcome.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub approach: Approach,
    pub outcome: Result<Measurement, String>,
    /// The configuration as run (slots, parallelism, memory, backend, checkpoints) or what made it.
    pub config: String,
    pub made_by: String,
}

/// A shape's rows, in the order run.
#[derive(Debug, Clone)]
pub(crate) struct ShapeResult {
    pub shape: Shape,
    pub rows: Vec<Row>,
}

impl ShapeResult {
    fn defaults(&self) -> Option<f64> {
        self.rows
            .iter()
            .find(|row| matches!(row.approach, Approach::Defaults))
            .and_then(|row| row.outcome.as_ref().ok())
            .map(|m| m.rate)
    }

    /// The best measured grid point, if any.
    fn best_grid(&self) -> Option<&Row> {
        self.rows
            .iter()
            .filter(|row| matches!(row.approach, Approach::Grid(_)))
            .filter_map(|row| row.outcome.as_ref().ok().map(|m| (row, m.rate)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(row, _)| row)
    }
}

fn rate_cell(outcome: &Result<Measurement, String>) -> String {
    match outcome {
        Ok(m) => format!(
            "{} ({}-{})",
            thousands(m.rate),
            thousands(m.min_rate),
            thousands(m.max_rate)
        ),
        Err(_) => "**failed**".into(),
    }
}

fn ratio_cell(outcome: &Result<Measurement, String>, defaults: Option<f64>) -> String {
    match (outcome, defaults) {
        (Ok(m), Some(base)) => format!("{:.2}x", m.rate / base),
        (Ok(_), None) => "n/a (defaults failed)".into(),
        (Err(_), _) => "-".into(),
    }
}

fn grid_ratio_cell(outcome: &Result<Measurement, String>, best: Option<f64>) -> String {
    match (outcome, best) {
        (Ok(m), Some(best)) => format!("{:.2}x", m.rate / best),
        _ => "-".into(),
    }
}

fn notes_cell(outcome: &Result<Measurement, String>) -> String {
    match outcome {
        Ok(m) => m.saturation.clone(),
        Err(reason) => reason.replace('|', "/"),
    }
}

/// `1234567.8` as `1,234,568`.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The whole report: `header` (host, load, timing), the summary table, the grids, the shapes and the commands.
pub(crate) fn markdown(header: &str, results: &[ShapeResult]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{header}\n");
    let _ = writeln!(
        out,
        "| shape | configuration | records/s (min-max of readings) | vs defaults | vs best of grid | config used | preconditions |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---|---|");
    for result in results {
        let defaults = result.defaults();
        let best = result
            .best_grid()
            .and_then(|row| row.outcome.as_ref().ok())
            .map(|m| m.rate);
        for row in &result.rows {
            if matches!(row.approach, Approach::Grid(_)) {
                continue;
            }
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                result.shape.name,
                row.approach.label(),
                rate_cell(&row.outcome),
                ratio_cell(&row.outcome, defaults),
                grid_ratio_cell(&row.outcome, best),
                row.config,
                notes_cell(&row.outcome)
            );
        }
        let grid_points = result
            .rows
            .iter()
            .filter(|row| matches!(row.approach, Approach::Grid(_)))
            .count();
        match result.best_grid() {
            Some(best) => {
                let _ = writeln!(
                    out,
                    "| {} | best of grid ({grid_points} points): {} | {} | {} | 1.00x | {} | {} |",
                    result.shape.name,
                    best.approach.label(),
                    rate_cell(&best.outcome),
                    ratio_cell(&best.outcome, defaults),
                    best.config,
                    notes_cell(&best.outcome)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "| {} | best of grid ({grid_points} points) | **failed** | - | - | - | no grid point gave a figure |",
                    result.shape.name
                );
            }
        }
    }
    let _ = writeln!(out, "\n### Every grid point\n");
    let _ = writeln!(
        out,
        "| shape | grid point (slots x parallelism, backend, TM process) | records/s | vs defaults | config used | preconditions |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---|---|");
    for result in results {
        let defaults = result.defaults();
        for row in result
            .rows
            .iter()
            .filter(|row| matches!(row.approach, Approach::Grid(_)))
        {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                result.shape.name,
                row.approach.label(),
                rate_cell(&row.outcome),
                ratio_cell(&row.outcome, defaults),
                row.config,
                notes_cell(&row.outcome)
            );
        }
    }
    let _ = writeln!(out, "\n### Shapes and commands\n");
    for result in results {
        let _ = writeln!(
            out,
            "- **{}** (`tests/jobs/{}.java {}`): {}",
            result.shape.name,
            result.shape.class,
            result.shape.args.join(" "),
            result.shape.about
        );
        for row in result
            .rows
            .iter()
            .filter(|row| !matches!(row.approach, Approach::Grid(_)))
        {
            let _ = writeln!(out, "  - {}: {}", row.approach.label(), row.made_by);
        }
    }
    out
}
