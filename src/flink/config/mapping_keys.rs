//! The keys of one YAML mapping, so that the flattener refuses a key given twice in one mapping, as Flink does
//! ("found duplicate key"; docs/flink-config-files.md).
//!
//! A key is not copied to be remembered: it is found again in the mapping's flattened entries, where the flattener has
//! already put it (`key` for a scalar or a sequence, `key.child...` for a nested mapping). A file of 300,000 keys
//! otherwise copied each one, and the copies, freed between the strings the configuration keeps, left the heap so
//! fragmented that `check` ran a third slower (issue 12).

use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

use super::{Origin, Value};

/// One flattened entry of a mapping: `(dotted key relative to the mapping, value, origin)`.
pub(super) type FlatEntry = (String, Value, Origin);

/// A key remembered with the line it is on, and its hash: the table grows without going back to the entries.
struct Remembered {
    hash: u64,
    text: KeyText,
    line: usize,
}

/// Where a remembered key's text is.
enum KeyText {
    /// The first `len` bytes of the key of `entries[index]`.
    InEntry { index: usize, len: usize },
    /// A key whose value added no entry (an empty mapping): kept as its own copy, which real files rarely need.
    Own(Box<str>),
}

impl KeyText {
    fn as_str<'e>(&'e self, entries: &'e [FlatEntry]) -> &'e str {
        match self {
            KeyText::InEntry { index, len } => &entries[*index].0[..*len],
            KeyText::Own(text) => text,
        }
    }
}

/// The keys read so far in one mapping.
#[derive(Default)]
pub(super) struct MappingKeys {
    table: HashTable<Remembered>,
    hasher: DefaultHashBuilder,
}

impl MappingKeys {
    pub(super) fn with_capacity(keys: usize) -> Self {
        MappingKeys {
            table: HashTable::with_capacity(keys),
            hasher: DefaultHashBuilder::default(),
        }
    }

    /// The line where `key` was given before in this mapping, if it was.
    pub(super) fn line_of(&self, key: &str, entries: &[FlatEntry]) -> Option<usize> {
        let hash = self.hasher.hash_one(key);
        self.table
            .find(hash, |known| {
                known.hash == hash && known.text.as_str(entries) == key
            })
            .map(|known| known.line)
    }

    /// Remembers a key of `key_len` bytes on `line`, whose value's entries start at `entries[first]`; `key` is the key
    /// itself when its value added no entry.
    pub(super) fn remember(
        &mut self,
        entries: &[FlatEntry],
        first: usize,
        key_len: usize,
        key_without_entry: Option<String>,
        line: usize,
    ) {
        let text = match key_without_entry {
            Some(key) => KeyText::Own(key.into_boxed_str()),
            None => KeyText::InEntry {
                index: first,
                len: key_len,
            },
        };
        let hash = self.hasher.hash_one(text.as_str(entries));
        self.table
            .insert_unique(hash, Remembered { hash, text, line }, |known| known.hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str) -> FlatEntry {
        (
            key.to_string(),
            Value::Text("v".into()),
            Origin::DynamicProperty,
        )
    }

    #[test]
    fn keys_are_found_in_their_entries_and_by_their_own_copy() {
        let mut keys = MappingKeys::default();
        let mut entries = vec![entry("a")];
        keys.remember(&entries, 0, 1, None, 1);
        entries.extend([entry("b.x"), entry("b.y")]);
        keys.remember(&entries, 1, 1, None, 2);
        keys.remember(&entries, 3, 1, Some("c".into()), 4);
        assert_eq!(keys.line_of("a", &entries), Some(1));
        assert_eq!(keys.line_of("b", &entries), Some(2));
        assert_eq!(keys.line_of("c", &entries), Some(4));
        assert_eq!(
            keys.line_of("b.x", &entries),
            None,
            "a child is not a key of this mapping"
        );
        assert_eq!(keys.line_of("d", &entries), None);
    }

    #[test]
    fn thousands_of_keys_survive_the_table_growing() {
        let mut keys = MappingKeys::default();
        let mut entries = Vec::new();
        for index in 0..5000 {
            let key = format!("key.{index}");
            let len = key.len();
            entries.push(entry(&key));
            keys.remember(&entries, index, len, None, index + 1);
        }
        assert!(
            (0..5000)
                .all(|index| keys.line_of(&format!("key.{index}"), &entries) == Some(index + 1))
        );
        assert_eq!(keys.line_of("key.5000", &entries), None);
    }
}
