//! Shell facts of scripts analysed before, keyed by the script's text.
//!
//! An editor re-lints after every keystroke, and an edit changes one RUN at most:
//! the others have the same script, so their facts (spans into the script, mapped to
//! the Dockerfile on use) are taken from here instead of parsed again. What a lint did
//! not use is forgotten at the end of the next, so the cache holds about one
//! document's scripts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::{analyze, ShellFacts};

#[derive(Debug, Default)]
pub struct ShellCache {
    generations: Mutex<Generations>,
}

#[derive(Debug, Default)]
struct Generations {
    /// Scripts the previous lint used.
    previous: HashMap<String, Arc<ShellFacts>>,
    /// Scripts the current lint used so far.
    current: HashMap<String, Arc<ShellFacts>>,
}

impl ShellCache {
    /// The facts of `script`, analysed now if no recent lint had it. Equal to
    /// [`analyze`]`(script)`: the facts depend on the text alone.
    pub fn facts(&self, script: &str) -> Arc<ShellFacts> {
        {
            let mut generations = self.lock();
            if let Some(facts) = generations.current.get(script) {
                return Arc::clone(facts);
            }
            if let Some(facts) = generations.previous.remove(script) {
                generations
                    .current
                    .insert(script.to_string(), Arc::clone(&facts));
                return facts;
            }
        }
        // Parsed outside the lock: rules may ask from several threads.
        let facts = Arc::new(analyze(script));
        self.lock()
            .current
            .insert(script.to_string(), Arc::clone(&facts));
        facts
    }

    /// Ends a lint: what it used is kept for the next one, the rest is dropped.
    pub fn end_lint(&self) {
        let mut generations = self.lock();
        generations.previous = std::mem::take(&mut generations.current);
    }

    /// How many scripts the cache holds.
    pub fn len(&self) -> usize {
        let generations = self.lock();
        generations.previous.len() + generations.current.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        self.generations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_is_analysed_once_and_forgotten_two_lints_after_its_last_use() {
        let cache = ShellCache::default();
        let first = cache.facts("apt-get install -y curl");
        assert_eq!(*first, analyze("apt-get install -y curl"));
        assert!(Arc::ptr_eq(&first, &cache.facts("apt-get install -y curl")));
        cache.end_lint();
        // Used again in the next lint: the same facts.
        assert!(Arc::ptr_eq(&first, &cache.facts("apt-get install -y curl")));
        cache.end_lint();
        cache.facts("echo other");
        cache.end_lint();
        cache.end_lint();
        assert!(cache.is_empty());
    }
}
