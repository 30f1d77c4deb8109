//! The syntax tree. Every node keeps its byte span into [`Dockerfile::source`].

use compact_str::CompactString;

use super::tokens::{tokenize, Token};
use crate::diagnostic::{LineIndex, Span};

/// A parsed Dockerfile: the source text, its directives, instructions and errors.
#[derive(Clone, Debug)]
pub struct Dockerfile {
    pub source: String,
    /// The escape character: `\` by default, `` ` `` with `# escape=``.
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    /// Every comment line, including those inside continuations.
    pub comments: Vec<Comment>,
    /// The spans whose token kind only the parser knows (keywords, flags, comments,
    /// heredocs...), in the order found; [`Dockerfile::tokens`] builds the full stream.
    pub(crate) token_marks: Vec<Token>,
    pub errors: Vec<SyntaxError>,
    pub line_index: LineIndex,
    /// Where the template syntax starts, when the file is a Go or Jinja template
    /// (not a Dockerfile until rendered).
    pub template: Option<Span>,
}

impl Dockerfile {
    pub fn text(&self, span: Span) -> &str {
        &self.source[span.start..span.end]
    }

    /// 1-based line number of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_index.line_of(offset) + 1
    }

    /// The lossless token stream: concatenating the tokens' text gives `source`.
    /// Built on demand (no analysis needs it), so parsing does not pay for it.
    pub fn tokens(&self) -> Vec<Token> {
        tokenize(&self.source, self.token_marks.clone())
    }

    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }
}

/// A parser directive such as `# syntax=docker/dockerfile:1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lowercase name: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    pub span: Span,
    pub value_span: Span,
}

/// A comment line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    /// What follows `#`, trimmed: read it with [`Dockerfile::text`].
    pub text_span: Span,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Not a Dockerfile instruction; BuildKit's parser accepts it, the build rejects it.
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// Case-insensitive lookup.
    pub fn from_word(word: &str) -> Keyword {
        // Runs once per instruction: lowercase into a stack buffer and match, instead of
        // comparing against every keyword.
        let mut buf = [0u8; 11];
        let Some(lower) = buf.get_mut(..word.len()) else {
            return Keyword::Unknown;
        };
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        match &*lower {
            b"add" => Keyword::Add,
            b"arg" => Keyword::Arg,
            b"cmd" => Keyword::Cmd,
            b"copy" => Keyword::Copy,
            b"entrypoint" => Keyword::Entrypoint,
            b"env" => Keyword::Env,
            b"expose" => Keyword::Expose,
            b"from" => Keyword::From,
            b"healthcheck" => Keyword::Healthcheck,
            b"label" => Keyword::Label,
            b"maintainer" => Keyword::Maintainer,
            b"onbuild" => Keyword::Onbuild,
            b"run" => Keyword::Run,
            b"shell" => Keyword::Shell,
            b"stopsignal" => Keyword::Stopsignal,
            b"user" => Keyword::User,
            b"volume" => Keyword::Volume,
            b"workdir" => Keyword::Workdir,
            _ => Keyword::Unknown,
        }
    }

    /// Uppercase name, as instructions are usually written (and named in messages).
    pub fn as_upper_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }

    /// Lowercase name, as BuildKit stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "add",
            Keyword::Arg => "arg",
            Keyword::Cmd => "cmd",
            Keyword::Copy => "copy",
            Keyword::Entrypoint => "entrypoint",
            Keyword::Env => "env",
            Keyword::Expose => "expose",
            Keyword::From => "from",
            Keyword::Healthcheck => "healthcheck",
            Keyword::Label => "label",
            Keyword::Maintainer => "maintainer",
            Keyword::Onbuild => "onbuild",
            Keyword::Run => "run",
            Keyword::Shell => "shell",
            Keyword::Stopsignal => "stopsignal",
            Keyword::User => "user",
            Keyword::Volume => "volume",
            Keyword::Workdir => "workdir",
            Keyword::Unknown => "unknown",
        }
    }
}

/// How the arguments were written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// A JSON array of strings: `CMD ["nginx", "-g", "daemon off;"]`.
    Exec,
    /// Plain text, run by the shell for RUN/CMD/ENTRYPOINT.
    Shell,
    /// No arguments.
    None,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Exec => "exec",
            Form::Shell => "shell",
            Form::None => "none",
        }
    }
}

/// One value with the span it was read from. For values that BuildKit builds by joining
/// continuation lines, `span` covers the whole range in the source, continuations included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Short words (most of them) are stored inline, without an allocation.
    pub text: CompactString,
    pub span: Span,
}

/// `--name=value` or `--name`, after BuildKit's quote removal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub name: CompactString,
    pub value: Option<CompactString>,
    pub span: Span,
}

impl Flag {
    /// The flag as BuildKit reports it: `--name=value`.
    pub fn as_written(&self) -> String {
        match &self.value {
            Some(value) => format!("--{}={}", self.name, value),
            None => format!("--{}", self.name),
        }
    }
}

/// A `key=value` pair of ENV, LABEL or ARG (ARG's value is optional).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Word,
    pub value: Option<Word>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arguments {
    pub form: Form,
    /// BuildKit's split: the JSON strings for exec form; one string for shell-form
    /// RUN/CMD/ENTRYPOINT/SHELL and string-valued instructions; whitespace-separated words
    /// for COPY/ADD/FROM/EXPOSE/VOLUME; `key, value, ...` for ENV and LABEL; the words of ARG;
    /// `type, command...` for HEALTHCHECK.
    pub words: Vec<Word>,
    /// ENV, LABEL and ARG pairs, with quotes and escapes kept as written.
    pub pairs: Vec<KeyValue>,
    /// From the first argument to the end of the logical line (heredoc bodies excluded).
    pub span: Span,
}

/// A here-document attached to RUN, COPY or ADD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter with quotes removed.
    pub delimiter: String,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub chomp: bool,
    /// False when the delimiter was quoted: the body is not variable-expanded.
    pub expand: bool,
    /// A file descriptor written before `<<`, e.g. `3<<EOF`.
    pub fd: Option<u32>,
    /// The `<<EOF` word in the instruction line.
    pub marker_span: Span,
    /// The body lines exactly as in the source, newlines included.
    pub body_span: Span,
    /// The terminator line, or an empty span at the end of file when unterminated.
    pub terminator_span: Span,
}

impl Heredoc {
    /// The body as the build sees it: leading tabs stripped for `<<-`.
    pub fn content(&self, source: &str) -> String {
        let raw = &source[self.body_span.start..self.body_span.end];
        if !self.chomp {
            return raw.to_string();
        }
        raw.split_inclusive('\n')
            .map(|line| line.trim_start_matches('\t'))
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword as written (case kept).
    pub keyword_span: Span,
    /// From the keyword to the end of the last line, heredoc terminators included
    /// (the final newline excluded).
    pub span: Span,
    /// From the keyword to the end of the logical line, before heredoc bodies.
    pub line_span: Span,
    pub flags: Vec<Flag>,
    pub args: Arguments,
    pub heredocs: Vec<Heredoc>,
    /// The instruction of `ONBUILD <instruction>`.
    pub trigger: Option<Box<Instruction>>,
    /// Whitespace-only lines inside the continuation (BuildKit warns about them).
    pub empty_continuation_lines: Vec<Span>,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name == name)
    }

    pub fn is(&self, keyword: Keyword) -> bool {
        self.keyword == keyword
    }
}

#[cfg(test)]
mod tests {
    use super::Keyword;

    #[test]
    fn keywords_are_recognised_in_any_case() {
        for keyword in Keyword::ALL {
            let name = keyword.as_str();
            assert_eq!(Keyword::from_word(name), keyword);
            assert_eq!(Keyword::from_word(&name.to_ascii_uppercase()), keyword);
            assert_eq!(keyword.as_upper_str(), name.to_ascii_uppercase());
        }
        assert_eq!(Keyword::from_word("HealthCheck"), Keyword::Healthcheck);
        for other in [
            "",
            "fro",
            "fromm",
            "healthchecks",
            "énv",
            "ＦＲＯＭ",
            "run\u{0}",
        ] {
            assert_eq!(Keyword::from_word(other), Keyword::Unknown, "{other:?}");
        }
    }
}
