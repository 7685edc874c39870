//! Quoting a word for a POSIX shell, so that printed command lines (`recommend --format flags`, `submit`, the
//! header of an emitted file) can be pasted as they are. Hand-written rather than shlex: shlex also quotes `=` and `%`,
//! which would turn `-Dparallelism.default=8` into `'-Dparallelism.default=8'` and change every printed flag.

/// Single-quotes a word when it holds anything a POSIX shell would interpret.
pub(crate) fn shell_quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=./:,@%+".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_the_shell_would_split_or_expand() {
        assert_eq!(
            shell_quote("-Dparallelism.default=8"),
            "-Dparallelism.default=8"
        );
        assert_eq!(
            shell_quote("-Dexecution.checkpointing.interval=30 s"),
            "'-Dexecution.checkpointing.interval=30 s'"
        );
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
