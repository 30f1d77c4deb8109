//! Where a document's lint options come from: the nearest `.dockstage.toml` above
//! the document (the same discovery as `dockstage check`), cached per directory
//! until [`Settings::reload`], which the server calls and then re-lints every open
//! document when the client reports a changed configuration file
//! (`workspace/didChangeWatchedFiles`). Unsaved buffers and non-file URIs get the
//! defaults; a broken configuration falls back to the defaults too (the CLI reports it).

use crate::config::ConfigCache;
use crate::lint::LintOptions;
use lsp_types::Uri;
use std::path::PathBuf;

/// The configuration file name the server watches.
pub const CONFIG_FILE: &str = ".dockstage.toml";

pub struct Settings {
    /// Workspace folders from `initialize`, as paths.
    pub roots: Vec<PathBuf>,
    /// Bumped on every reload, so callers can tell configurations apart.
    pub generation: u64,
    configs: ConfigCache,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::new(Vec::new())
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("roots", &self.roots)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl Settings {
    pub fn new(roots: Vec<PathBuf>) -> Settings {
        Settings {
            roots,
            generation: 0,
            configs: ConfigCache::new(None),
        }
    }

    /// The options to lint a document with.
    ///
    /// The lint options of the nearest `.dockstage.toml` above the document.
    pub fn options_for(&self, uri: &Uri) -> LintOptions {
        let Some(path) = uri_to_path(uri) else {
            return LintOptions::default();
        };
        match self.configs.for_file(&path) {
            Ok(config) => config.lint_options_for(&path),
            Err(_) => LintOptions::default(),
        }
    }

    /// Forget cached configuration; called when a `.dockstage.toml` changes.
    pub fn reload(&mut self) {
        self.configs.clear();
        self.generation += 1;
    }

    /// Whether a changed file is a configuration file.
    pub fn is_config(uri: &Uri) -> bool {
        uri.path().as_str().rsplit('/').next() == Some(CONFIG_FILE)
    }
}

/// The local path of a `file:` URI (percent-decoded), if it is one.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    if !uri
        .scheme()
        .is_some_and(|s| s.as_str().eq_ignore_ascii_case("file"))
    {
        return None;
    }
    let raw = uri.path().as_str();
    let mut bytes = Vec::with_capacity(raw.len());
    let mut iter = raw.bytes();
    while let Some(b) = iter.next() {
        if b == b'%' {
            let hex: Vec<u8> = iter.by_ref().take(2).collect();
            let decoded = std::str::from_utf8(&hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())?;
            bytes.push(decoded);
        } else {
            bytes.push(b);
        }
    }
    let path = String::from_utf8(bytes).ok()?;
    // `file:///C:/x` on Windows.
    let path = match path.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() && cfg!(windows) => &path[1..],
        _ => &path[..],
    };
    Some(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn file_uris_become_paths() {
        let uri = Uri::from_str("file:///tmp/my%20dir/Dockerfile").unwrap();
        assert_eq!(
            uri_to_path(&uri),
            Some(PathBuf::from("/tmp/my dir/Dockerfile"))
        );
        let uri = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_to_path(&uri), None);
        assert!(Settings::is_config(
            &Uri::from_str("file:///w/.dockstage.toml").unwrap()
        ));
    }
}
