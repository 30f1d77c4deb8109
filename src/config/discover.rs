//! Finding the configuration of a file: the nearest `.dockstage.toml` walking up from
//! its directory, or the one file given with `--config`. Lookups and loads are cached,
//! so linting a thousand files reads each configuration once.

use super::paths::normalise;
use super::{Config, ConfigError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The name of the configuration file.
pub const CONFIG_FILE_NAME: &str = ".dockstage.toml";

/// The nearest `.dockstage.toml` in `dir` or its ancestors, up to the filesystem root.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    let dir = normalise(dir);
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Configurations by directory, for a whole run (or an editor session). Safe to share
/// between threads.
///
/// A broken configuration gives the same [`ConfigError`] for every file under it;
/// report it once per [`ConfigError::path`].
#[derive(Debug)]
pub struct ConfigCache {
    /// `--config`: used for every file, no discovery.
    explicit: Option<PathBuf>,
    /// Directory → the configuration file that applies there (None: none found).
    dirs: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Configuration file → its loaded result.
    loaded: Mutex<HashMap<PathBuf, Result<Arc<Config>, ConfigError>>>,
    defaults: Arc<Config>,
}

impl Default for ConfigCache {
    fn default() -> Self {
        ConfigCache::new(None)
    }
}

impl ConfigCache {
    /// `explicit` is `--config PATH`: when given, it applies to every file and nothing
    /// is discovered.
    pub fn new(explicit: Option<&Path>) -> ConfigCache {
        ConfigCache {
            explicit: explicit.map(normalise),
            dirs: Mutex::new(HashMap::new()),
            loaded: Mutex::new(HashMap::new()),
            defaults: Arc::new(Config::default()),
        }
    }

    /// The configuration for a Dockerfile: `--config`, else the nearest
    /// `.dockstage.toml` above it, else the defaults.
    pub fn for_file(&self, file: &Path) -> Result<Arc<Config>, ConfigError> {
        let file = normalise(file);
        let dir = file.parent().unwrap_or(Path::new("/"));
        self.for_dir(dir)
    }

    /// The configuration that applies in `dir` (e.g. the working directory for stdin).
    pub fn for_dir(&self, dir: &Path) -> Result<Arc<Config>, ConfigError> {
        let path = match &self.explicit {
            Some(path) => Some(path.clone()),
            None => self.discover(&normalise(dir)),
        };
        match path {
            Some(path) => self.load(&path),
            None => Ok(self.defaults.clone()),
        }
    }

    /// The configuration file that applies in `dir`, if any (cached).
    fn discover(&self, dir: &Path) -> Option<PathBuf> {
        let mut visited = Vec::new();
        let mut found = None;
        {
            let dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
            for ancestor in dir.ancestors() {
                if let Some(known) = dirs.get(ancestor) {
                    found = known.clone();
                    break;
                }
                visited.push(ancestor.to_path_buf());
                let candidate = ancestor.join(CONFIG_FILE_NAME);
                if candidate.is_file() {
                    found = Some(candidate);
                    break;
                }
            }
        }
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        for dir in visited {
            dirs.insert(dir, found.clone());
        }
        found
    }

    fn load(&self, path: &Path) -> Result<Arc<Config>, ConfigError> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        loaded
            .entry(path.to_path_buf())
            .or_insert_with(|| Config::load(path).map(Arc::new))
            .clone()
    }

    /// Forgets everything (an editor saw a configuration file change).
    pub fn clear(&self) {
        self.dirs.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.loaded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
