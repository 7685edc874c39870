//! The catalogue as one release reads it, resolved once for a whole run of questions: `check` asks about every key of
//! a file that may hold 300,000 (issue 12), and finding the release's index for each key (a lock, a map lookup and a
//! reference count every time) cost more than the answers. "Did you mean" keeps its working buffers here too, so that
//! asking it for key after key allocates nothing.

use std::sync::Arc;

use super::line_index::LineIndex;
use super::near_keys::Scratch;
use super::option_info::{KeyHistory, OptionInfo};
use super::{Catalogue, PASSTHROUGH_PREFIXES};
use crate::flink::version::FlinkVersion;

/// [`Catalogue`]'s answers for one release, with its index resolved.
#[derive(Debug)]
pub(crate) struct Release<'c> {
    catalogue: &'c Catalogue,
    version: FlinkVersion,
    index: Arc<LineIndex>,
    scratch: Scratch,
}

impl<'c> Release<'c> {
    pub(super) fn new(
        catalogue: &'c Catalogue,
        version: FlinkVersion,
        index: Arc<LineIndex>,
    ) -> Self {
        Release {
            catalogue,
            version,
            index,
            scratch: Scratch::default(),
        }
    }

    pub(crate) fn version(&self) -> FlinkVersion {
        self.version
    }

    /// The key's history if any release line flinktune knows has it ([`Catalogue::any_version`]).
    pub(crate) fn history(&self, key: &str) -> Option<&'c KeyHistory> {
        self.catalogue.any_version(key)
    }

    /// [`Catalogue::owner_of_fallback`] in this release.
    pub(crate) fn owner_of_fallback(&self, key: &str) -> Option<&'c OptionInfo> {
        self.catalogue.owner_of_fallback(key, self.version)
    }

    /// Whether this release reads `key` as an entry of a map option, an instance of a `<placeholder>` key or a setting
    /// passed through to a plugin: [`Catalogue::reads`] beyond the key's own option and fallback owner, for a caller
    /// that looked those up already.
    pub(crate) fn reads_as_family(&self, key: &str) -> bool {
        PASSTHROUGH_PREFIXES
            .iter()
            .any(|prefix| key.starts_with(prefix))
            || self.index.matches_family(key)
    }

    /// The key of this release closest to a misspelt `key` (text/suggest.rs), if one is near enough.
    pub(crate) fn closest_key(&mut self, key: &str) -> Option<&str> {
        self.index.suggester.closest_with(key, &mut self.scratch)
    }
}
