//! The plan on a terminal: the headline, then each section as a table from the one table factory
//! (src/text/table.rs), wrapped to the terminal's width.

use crate::text::table::{Layout, table};

use super::super::Plan;
use super::Renderer;
use super::sections::{headline, sections};

pub(crate) struct TableRenderer {
    pub(crate) layout: Layout,
}

impl Renderer for TableRenderer {
    fn render(&self, plan: &Plan) -> String {
        let mut out = headline(plan).join("\n");
        out.push('\n');
        for section in sections(plan) {
            out.push('\n');
            out.push_str(&section.title);
            out.push('\n');
            if !section.header.is_empty() {
                let mut rendered = table(self.layout, [""; 0]);
                rendered.set_header(section.header.clone());
                for row in &section.rows {
                    rendered.add_row(row.clone());
                }
                out.push_str(&rendered.to_string());
                out.push('\n');
            }
            for note in &section.notes {
                out.push_str("- ");
                out.push_str(note);
                out.push('\n');
            }
        }
        out
    }
}
