//! Replay state of one stage: its variables, working directory, and what each
//! instruction placed where (for `COPY --from` and later removals).

use std::collections::HashSet;

use super::output::Layer;
use crate::size::catalog::BaseImage;
use crate::size::debian_index::{Held, Suite};
use crate::size::range::{Bytes, Source};

/// What one instruction put at one path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Placed {
    /// Absolute, cleaned; may contain wildcards (`/usr/local/lib/python*/site-packages`).
    pub(super) path: String,
    pub(super) size: Bytes,
    pub(super) source: Source,
    pub(super) line: usize,
    /// The entry is one file somewhere beneath `path` (a build output whose name we
    /// do not know): any path beneath it selects the whole entry.
    pub(super) any_file_beneath: bool,
}

/// Replay state of one stage.
#[derive(Clone, Debug, Default)]
pub(super) struct StageState {
    pub(super) env: Vec<(String, String)>,
    pub(super) args: Vec<(String, String)>,
    pub(super) workdir: String,
    pub(super) placed: Vec<Placed>,
    /// `manager:name` of packages installed so far in the stage chain.
    pub(super) installed: HashSet<String>,
    pub(super) root: Option<BaseImage>,
    /// The root of the chain is an image we cannot size (or scratch).
    pub(super) layers: Vec<Layer>,
    pub(super) total: Bytes,
    pub(super) cache_bytes: Vec<(usize, u64, String)>,
    pub(super) removed_later: Vec<(usize, u64, String)>,
    pub(super) build_tools: Vec<(usize, u64, String)>,
    pub(super) venv: Option<String>,
    /// Debian packages the image holds (base and earlier layers), once an apt
    /// install needed them; `None` until then.
    pub(super) apt_held: Option<(Suite, Held)>,
    /// Line of a RUN that added a package repository (a vendor's apt or yum
    /// repository): packages no table knows may be that vendor's large products.
    pub(super) vendor_repo: Option<usize>,
}

impl StageState {
    pub(super) fn lookup(&self, name: &str) -> Option<String> {
        self.env
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .or_else(|| self.args.iter().rev().find(|(n, _)| n == name))
            .map(|(_, v)| v.clone())
    }

    pub(super) fn set_env(&mut self, name: &str, value: String) {
        self.env.retain(|(n, _)| n != name);
        self.env.push((name.to_string(), value));
    }
}
