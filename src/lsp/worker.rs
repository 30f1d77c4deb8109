//! Linting off the main thread. The main loop sends a job per change; the worker
//! coalesces the queue (only the newest version of each document is linted), and a
//! result whose version is no longer current is dropped instead of published.

use super::encoding::Encoding;
use super::messages::{log_message, publish};
use super::snapshot::Snapshot;
use crate::lint::LintOptions;
use crate::model::shell::ShellCache;
use lsp_server::Message;
use lsp_types::Uri;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

pub struct Job {
    pub uri: Uri,
    pub version: i32,
    pub text: Arc<str>,
    pub options: LintOptions,
    pub encoding: Encoding,
}

/// What the main loop and the worker share.
#[derive(Default)]
pub struct Shared {
    /// The current version of every open document; absent once closed.
    versions: Mutex<HashMap<Uri, i32>>,
    /// The newest analysis of every open document.
    snapshots: Mutex<HashMap<Uri, Arc<Snapshot>>>,
}

impl Shared {
    pub fn set_version(&self, uri: &Uri, version: i32) {
        lock(&self.versions).insert(uri.clone(), version);
    }

    pub fn is_open(&self, uri: &str) -> bool {
        lock(&self.versions).keys().any(|open| open.as_str() == uri)
    }

    pub fn is_current(&self, uri: &Uri, version: i32) -> bool {
        lock(&self.versions).get(uri) == Some(&version)
    }

    /// Forgets a closed document and clears its diagnostics; under the same lock the
    /// worker publishes with, so a late result cannot resurrect them.
    pub fn close(&self, uri: &Uri, sender: &Sender<Message>) {
        let mut versions = lock(&self.versions);
        versions.remove(uri);
        lock(&self.snapshots).remove(uri);
        let _ = sender.send(publish(uri.clone(), Vec::new(), None));
    }

    /// The newest analysis, if it is of `version`.
    pub fn snapshot(&self, uri: &Uri, version: i32) -> Option<Arc<Snapshot>> {
        lock(&self.snapshots)
            .get(uri)
            .filter(|s| s.version == version)
            .cloned()
    }

    pub fn store(&self, snapshot: Arc<Snapshot>) {
        let mut snapshots = lock(&self.snapshots);
        let newer = snapshots
            .get(&snapshot.uri)
            .is_some_and(|s| s.version > snapshot.version);
        if !newer {
            snapshots.insert(snapshot.uri.clone(), snapshot);
        }
    }

    /// Publishes `snapshot`'s diagnostics if it is still the current version.
    fn publish_if_current(&self, snapshot: Arc<Snapshot>, sender: &Sender<Message>) -> bool {
        let versions = lock(&self.versions);
        if versions.get(&snapshot.uri) != Some(&snapshot.version) {
            return false;
        }
        let diagnostics = snapshot.lsp_diagnostics();
        let message = publish(snapshot.uri.clone(), diagnostics, Some(snapshot.version));
        self.store(snapshot);
        let _ = sender.send(message);
        true
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs until the job channel closes. `debounce`: how long to wait for a newer edit
/// before linting (zero: lint at once; edits that arrive during a lint still coalesce).
pub fn run(jobs: Receiver<Job>, shared: Arc<Shared>, sender: Sender<Message>, debounce: Duration) {
    // Per open document, the shell facts of its scripts: an edit re-parses only the
    // RUN it changed.
    let mut caches: HashMap<String, ShellCache> = HashMap::new();
    while let Ok(first) = jobs.recv() {
        let mut pending: Vec<Job> = vec![first];
        loop {
            let next = if debounce.is_zero() {
                jobs.try_recv().map_err(|_| RecvTimeoutError::Timeout)
            } else {
                jobs.recv_timeout(debounce)
            };
            match next {
                Ok(job) => {
                    pending.retain(|p| p.uri != job.uri);
                    pending.push(job);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        for job in pending {
            if !shared.is_current(&job.uri, job.version) {
                continue;
            }
            let cache = caches.entry(job.uri.as_str().to_string()).or_default();
            let result = catch_unwind(AssertUnwindSafe(|| {
                Snapshot::analyze(
                    job.uri.clone(),
                    job.version,
                    &job.text,
                    &job.options,
                    job.encoding,
                    Some(cache),
                )
            }));
            match result {
                Ok(snapshot) => {
                    shared.publish_if_current(Arc::new(snapshot), &sender);
                }
                Err(_) => {
                    let _ = sender.send(log_message(
                        lsp_types::MessageType::ERROR,
                        format!(
                            "dockstage: internal error while linting {}",
                            job.uri.as_str()
                        ),
                    ));
                }
            }
        }
        caches.retain(|uri, _| shared.is_open(uri));
    }
}
