//! A line diff for `recommend --check`: what changed between the committed file and the one flinktune would write
//! now. The diff itself is similar's (Myers over lines); the printing is ours, a compact form with `-`/`+` and a
//! line of context around each change.

use similar::{Algorithm, ChangeTag, capture_diff_slices};

/// `-` lines from `old`, `+` lines from `new`, one line of context, `@@ line N @@` before each hunk. Empty when equal.
pub(crate) fn line_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // (kind, line, index of the old line it sits at), in order; an insertion sits before the next old line.
    let mut ops = Vec::new();
    let mut old_index = 0;
    for change in capture_diff_slices(Algorithm::Myers, &a, &b)
        .iter()
        .flat_map(|op| op.iter_changes(&a, &b))
    {
        let kind = match change.tag() {
            ChangeTag::Equal => ' ',
            ChangeTag::Delete => '-',
            ChangeTag::Insert => '+',
        };
        ops.push((kind, change.value(), old_index));
        if kind != '+' {
            old_index += 1;
        }
    }
    let changed: Vec<bool> = ops.iter().map(|(kind, _, _)| *kind != ' ').collect();
    let mut out = String::new();
    let mut in_hunk = false;
    for (index, (kind, line, old_index)) in ops.iter().enumerate() {
        let near_change = changed[index]
            || changed.get(index + 1).copied().unwrap_or(false)
            || (index > 0 && changed[index - 1]);
        if near_change {
            if !in_hunk {
                out.push_str(&format!("@@ line {} @@\n", old_index + 1));
                in_hunk = true;
            }
            out.push_str(&format!("{kind}{line}\n"));
        } else {
            in_hunk = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_changed_lines_with_context() {
        let old = "a\nb\nc\nd\ne\n";
        let new = "a\nb\nC\nd\ne\nf\n";
        assert_eq!(
            line_diff(old, new),
            "@@ line 2 @@\n b\n-c\n+C\n d\n e\n+f\n"
        );
        assert_eq!(line_diff(old, old), "");
        let far = "1\n2\n3\n4\n5\n6\n";
        assert_eq!(
            line_diff(far, "0\n2\n3\n4\n5\n7\n"),
            "@@ line 1 @@\n-1\n+0\n 2\n@@ line 5 @@\n 5\n-6\n+7\n"
        );
    }
}
