//! Inline SVG charts for the HTML report: plain shapes and text, no scripts, no fonts or images fetched (the page
//! styles the text with the system's fonts). Every label passes through `text::markup::escape`. Coordinates are
//! written with one decimal, so the same plan gives the same bytes.

use std::fmt::Write;

use crate::text::markup::escape;

/// The chart width in SVG units; the page scales it to its column.
const WIDTH: f64 = 900.0;
/// Fill colours, in series order (readable on white, distinct in greyscale by order of lightness).
pub(crate) const PALETTE: [&str; 8] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
];

fn open(height: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height:.1}\" width=\"100%\" role=\"img\" \
         aria-label=\"{}\">\n<title>{}</title>\n",
        escape(title),
        escape(title)
    )
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, content: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" class=\"{class}\">{}</text>",
        escape(content)
    );
}

/// One horizontal stacked bar per row (e.g. a TaskManager's memory components), scaled to the largest total, with a
/// legend of the components.
pub(crate) fn stacked_bars(
    title: &str,
    components: &[&str],
    rows: &[(String, Vec<u64>, String)],
) -> String {
    let label_width = 190.0;
    let bar_width = WIDTH - label_width - 110.0;
    let row_height = 30.0;
    let legend_rows = components.len().div_ceil(4) as f64;
    let height = 10.0 + rows.len() as f64 * row_height + 16.0 + legend_rows * 20.0;
    let mut out = open(height, title);
    let max = rows
        .iter()
        .map(|(_, values, _)| values.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    for (index, (label, values, total)) in rows.iter().enumerate() {
        let y = 10.0 + index as f64 * row_height;
        text(&mut out, label_width - 8.0, y + 18.0, "end", "label", label);
        let mut x = label_width;
        for (component, value) in values.iter().enumerate() {
            let width = *value as f64 / max * bar_width;
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"22\" fill=\"{}\"><title>{}</title></rect>",
                PALETTE[component % PALETTE.len()],
                escape(&format!(
                    "{label}: {}",
                    components.get(component).copied().unwrap_or("")
                ))
            );
            x += width;
        }
        text(&mut out, x + 6.0, y + 16.0, "start", "value", total);
    }
    let legend_top = 10.0 + rows.len() as f64 * row_height + 16.0;
    for (index, component) in components.iter().enumerate() {
        let x = label_width + (index % 4) as f64 * (bar_width / 4.0);
        let y = legend_top + (index / 4) as f64 * 20.0;
        let _ = writeln!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/>",
            y - 10.0,
            PALETTE[index % PALETTE.len()]
        );
        text(&mut out, x + 18.0, y, "start", "legend", component);
    }
    out.push_str("</svg>\n");
    out
}

/// Horizontal bars, one per label, scaled to the largest; `highlight` is drawn in the first colour, the others grey.
pub(crate) fn horizontal_bars(
    title: &str,
    rows: &[(String, f64, String)],
    highlight: Option<usize>,
) -> String {
    let label_width = 190.0;
    let bar_width = WIDTH - label_width - 140.0;
    let row_height = 30.0;
    let height = 20.0 + rows.len() as f64 * row_height;
    let mut out = open(height, title);
    let max = rows
        .iter()
        .map(|(_, value, _)| *value)
        .filter(|value| value.is_finite())
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    for (index, (label, value, shown)) in rows.iter().enumerate() {
        let y = 10.0 + index as f64 * row_height;
        let width = if value.is_finite() {
            value.max(0.0) / max * bar_width
        } else {
            0.0
        };
        text(&mut out, label_width - 8.0, y + 18.0, "end", "label", label);
        let fill = if Some(index) == highlight {
            PALETTE[0]
        } else {
            "#9aa5b1"
        };
        let _ = writeln!(
            out,
            "<rect x=\"{label_width:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"22\" fill=\"{fill}\"/>"
        );
        text(
            &mut out,
            label_width + width + 6.0,
            y + 16.0,
            "start",
            "value",
            shown,
        );
    }
    out.push_str("</svg>\n");
    out
}

/// A horizontal reference line across a plot (e.g. the target utilization).
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub value: f64,
    pub label: String,
}

/// The plot frame shared by the vertical charts: the area, the y scale and its ticks.
struct Frame {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    y_max: f64,
}

impl Frame {
    const HEIGHT: f64 = 300.0;

    fn new(y_max: f64) -> Self {
        Frame {
            left: 70.0,
            top: 34.0,
            width: WIDTH - 70.0 - 150.0,
            height: Self::HEIGHT - 34.0 - 50.0,
            y_max: nice_ceiling(y_max),
        }
    }

    fn y(&self, value: f64) -> f64 {
        self.top + self.height - value.clamp(0.0, self.y_max) / self.y_max * self.height
    }

    fn axes(&self, out: &mut String, y_label: &str, tick: impl Fn(f64) -> String) {
        for step in 0..=4 {
            let value = self.y_max * f64::from(step) / 4.0;
            let y = self.y(value);
            let _ = writeln!(
                out,
                "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" class=\"grid\"/>",
                self.left,
                self.left + self.width
            );
            text(out, self.left - 6.0, y + 4.0, "end", "tick", &tick(value));
        }
        text(out, 14.0, self.top - 16.0, "start", "axis", y_label);
    }

    fn rules(&self, out: &mut String, rules: &[Rule]) {
        for rule in rules {
            let y = self.y(rule.value);
            let _ = writeln!(
                out,
                "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" class=\"rule\"/>",
                self.left,
                self.left + self.width
            );
            text(
                out,
                self.left + self.width + 6.0,
                y + 4.0,
                "start",
                "rule-label",
                &rule.label,
            );
        }
    }
}

/// The smallest of 1, 2, 2.5 or 5 times a power of ten, times the four grid steps, at or above `value`: round
/// tick labels (25%, 50%, ...; 20, 40, ... minutes).
pub(crate) fn nice_ceiling(value: f64) -> f64 {
    if !(value.is_finite() && value > 0.0) {
        return 1.0;
    }
    let step = value / 4.0;
    let magnitude = 10f64.powf(step.log10().floor());
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|factor| factor * magnitude)
        .find(|candidate| *candidate >= step * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude);
    nice * 4.0
}

/// Vertical bars per category (`None`: no bar, its text shown instead), with reference lines.
pub(crate) fn vertical_bars(
    title: &str,
    y_label: &str,
    categories: &[(String, Option<f64>, String)],
    y_max: f64,
    rules: &[Rule],
    tick: impl Fn(f64) -> String,
) -> String {
    let frame = Frame::new(y_max);
    let mut out = open(Frame::HEIGHT, title);
    frame.axes(&mut out, y_label, tick);
    let slot = frame.width / categories.len().max(1) as f64;
    for (index, (label, value, shown)) in categories.iter().enumerate() {
        let x = frame.left + index as f64 * slot + slot * 0.2;
        if let Some(value) = value {
            let y = frame.y(*value);
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
                slot * 0.6,
                frame.top + frame.height - y,
                PALETTE[0]
            );
            text(&mut out, x + slot * 0.3, y - 5.0, "middle", "value", shown);
        } else {
            text(
                &mut out,
                x + slot * 0.3,
                frame.top + frame.height - 6.0,
                "middle",
                "value",
                shown,
            );
        }
        text(
            &mut out,
            x + slot * 0.3,
            frame.top + frame.height + 18.0,
            "middle",
            "tick",
            label,
        );
    }
    frame.rules(&mut out, rules);
    out.push_str("</svg>\n");
    out
}

/// Lines over `x_labels.len()` points, one per series (`None` breaks a line), with reference lines and a legend.
pub(crate) fn line_chart(
    title: &str,
    y_label: &str,
    x_labels: &[String],
    series: &[(String, Vec<Option<f64>>)],
    y_max: f64,
    rules: &[Rule],
    tick: impl Fn(f64) -> String,
) -> String {
    let frame = Frame::new(y_max);
    let legend_height = 20.0 * series.len() as f64;
    let mut out = open(Frame::HEIGHT + legend_height, title);
    frame.axes(&mut out, y_label, tick);
    let points = x_labels.len().max(2) - 1;
    let x = |index: usize| frame.left + index as f64 / points as f64 * frame.width;
    let label_every = x_labels.len().div_ceil(12).max(1);
    for (index, label) in x_labels.iter().enumerate() {
        if index % label_every == 0 || index + 1 == x_labels.len() {
            text(
                &mut out,
                x(index),
                frame.top + frame.height + 18.0,
                "middle",
                "tick",
                label,
            );
        }
    }
    frame.rules(&mut out, rules);
    for (number, (name, values)) in series.iter().enumerate() {
        let colour = PALETTE[number % PALETTE.len()];
        let mut segment: Vec<String> = Vec::new();
        let flush = |segment: &mut Vec<String>, out: &mut String| {
            if segment.len() > 1 {
                let _ = writeln!(
                    out,
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\"/>",
                    segment.join(" ")
                );
            } else if let Some(point) = segment.first()
                && let Some((px, py)) = point.split_once(',')
            {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{px}\" cy=\"{py}\" r=\"3\" fill=\"{colour}\"/>"
                );
            }
            segment.clear();
        };
        for (index, value) in values.iter().enumerate() {
            match value {
                Some(value) => segment.push(format!("{:.1},{:.1}", x(index), frame.y(*value))),
                None => flush(&mut segment, &mut out),
            }
        }
        flush(&mut segment, &mut out);
        let y = Frame::HEIGHT + 20.0 * number as f64;
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"14\" height=\"4\" fill=\"{colour}\"/>",
            frame.left,
            y - 8.0
        );
        text(
            &mut out,
            frame.left + 20.0,
            y - 2.0,
            "start",
            "legend",
            name,
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_no_script_appears() {
        let svg = horizontal_bars(
            "<script>",
            &[("a<b>\"c\"".to_string(), 1.0, "&".to_string())],
            Some(0),
        );
        assert!(svg.contains("a&lt;b&gt;&quot;c&quot;"), "{svg}");
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&amp;"), "{svg}");
    }

    #[test]
    fn ceilings_give_round_ticks() {
        assert_eq!(nice_ceiling(1.375), 2.0);
        assert_eq!(nice_ceiling(0.9), 1.0);
        assert_eq!(nice_ceiling(87.0), 100.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(f64::NAN), 1.0);
    }

    #[test]
    fn lines_break_where_values_are_missing() {
        let svg = line_chart(
            "t",
            "y",
            &["0".into(), "1".into(), "2".into(), "3".into()],
            &[("s".into(), vec![Some(0.1), Some(0.2), None, Some(0.4)])],
            1.0,
            &[Rule {
                value: 0.7,
                label: "target".into(),
            }],
            |v| format!("{v}"),
        );
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(svg.contains("class=\"rule\""));
    }
}
