//! One redaction step for everything flinktune prints: credentials never reach stdout or stderr, whoever wrote the
//! text (our messages, reqwest's errors, a REST server's error body that echoes the request's Authorization header).
//! What is removed: user info in any URL (`http://user:password@host`), the value after `Authorization:` and after
//! `Bearer ` or `Basic `, and every credential flinktune holds (the token, the password, their Basic encoding).

/// What replaces a secret.
pub(crate) const REDACTED: &str = "<redacted>";

/// `text` with URL user info, authorization values and each of `secrets` replaced by [`REDACTED`].
pub(crate) fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = redact_userinfo(text);
    out = redact_after_words(&out);
    for secret in secrets {
        // Short secrets would redact ordinary words; a real token or password is longer.
        if secret.len() >= MIN_SECRET_CHARS && out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), REDACTED);
        }
    }
    out
}

/// Secrets shorter than this are not searched for in output (a one-letter password would blank every "a").
const MIN_SECRET_CHARS: usize = 4;

/// `scheme://user:pass@host` -> `scheme://<redacted>@host`, wherever it appears.
fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find("://") {
        let (before, after) = rest.split_at(index + 3);
        out.push_str(before);
        let authority_end = after
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '"' | '\'' | '<' | '>') || c.is_whitespace()
            })
            .unwrap_or(after.len());
        let authority = &after[..authority_end];
        match authority.rfind('@') {
            Some(at) => {
                out.push_str(REDACTED);
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &after[authority_end..];
    }
    out.push_str(rest);
    out
}

/// The credential after `Authorization:` (keeping a `Bearer` or `Basic` scheme word) and after `Bearer ` or
/// `Basic ` (any case) when what follows looks like a credential, not prose ("basic auth" stays).
fn redact_after_words(text: &str) -> String {
    const WORDS: [(&str, bool); 3] = [
        ("authorization:", true),
        ("bearer ", false),
        ("basic ", false),
    ];
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut position = 0;
    loop {
        let next = WORDS
            .iter()
            .filter_map(|(word, always)| {
                lower
                    .get(position..)
                    .and_then(|rest| rest.find(word))
                    .map(|i| (position + i, word.len(), *always))
            })
            .min();
        let Some((start, length, always)) = next else {
            break;
        };
        let after_word = start + length;
        let (mut value_start, mut value_end) = word_after(text, after_word);
        let mut value = text.get(value_start..value_end).unwrap_or_default();
        let scheme = value.eq_ignore_ascii_case("bearer") || value.eq_ignore_ascii_case("basic");
        if scheme && always {
            // `Authorization: Bearer xyz`: keep the scheme word, redact what follows it.
            (value_start, value_end) = word_after(text, value_end);
            value = text.get(value_start..value_end).unwrap_or_default();
        }
        out.push_str(text.get(position..value_start).unwrap_or_default());
        let keep = value.is_empty()
            || value == REDACTED
            || (!always && (scheme || !looks_like_credential(value)));
        out.push_str(if keep { value } else { REDACTED });
        position = value_end.max(after_word);
    }
    out.push_str(text.get(position..).unwrap_or_default());
    out
}

/// The word that starts after `from` (past blanks): its start and end.
fn word_after(text: &str, from: usize) -> (usize, usize) {
    let rest = text.get(from..).unwrap_or_default();
    let start = from + (rest.len() - rest.trim_start().len());
    let end = text
        .get(start..)
        .unwrap_or_default()
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '}' | ')'))
        .map_or(text.len(), |i| start + i);
    (start, end)
}

/// A token68 word (RFC 7235) of 8 or more characters with a digit, a symbol or an inner capital: a bearer token or
/// Basic credentials, not an English word.
fn looks_like_credential(value: &str) -> bool {
    let token68 = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '+' | '/' | '='));
    let unlike_a_word = value
        .chars()
        .any(|c| c.is_ascii_digit() || !c.is_ascii_alphanumeric())
        || value.chars().skip(1).any(|c| c.is_ascii_uppercase());
    value.len() >= 8 && token68 && unlike_a_word
}

/// The Basic encoding of `user:password`, so that an echoed `Authorization: Basic ...` is found even when split.
pub(crate) fn basic_encoding(user: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{user}:{password}");
    let mut out = String::new();
    for chunk in input.as_bytes().chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_user_info_is_removed_anywhere() {
        assert_eq!(
            redact("invalid REST URL \"http://alice:hunter2@jm:bad\": x", &[]),
            "invalid REST URL \"http://<redacted>@jm:bad\": x"
        );
        assert_eq!(redact("http://jm:8081/jobs", &[]), "http://jm:8081/jobs");
    }

    #[test]
    fn authorization_values_and_held_secrets_are_removed() {
        assert_eq!(
            redact("401: {\"h\": \"Authorization: Bearer abc.def\"}", &[]),
            "401: {\"h\": \"Authorization: Bearer <redacted>\"}"
        );
        assert_eq!(
            redact("echo: authorization=Basic YWxpY2U6aHVudGVyMg==", &[]),
            "echo: authorization=Basic <redacted>"
        );
        assert_eq!(
            redact("token s3cr3t-token leaked", &["s3cr3t-token".into()]),
            "token <redacted> leaked"
        );
        assert_eq!(
            redact("a basic mistake; basic auth", &[]),
            "a basic mistake; basic auth"
        );
        assert_eq!(
            redact("Authorization: token-without-scheme", &[]),
            "Authorization: <redacted>"
        );
        assert_eq!(redact("no secrets here", &[]), "no secrets here");
    }

    #[test]
    fn basic_encoding_matches_rfc_7617() {
        assert_eq!(
            basic_encoding("Aladdin", "open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(basic_encoding("alice", "hunter2"), "YWxpY2U6aHVudGVyMg==");
    }
}
