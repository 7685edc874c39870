//! Text placed in HTML or SVG: every string that did not come from our own templates (host type names, profile
//! names, messages that quote the user's input) goes through [`escape`], in text and in attribute values alike.

/// `&`, `<`, `>`, `"` and `'` as character references; control characters other than tab and newline dropped
/// (XML 1.0 forbids them, and an SVG with one does not render).
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\"\u{1b}[31m"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;[31m"
        );
    }
}
