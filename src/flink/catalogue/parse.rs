//! Reads `options.tsv` (its format is in the file's header). Rows or entries that do not parse are skipped and
//! counted, never a panic: the file is generated, and a test holds the committed one to zero skips.

use super::option_info::{KeyHistory, OptionInfo, ValueType};
use crate::flink::version::FlinkVersion;

/// The rows of the file that parsed, in file order, and how many did not.
pub(crate) struct Parsed {
    pub(crate) histories: Vec<KeyHistory>,
    pub(crate) skipped: usize,
}

pub(crate) fn parse(text: &str) -> Parsed {
    let mut histories = Vec::new();
    let mut skipped = 0;
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_row(line) {
            Some(history) => histories.push(history),
            None => skipped += 1,
        }
    }
    Parsed { histories, skipped }
}

/// `KEY SINCE UNTIL ENTRY...`, tab-separated.
fn parse_row(line: &str) -> Option<KeyHistory> {
    let mut columns = line.split('\t');
    let key = columns.next().filter(|key| !key.is_empty())?;
    let since: FlinkVersion = columns.next()?.parse().ok()?;
    let until = match columns.next()? {
        "" => None,
        text => Some(text.parse().ok()?),
    };
    let entries = columns
        .map(|entry| parse_entry(key, entry))
        .collect::<Option<Vec<_>>>()?;
    if entries.is_empty() {
        return None;
    }
    Some(KeyHistory {
        key: key.to_string(),
        since,
        until,
        entries,
    })
}

/// `LINE:-` or `LINE:TYPE|DEFAULT|FALLBACKS|FLAGS|CLASS`.
fn parse_entry(key: &str, entry: &str) -> Option<(FlinkVersion, Option<OptionInfo>)> {
    let (line, rest) = entry.split_once(':')?;
    let from: FlinkVersion = line.parse().ok()?;
    if rest == "-" {
        return Some((from, None));
    }
    let fields = split_unescaped(rest, '|');
    let [value_type, default, fallbacks, flags, class] = fields.as_slice() else {
        return None;
    };
    let flags: Vec<&str> = flags.split(',').collect();
    let info = OptionInfo {
        key: key.to_string(),
        value_type: ValueType::parse(value_type),
        default: default.strip_prefix('=').map(unescape),
        fallback_keys: fallbacks
            .split(',')
            .filter(|fallback| !fallback.is_empty())
            .map(|fallback| match fallback.strip_prefix('!') {
                Some(deprecated) => (deprecated.to_string(), true),
                None => (fallback.to_string(), false),
            })
            .collect(),
        deprecated: flags.contains(&"deprecated"),
        map_prefix: flags.contains(&"map-prefix"),
        pattern: flags.contains(&"pattern"),
        internal: flags.contains(&"internal"),
        declaring_class: unescape(class),
    };
    Some((from, Some(info)))
}

/// Splits on `separator` where it is not escaped by a backslash; the parts keep their escapes.
fn split_unescaped(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == separator {
            parts.push(&text[start..index]);
            start = index + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

/// `\t` `\n` `\r` become the control characters; a backslash before anything else stands for that character.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_unescaped_separators_and_unescapes() {
        assert_eq!(split_unescaped(r"a|b\|c|", '|'), vec!["a", r"b\|c", ""]);
        assert_eq!(unescape(r"b\|c\\d\te"), "b|c\\d\te");
        assert_eq!(unescape("trailing\\"), "trailing\\");
    }

    #[test]
    fn reads_rows_and_skips_malformed_ones() {
        let text = "# comment\n\
                    a.b\t1.15\t1.16\t1.15:Integer|=1|!old,other|deprecated|CoreOptions\t1.17:-\n\
                    broken\n\
                    c.d\t1.15\t\t1.15:String|||\n\
                    e.f\t9.9\t\t9.9:String||||X\n\
                    g.h\t1.17\t\t1.17:List<enum:Mode(A,B)>|=A\\|B;A||map-prefix,pattern|Y\n";
        let parsed = parse(text);
        assert_eq!(parsed.skipped, 3);
        let [first, second] = parsed.histories.as_slice() else {
            panic!("two rows expected, got {}", parsed.histories.len());
        };
        assert_eq!(first.until, Some(FlinkVersion::line(1, 16)));
        let info = first.at(FlinkVersion::line(1, 16)).unwrap();
        assert_eq!(info.value_type, ValueType::Integer);
        assert_eq!(info.default.as_deref(), Some("1"));
        assert_eq!(
            info.fallback_keys,
            vec![("old".to_string(), true), ("other".to_string(), false)]
        );
        assert!(info.deprecated && !info.map_prefix);
        assert!(first.at(FlinkVersion::line(1, 17)).is_none());
        let info = second.at("1.20.3".parse().unwrap()).unwrap();
        assert_eq!(
            info.value_type,
            ValueType::List(Box::new(ValueType::Enum(vec!["A".into(), "B".into()])))
        );
        assert_eq!(info.default.as_deref(), Some("A|B;A"));
        assert!(info.map_prefix && info.pattern && !info.deprecated);
        assert!(second.at(FlinkVersion::line(1, 16)).is_none());
    }
}
