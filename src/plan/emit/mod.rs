//! The plan as people read it: one renderer per format over the same [`sections`] (a terminal table, Markdown for
//! pull requests, a self-contained HTML page with inline SVG charts), and JSON for scripts. Every format names
//! [`MARKER`] near its start, so that `-o` replaces a report flinktune wrote without `--force`.

pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod sections;
pub(crate) mod svg;
pub(crate) mod table;

use crate::text::table::Layout;

use super::Plan;

/// What every report says in its first lines.
pub(crate) const MARKER: &str = "flinktune plan";

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlanFormat {
    Table,
    Markdown,
    Json,
    Html,
}

/// One renderer per format.
pub(crate) trait Renderer {
    fn render(&self, plan: &Plan) -> String;
}

impl PlanFormat {
    fn renderer(self, layout: Layout) -> Box<dyn Renderer> {
        match self {
            PlanFormat::Table => Box::new(table::TableRenderer { layout }),
            PlanFormat::Markdown => Box::new(markdown::MarkdownRenderer),
            PlanFormat::Json => Box::new(json::JsonRenderer),
            PlanFormat::Html => Box::new(html::HtmlRenderer),
        }
    }
}

/// `plan` in `format`; `layout` only matters for the terminal table.
pub(crate) fn render(plan: &Plan, format: PlanFormat, layout: Layout) -> String {
    format.renderer(layout).render(plan)
}

/// Whether `head` (the first bytes of a file at the `-o` target) is a report flinktune wrote.
pub(crate) fn is_report(head: &[u8]) -> bool {
    let head = &head[..head.len().min(512)];
    head.windows(MARKER.len())
        .any(|window| window == MARKER.as_bytes())
}
