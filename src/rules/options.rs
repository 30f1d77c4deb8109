//! Per-rule options: what a rule declares it accepts (`[rules.NAME]` in
//! `.dockstage.toml`) and the validated values it reads back from its [`Context`].
//!
//! A rule declares its options by overriding [`Rule::options`](super::Rule::options);
//! the configuration loader rejects keys a rule does not declare and values of the
//! wrong type, so a rule can trust what [`RuleOptions`] hands it.
//!
//! [`Context`]: super::Context

use std::collections::BTreeMap;

/// The type of an option's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    Bool,
    Integer,
    String,
    /// An array of strings.
    Strings,
}

impl OptionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OptionKind::Bool => "a boolean",
            OptionKind::Integer => "an integer",
            OptionKind::String => "a string",
            OptionKind::Strings => "an array of strings",
        }
    }
}

/// One option a rule accepts.
#[derive(Clone, Copy, Debug)]
pub struct RuleOption {
    /// kebab-case key under `[rules.RULE]`.
    pub name: &'static str,
    pub kind: OptionKind,
    /// One sentence for docs and error messages, including the default.
    pub doc: &'static str,
}

/// A validated option value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionValue {
    Bool(bool),
    Integer(i64),
    String(String),
    Strings(Vec<String>),
}

/// Configured option values, by rule name, then option name. Only keys the rule
/// declared, with values of the declared kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleOptions {
    values: BTreeMap<&'static str, BTreeMap<&'static str, OptionValue>>,
}

impl RuleOptions {
    pub const fn new() -> Self {
        RuleOptions {
            values: BTreeMap::new(),
        }
    }

    pub fn insert(&mut self, rule: &'static str, option: &'static str, value: OptionValue) {
        self.values.entry(rule).or_default().insert(option, value);
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The configured value of `rule`'s `option`, if the user set one.
    pub fn get(&self, rule: &str, option: &str) -> Option<&OptionValue> {
        self.values.get(rule)?.get(option)
    }

    pub fn bool(&self, rule: &str, option: &str) -> Option<bool> {
        match self.get(rule, option)? {
            OptionValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn integer(&self, rule: &str, option: &str) -> Option<i64> {
        match self.get(rule, option)? {
            OptionValue::Integer(n) => Some(*n),
            _ => None,
        }
    }

    pub fn string(&self, rule: &str, option: &str) -> Option<&str> {
        match self.get(rule, option)? {
            OptionValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn strings(&self, rule: &str, option: &str) -> Option<&[String]> {
        match self.get(rule, option)? {
            OptionValue::Strings(s) => Some(s),
            _ => None,
        }
    }
}
