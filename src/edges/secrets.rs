//! The credentials this run holds (a REST token, a password and its Basic encoding), so that the one redaction step
//! before anything is printed (`crate::printable`) can remove them from any text: our messages, reqwest's errors, a
//! server's error body that echoes them. Held for the process's life; never printed, never written.

use std::sync::Mutex;

static HELD: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Remembers `secret` for redaction.
pub(crate) fn hold(secret: &str) {
    if secret.is_empty() {
        return;
    }
    let mut held = HELD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !held.iter().any(|s| s == secret) {
        held.push(secret.to_string());
    }
}

/// Every secret held so far.
pub(crate) fn held() -> Vec<String> {
    HELD.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}
