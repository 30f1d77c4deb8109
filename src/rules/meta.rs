//! What every consumer (CLI, SARIF, LSP) knows about a rule.

use crate::diagnostic::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Syntax,
    StageGraph,
    FinalImage,
    Security,
    Size,
    Style,
    /// How package managers are run: version pins, prompts, which command.
    Packages,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::StageGraph => "stage-graph",
            Category::FinalImage => "final-image",
            Category::Security => "security",
            Category::Size => "size",
            Category::Style => "style",
            Category::Packages => "packages",
        }
    }
}

/// A rule's identity and documentation, read from its page `rules/NAME.md`.
#[derive(Clone, Copy, Debug)]
pub struct RuleMeta {
    pub name: &'static str,
    pub code: &'static str,
    /// Other tools' names for the same check (BuildKit's `StageNameCasing`), accepted
    /// wherever a rule name is.
    pub aliases: &'static [&'static str],
    pub category: Category,
    pub severity: Severity,
    pub fixable: bool,
    /// Off unless asked for by name: `--select`, configuration, or the file's
    /// `# check=experimental=` (BuildKit's experimental checks).
    pub experimental: bool,
    /// Off unless named: `--select`, configuration's `select`, or a severity set for
    /// it by name (hadolint's rules that are off by default, such as DL3057).
    pub opt_in: bool,
    /// One sentence: the page's first paragraph.
    pub summary: &'static str,
    /// The whole Markdown page.
    pub page: &'static str,
}

impl RuleMeta {
    pub fn help_uri(&self) -> String {
        format!(
            "https://github.com/dockstage/dockstage/blob/main/rules/{}.md",
            self.name
        )
    }
}
