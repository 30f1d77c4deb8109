//! Finding the configuration of a file: the nearest `.dockstage.toml` walking up from
//! its directory, or the one file given with `--config`. Lookups and loads are cached,
//! so linting a thousand files reads each configuration once.

use super::paths::normalise;
use super::{Config, ConfigError, HADOLINT_FILE_NAMES};
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

/// hadolint's configuration file, where hadolint 2 finds it (`Config/Configfile.hs`):
/// `.hadolint.yaml`/`.yml` in the working directory (not above it), then
/// `$XDG_CONFIG_HOME/hadolint.yaml`, `~/.hadolint/{hadolint,config}.yaml`,
/// `~/.hadolint.yaml` (each also `.yml`).
pub fn find_hadolint_config() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        candidates.extend(HADOLINT_FILE_NAMES.iter().map(|n| cwd.join(n)));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|x| !x.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    if let Some(xdg) = xdg {
        candidates.extend(["hadolint.yaml", "hadolint.yml"].map(|n| xdg.join(n)));
    }
    if let Some(home) = home {
        let app = home.join(".hadolint");
        candidates.extend(
            ["hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml"].map(|n| app.join(n)),
        );
        candidates.extend(HADOLINT_FILE_NAMES.iter().map(|n| home.join(n)));
    }
    candidates
        .into_iter()
        .find(|c| c.is_file())
        .map(|c| normalise(&c))
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
    /// hadolint's configuration, used where no `.dockstage.toml` applies (looked up once).
    hadolint: std::sync::OnceLock<Option<PathBuf>>,
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
            hadolint: std::sync::OnceLock::new(),
        }
    }

    /// The configuration for a Dockerfile: `--config`, else the nearest
    /// `.dockstage.toml` above it, else hadolint's configuration (found as hadolint
    /// finds it), else the defaults.
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
        let found = found.or_else(|| self.hadolint.get_or_init(find_hadolint_config).clone());
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

    /// The warnings of every configuration loaded so far (unknown keys of a
    /// `.hadolint.yaml`), each once.
    pub fn warnings(&self) -> Vec<ConfigError> {
        let loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        let mut configs: Vec<&Arc<Config>> = loaded.values().flatten().collect();
        configs.sort_by(|a, b| a.path.cmp(&b.path));
        configs.iter().flat_map(|c| c.warnings.clone()).collect()
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
