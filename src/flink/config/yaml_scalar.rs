//! Writing a value into a `config.yaml` so that Flink reads back exactly that string: the one YAML scalar writer
//! that `recommend`, `migrate` and the Kubernetes manifest share. Plain where YAML's core schema gives back the same
//! text (checked by reading it with our own standard-YAML reader), single-quoted otherwise (`"bar"`, `010`, `1e3`,
//! `null`, `True`, `a: b`, `x #y`).

use super::{Value, parse_standard_yaml};

/// `raw` as a plain scalar when that reads back as `raw`, else single-quoted.
pub(crate) fn yaml_scalar(raw: &str) -> String {
    let probe = format!("k: {raw}\n");
    let plain_round_trips = parse_standard_yaml("probe", &probe)
        .ok()
        .and_then(|loaded| {
            loaded
                .configuration
                .get("k")
                .map(|entry| entry.value.clone())
        })
        .is_some_and(|value| match &value {
            Value::Text(text) => text == raw,
            other => other.java_string() == raw,
        });
    if plain_round_trips {
        raw.to_string()
    } else {
        single_quoted(raw)
    }
}

/// Always a YAML string: single quotes, inner quotes doubled.
pub(crate) fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_only_where_yaml_reads_back_the_same_string() {
        for (raw, written) in [
            ("4", "4"),
            ("true", "true"),
            ("0.5", "0.5"),
            ("1728m", "1728m"),
            ("30 s", "30 s"),
            ("s3://bucket/ckpt", "s3://bucket/ckpt"),
            ("src:1,agg:4", "src:1,agg:4"),
            ("\"bar\"", "'\"bar\"'"),
            ("null", "'null'"),
            ("True", "'True'"),
            ("010", "'010'"),
            ("1e3", "'1e3'"),
            ("a: b", "'a: b'"),
            ("file:///tmp/a #1", "'file:///tmp/a #1'"),
            ("*x", "'*x'"),
            ("'q'", "'''q'''"),
        ] {
            assert_eq!(yaml_scalar(raw), written, "{raw}");
        }
    }
}
