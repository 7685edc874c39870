//! Credentials for Flink's REST endpoint (usually behind a proxy that checks them). They come from the environment or
//! a file, never from the command line where `ps` shows them, and never appear in Debug output or errors.

use std::fmt;
use std::path::Path;

use super::RestError;

/// Bearer token variable; wins over user and password.
pub(crate) const TOKEN_VAR: &str = "FLINKTUNE_REST_TOKEN";
/// Basic auth user variable (with [`PASSWORD_VAR`]).
pub(crate) const USER_VAR: &str = "FLINKTUNE_REST_USER";
/// Basic auth password variable (with [`USER_VAR`]).
pub(crate) const PASSWORD_VAR: &str = "FLINKTUNE_REST_PASSWORD";

#[derive(Clone, Default, PartialEq, Eq)]
pub enum Auth {
    #[default]
    None,
    Basic {
        user: String,
        password: String,
    },
    Bearer(String),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Basic { user, .. } => f
                .debug_struct("Basic")
                .field("user", user)
                .field("password", &"<redacted>")
                .finish(),
            Self::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}

impl Auth {
    /// From the values of `TOKEN_VAR`, `USER_VAR` and `PASSWORD_VAR` (or their file equivalents): a token wins;
    /// a user without a password gets an empty one; empty values count as absent.
    pub fn from_values(
        token: Option<String>,
        user: Option<String>,
        password: Option<String>,
    ) -> Self {
        let present = |value: Option<String>| value.filter(|v| !v.is_empty());
        if let Some(token) = present(token) {
            return Self::Bearer(token);
        }
        match present(user) {
            Some(user) => Self::Basic {
                user,
                password: password.unwrap_or_default(),
            },
            None => Self::None,
        }
    }

    /// From the process environment.
    pub fn from_env() -> Self {
        let var = |name| std::env::var(name).ok();
        Self::from_values(var(TOKEN_VAR), var(USER_VAR), var(PASSWORD_VAR))
    }

    /// A secret kept in a file (first line, surrounding whitespace trimmed), e.g. a mounted Kubernetes secret. An
    /// empty file is an error: sending no credentials because a mount came up empty would fail far from the cause.
    pub fn read_secret_file(path: &Path) -> Result<String, RestError> {
        crate::edges::input_limits::read_secret_line(path, "token")
            .map_err(|error| RestError::from_input("secret file", error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_wins_and_empty_values_are_absent() {
        let auth = Auth::from_values(Some("t".into()), Some("u".into()), Some("p".into()));
        assert_eq!(auth, Auth::Bearer("t".into()));
        let auth = Auth::from_values(Some(String::new()), Some("u".into()), None);
        assert_eq!(
            auth,
            Auth::Basic {
                user: "u".into(),
                password: String::new()
            }
        );
        assert_eq!(
            Auth::from_values(None, Some(String::new()), Some("p".into())),
            Auth::None
        );
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let basic = Auth::from_values(None, Some("alice".into()), Some("hunter2".into()));
        let bearer = Auth::from_values(Some("s3cr3t-token".into()), None, None);
        let shown = format!("{basic:?} {bearer:?} {basic:#?}");
        assert!(shown.contains("alice"));
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains("s3cr3t"));
    }

    #[test]
    fn secret_file_first_line_trimmed() {
        let dir = std::env::temp_dir().join(format!("flinktune-auth-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("token");
        std::fs::write(&file, "  abc \nignored\n").unwrap();
        assert_eq!(Auth::read_secret_file(&file).unwrap(), "abc");
        let missing = Auth::read_secret_file(&dir.join("nope"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("secret file"), "{missing}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
