//! Tests of variable expansion and reference finding.

use std::collections::HashMap;

use proptest::prelude::*;

use super::names::is_name_char;
use super::pattern::reverse_pattern;
use super::*;
use crate::diagnostic::Span;

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn expand_with(text: &str, vars: &[(&str, &str)]) -> Expansion {
    let vars = env(vars);
    expand_word(text, '\\', &|name| vars.get(name).cloned())
}

fn value(text: &str, vars: &[(&str, &str)]) -> String {
    let expansion = expand_with(text, vars);
    assert_eq!(expansion.error, None, "unexpected error expanding {text:?}");
    expansion.value
}

fn words(text: &str, vars: &[(&str, &str)]) -> Vec<String> {
    let vars = env(vars);
    expand_words(text, '\\', &|name| vars.get(name).cloned())
}

fn error(text: &str, vars: &[(&str, &str)]) -> String {
    expand_with(text, vars)
        .error
        .unwrap_or_else(|| panic!("expected an error expanding {text:?}"))
}

fn names(refs: &[VarRef]) -> Vec<&str> {
    refs.iter().map(|r| r.name.as_str()).collect()
}

#[test]
fn from_line_default_applies_when_unset() {
    let expansion = expand_with("node:${NODE_VERSION:-20}-alpine", &[]);
    assert_eq!(expansion.value, "node:20-alpine");
    assert_eq!(expansion.unresolved, ["NODE_VERSION"]);
    assert_eq!(expansion.referenced, ["NODE_VERSION"]);
    assert_eq!(expansion.error, None);
    assert_eq!(
        value("node:${NODE_VERSION:-20}-alpine", &[("NODE_VERSION", "22")]),
        "node:22-alpine"
    );
}

#[test]
fn plain_and_braced_variables() {
    let vars = [("A", "x"), ("B", "y y")];
    assert_eq!(value("$A/${A}/$A_b/${B}", &vars), "x/x//y y");
    assert_eq!(value("pre$A.post", &vars), "prex.post");
    let expansion = expand_with("$UNSET-end", &vars);
    assert_eq!(expansion.value, "-end");
    assert_eq!(expansion.unresolved, ["UNSET"]);
}

#[test]
fn lone_dollar_is_literal() {
    assert_eq!(value("$", &[]), "$");
    assert_eq!(value("a$ b$/c", &[]), "a$ b$/c");
    assert_eq!(value("cost: 5$", &[]), "cost: 5$");
}

#[test]
fn colon_forms_treat_empty_as_unset() {
    let vars = [("SET", "xxx"), ("EMPTY", "")];
    assert_eq!(value("${SET-a} ${EMPTY-b} ${UNSET-c}", &vars), "xxx  c");
    assert_eq!(value("${SET:-a} ${EMPTY:-b} ${UNSET:-c}", &vars), "xxx b c");
    assert_eq!(value("${SET+a} ${EMPTY+b} ${UNSET+c}", &vars), "a b ");
    assert_eq!(value("${SET:+a} ${EMPTY:+b} ${UNSET:+c}", &vars), "a  ");
    assert_eq!(value("${UNSET:-}", &vars), "");
}

#[test]
fn fallback_words_are_expanded_and_unquoted() {
    let vars = [("B", "bee")];
    assert_eq!(value("${A:-$B}", &vars), "bee");
    assert_eq!(value("${A:-${B}-x}", &vars), "bee-x");
    assert_eq!(value("${A:-'a }b'}", &vars), "a }b");
    assert_eq!(value(r#"${A:-"q $B"}"#, &vars), "q bee");
    // Like BuildKit, a name used only in an unneeded fallback still counts.
    let expansion = expand_with("${B:-$C}", &vars);
    assert_eq!(expansion.value, "bee");
    assert_eq!(expansion.unresolved, ["C"]);
    assert_eq!(expansion.referenced, ["C", "B"]);
}

#[test]
fn platform_style_optional_suffix() {
    let text = "app-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
    let all = [
        ("VERSION", "v1"),
        ("TARGETOS", "linux"),
        ("TARGETARCH", "arm"),
        ("TARGETVARIANT", "v7"),
    ];
    assert_eq!(value(text, &all), "app-v1.linux-arm-v7.tar.gz");
    assert_eq!(value(text, &all[..3]), "app-v1.linux-arm.tar.gz");
}

#[test]
fn required_variables_report_their_message() {
    let set = [("VAR", "plain"), ("ARG", "x")];
    let empty = [("VAR", ""), ("ARG", "x")];
    let unset = [("ARG", "x")];
    assert_eq!(value("${VAR:?message here$ARG}", &set), "plain");
    assert_eq!(
        error("${VAR:?message here$ARG}", &empty),
        "VAR: message herex"
    );
    assert_eq!(
        error("${VAR:?message here$ARG}", &unset),
        "VAR: message herex"
    );
    assert_eq!(value("${VAR?message}", &set), "plain");
    assert_eq!(value("${VAR?message}", &empty), "");
    assert_eq!(error("${VAR?message}", &unset), "VAR: message");
    assert_eq!(error("${VAR:?}", &unset), "VAR: is not allowed to be unset");
    assert_eq!(error("${VAR:?}", &empty), "VAR: is not allowed to be empty");
}

#[test]
fn prefix_and_suffix_removal() {
    let path = [("P", "/usr/local/lib/libfoo.so.1")];
    assert_eq!(value("${P#*/}", &path), "usr/local/lib/libfoo.so.1");
    assert_eq!(value("${P##*/}", &path), "libfoo.so.1");
    assert_eq!(value("${P%.*}", &path), "/usr/local/lib/libfoo.so");
    assert_eq!(value("${P%%.*}", &path), "/usr/local/lib/libfoo");
    assert_eq!(value("${P#nomatch}", &path), "/usr/local/lib/libfoo.so.1");

    let foo = [("FOO", "xxyy")];
    assert_eq!(value("${FOO#*x*y}", &foo), "y");
    assert_eq!(value("${FOO#*}", &foo), "xxyy");
    assert_eq!(value("${FOO##*x}", &foo), "yy");
    assert_eq!(value("${FOO#}", &foo), "xxyy");
    assert_eq!(value("${FOO##}", &foo), "xxyy");
    assert_eq!(value("${FOO%}", &foo), "xxyy");
    assert_eq!(value("${FOO%y}", &foo), "xxy");
    assert_eq!(
        value("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "x")]),
        "xyy"
    );
    assert_eq!(value("${ABC:-.}${FOO%x}${ABC:-.}", &foo), ".xxyy.");
    assert_eq!(value("${V#v}", &[("V", "v1.2.3")]), "1.2.3");
}

#[test]
fn patterns_escape_wildcards_and_regex_characters() {
    assert_eq!(value(r"${FOO%%\**}", &[("FOO", "xx**")]), "xx");
    assert_eq!(value(r"${FOO%%\**\*}", &[("FOO", "a***yy*")]), "a");
    assert_eq!(value(r"${FOO#?\?}", &[("FOO", "???y")]), "?y");
    assert_eq!(
        value(r"${FOO#()[]{\}^$.\*\?|\\}", &[("FOO", r"()[]{}^$.*?|\x")]),
        "x"
    );
    assert_eq!(value("${FOO#??}", &[("FOO", "한국어")]), "어");
    assert_eq!(value("${FOO%?}", &[("FOO", "👽🚀🖖")]), "👽🚀");
    let bad = error(r"${FOO#\x}", &[("FOO", "x")]);
    assert!(bad.contains("invalid escape"), "{bad}");
}

#[test]
fn pattern_substitution() {
    let wild = [("FOO", "/foo*/*/*.txt"), ("NEEDLE", r"\*/")];
    assert_eq!(
        value("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", &wild),
        "/foo.*/*.txt - /foo..*.txt"
    );
    let tmp = [("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")];
    assert_eq!(
        value("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", &tmp),
        "/tmp/bar.txt - /bar.txt"
    );
    let any = [("FOO", "/a/foo/b/c.txt"), ("NEEDLE", "/?/"), ("R", "/")];
    assert_eq!(
        value("${FOO/$NEEDLE/$R} - ${FOO//$NEEDLE/$R}", &any),
        "/foo/b/c.txt - /foo/c.txt"
    );
    let url = [
        ("U", "http://example.com"),
        ("N", "http://"),
        ("R", "https://"),
    ];
    assert_eq!(value("${U/$N/$R}", &url), "https://example.com");
    // Escaped separators: the replacement keeps its escape, as in BuildKit.
    assert_eq!(
        value(r"${FOO//\//\/}", &[("FOO", "/tmp/foo.txt")]),
        r"\/tmp\/foo.txt"
    );
    assert_eq!(
        value("${FOO/$BAR/ww}", &[("FOO", "xxyy"), ("BAR", "")]),
        "wwxxyy"
    );
    assert_eq!(value("${FOO///}", &[("FOO", "xxyy")]), "xxyy");
    assert_eq!(value("${FOO///}", &[]), "");
    assert!(error("${FOO//ww}", &[("FOO", "xxyy")]).contains("missing '/'"));
    assert!(expand_with("${FOO//}", &[("FOO", "xxyy")]).error.is_some());
}

#[test]
fn unsupported_modifiers_stay_as_written() {
    let expansion = expand_with("a-${FOO=aaa}-b", &[("FOO", "xxx")]);
    assert_eq!(expansion.value, "a-${FOO=aaa}-b");
    assert!(expansion
        .error
        .unwrap()
        .contains("unsupported modifier (=)"));
    assert_eq!(expansion.unresolved, ["FOO"]);
    let colon = expand_with("${FOO:=x}", &[]);
    assert_eq!(colon.value, "${FOO:=x}");
    assert!(colon.error.unwrap().contains("(:=)"));
    assert_eq!(expand_with("${FOO:}", &[]).value, "${FOO:}");
    assert_eq!(error("${}", &[]), "syntax error: bad substitution");
    assert_eq!(error("${:x}", &[]), "syntax error: bad substitution");
    assert_eq!(error("${ X}", &[]), "syntax error: bad substitution");
}

#[test]
fn malformed_input_is_best_effort() {
    let open = expand_with("node:${VERSION", &[("VERSION", "20")]);
    assert_eq!(open.value, "node:${VERSION");
    assert_eq!(open.error.as_deref(), Some("syntax error: missing '}'"));
    assert_eq!(open.unresolved, ["VERSION"]);

    let bare = expand_with("x${", &[]);
    assert_eq!(bare.value, "x${");
    assert!(bare.error.is_some());

    let default_open = expand_with("${A:-b", &[]);
    assert_eq!(default_open.value, "${A:-b");
    assert!(default_open.error.is_some());

    let quote = expand_with("'abc", &[]);
    assert_eq!(quote.value, "abc");
    assert!(quote.error.unwrap().contains("single quote"));
    let dquote = expand_with("\"a $X", &[("X", "1")]);
    assert_eq!(dquote.value, "a 1");
    assert!(dquote.error.unwrap().contains("double quote"));

    // BuildKit drops a trailing escape without complaint.
    let trailing = expand_with("abc\\", &[]);
    assert_eq!(trailing.value, "abc");
    assert_eq!(trailing.error, None);
}

#[test]
fn quotes_are_removed() {
    let vars = [("X", "ex")];
    assert_eq!(value("'$X'", &vars), "$X");
    assert_eq!(value("\"$X\"", &vars), "ex");
    assert_eq!(value("he'll'o", &vars), "hello");
    assert_eq!(value("\"it's\"", &vars), "it's");
    assert_eq!(value("'say \"hi\"'", &vars), "say \"hi\"");
    assert_eq!(value("a\"\"b''c", &vars), "abc");
}

#[test]
fn escapes_outside_and_inside_double_quotes() {
    let vars = [("X", "ex")];
    assert_eq!(value(r"\$X", &vars), "$X");
    assert_eq!(value(r"a\ b", &vars), "a b");
    assert_eq!(value(r"\'$X\'", &vars), "'ex'");
    assert_eq!(value(r#""\$X \" \\ \n""#, &vars), r#"$X " \ \n"#);
    assert_eq!(value(r"C:\path", &vars), "C:path");
}

#[test]
fn backtick_escape() {
    let vars = [("X", "ex")];
    let tick = |text: &str| {
        let expansion = expand_word(text, '`', &|name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        });
        expansion.value
    };
    assert_eq!(tick(r"C:\path\$X"), r"C:\path\ex");
    assert_eq!(tick("`$X"), "$X");
    assert_eq!(tick("\"a`\"b\""), "a\"b");
}

#[test]
fn special_parameters_and_digits_are_names_to_buildkit() {
    let expansion = expand_with("$1$@x$#", &[]);
    assert_eq!(expansion.value, "x");
    assert_eq!(expansion.unresolved, ["1", "@", "#"]);
    assert_eq!(value("$12a", &[("12", "n")]), "na");
}

#[test]
fn unicode_names() {
    assert_eq!(value("$KOREAN", &[("KOREAN", "한국어")]), "한국어");
    assert_eq!(value("${이름}", &[("이름", "v")]), "v");
    assert_eq!(value("$Ωmega!", &[("Ωmega", "w")]), "w!");
}

#[test]
fn words_split_on_unquoted_whitespace_only() {
    assert_eq!(words("a b  c", &[]), ["a", "b", "c"]);
    assert_eq!(words("  lead trail  ", &[]), ["lead", "trail"]);
    assert_eq!(words("\"a b\" 'c d' e\\ f", &[]), ["a b", "c d", "e f"]);
    let vars = [("FILES", "one two")];
    assert_eq!(words("$FILES /dst/", &vars), ["one", "two", "/dst/"]);
    assert_eq!(words("\"$FILES\" /dst/", &vars), ["one two", "/dst/"]);
    assert_eq!(words("x${FILES}y", &vars), ["xone", "twoy"]);
    assert_eq!(words("${PORT:-80}/tcp 443", &[]), ["80/tcp", "443"]);
    assert!(words("\"\" ''", &[]).is_empty());
    assert!(words("$UNSET", &[]).is_empty());
}

#[test]
fn value_keeps_inner_whitespace() {
    assert_eq!(value("a  b", &[]), "a  b");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = "${A:-".repeat(10_000);
    let expansion = expand_with(&deep, &[]);
    assert!(expansion.error.is_some());
    let refs = references(&"\"$(".repeat(10_000), '\\');
    assert!(refs.is_empty());
}

#[test]
fn references_find_names_and_spans() {
    let text = "node:${NODE_VERSION:-20} $HOME ${X}";
    let refs = references(text, '\\');
    assert_eq!(names(&refs), ["NODE_VERSION", "HOME", "X"]);
    assert_eq!(
        &text[refs[0].span.start..refs[0].span.end],
        "${NODE_VERSION:-20}"
    );
    assert_eq!(
        &text[refs[0].name_span.start..refs[0].name_span.end],
        "NODE_VERSION"
    );
    assert!(refs[0].has_fallback);
    assert_eq!(&text[refs[1].span.start..refs[1].span.end], "$HOME");
    assert!(!refs[1].has_fallback);
    assert_eq!(&text[refs[2].span.start..refs[2].span.end], "${X}");
}

#[test]
fn references_know_which_forms_have_fallbacks() {
    let fallback = |text: &str| references(text, '\\')[0].has_fallback;
    assert!(fallback("${V:-x}"));
    assert!(fallback("${V-x}"));
    assert!(fallback("${V:+x}"));
    assert!(fallback("${V+x}"));
    assert!(fallback("${V:=x}"));
    assert!(!fallback("${V:?x}"));
    assert!(!fallback("${V#x}"));
    assert!(!fallback("${V/a/b}"));
    assert!(!fallback("${#V}"));
}

#[test]
fn references_inside_fallbacks_are_found_in_order() {
    let text = "${A:-${B:-$C}}";
    let refs = references(text, '\\');
    assert_eq!(names(&refs), ["A", "B", "C"]);
    assert_eq!(refs[0].span, Span::new(0, text.len()));
    assert_eq!(&text[refs[2].span.start..refs[2].span.end], "$C");
    assert!(!refs[2].has_fallback);
}

#[test]
fn references_skip_single_quotes_and_escapes() {
    let refs = references(r#"'$A' "$B '$C'" \$D $E"#, '\\');
    assert_eq!(names(&refs), ["B", "C", "E"]);
    assert_eq!(names(&references("`$A $B", '`')), ["B"]);
    assert_eq!(names(&references(r"\${A} $\{B}", '\\')), Vec::<&str>::new());
}

#[test]
fn references_ignore_shell_special_parameters() {
    let refs = shell_references("echo $$ $0 $1 $9 $@ $* $# $? $! $- ${1} ${#} ${@} $ done");
    assert!(refs.is_empty(), "{refs:?}");
}

#[test]
fn references_scan_command_substitution() {
    let text = r#"echo "$(cat '$NOPE' $FILE)" `basename $DIR` $((COUNT + $STEP))"#;
    let refs = shell_references(text);
    assert_eq!(names(&refs), ["FILE", "DIR", "STEP"]);
    let nested = shell_references(r#"x="$(printf '%s' "$(id -u $USER_NAME)")" && echo '$Y' $Z"#);
    assert_eq!(names(&nested), ["USER_NAME", "Z"]);
    // A parenthesised group inside a substitution does not end it.
    let group = shell_references("$( (cd $A) ) $B");
    assert_eq!(names(&group), ["A", "B"]);
}

#[test]
fn references_length_and_indirection() {
    assert_eq!(
        names(&references("${#LIST} ${!REF} ${!PRE*}", '\\')),
        ["LIST", "REF"]
    );
}

#[test]
fn shell_comments_hide_references() {
    let script = "apt-get install $PKG # not $THIS\n  # nor $THAT\n  && echo a#$REAL";
    assert_eq!(names(&shell_references(script)), ["PKG", "REAL"]);
    // Outside shell text `#` is ordinary.
    assert_eq!(names(&references("a #$X", '\\')), ["X"]);
}

#[test]
fn unterminated_references_still_count() {
    let text = "${VERSION";
    let refs = references(text, '\\');
    assert_eq!(names(&refs), ["VERSION"]);
    assert_eq!(refs[0].span, Span::new(0, text.len()));
    assert!(references("${", '\\').is_empty());
    assert!(references("$", '\\').is_empty());
    assert!(references("\\", '\\').is_empty());
}

#[test]
fn pattern_reversal_keeps_escape_pairs() {
    assert_eq!(reverse_pattern(r"a\*c"), r"c\*a");
    assert_eq!(reverse_pattern(r"\\\ab"), r"b\a\\");
    assert_eq!(reverse_pattern(r"ab\"), r"\ba");
    assert_eq!(reverse_pattern(r"\\b"), r"b\\");
    assert_eq!(reverse_pattern("👽\\🚀🖖"), "🖖\\🚀👽");
}

proptest! {
    #[test]
    fn expansion_never_panics(
        text in "\\PC*",
        escape in prop::sample::select(vec!['\\', '`']),
    ) {
        let expansion = expand_word(&text, escape, &|name: &str| {
            name.len().is_multiple_of(2).then(|| format!("<{name}>"))
        });
        for word in &expansion.words {
            prop_assert!(!word.is_empty());
        }
        for name in &expansion.unresolved {
            prop_assert!(expansion.referenced.contains(name));
        }
    }

    #[test]
    fn dollar_heavy_text_never_panics(text in "[${}:#%/?+\\-=*'\"\\\\`()a-c0-9 ]{0,40}") {
        let lookup = |name: &str| (name != "b").then(|| "x y".to_string());
        for escape in ['\\', '`'] {
            let expansion = expand_word(&text, escape, &lookup);
            if !text.contains('$') {
                prop_assert!(expansion.referenced.is_empty());
            }
        }
        let refs = references(&text, '\\').into_iter().chain(shell_references(&text));
        for found in refs {
            prop_assert!(text[found.span.start..found.span.end].starts_with('$'));
            prop_assert!(!found.name.is_empty());
            prop_assert!(found.name.chars().all(is_name_char));
        }
    }

    #[test]
    fn references_have_valid_spans(text in "\\PC*") {
        let refs = references(&text, '\\').into_iter().chain(shell_references(&text));
        for found in refs {
            prop_assert!(found.span.start < found.name_span.start);
            prop_assert!(found.name_span.end <= found.span.end);
            prop_assert!(found.span.end <= text.len());
            prop_assert!(text.is_char_boundary(found.span.start));
            prop_assert!(text.is_char_boundary(found.span.end));
        }
    }

    #[test]
    fn text_without_specials_is_unchanged(text in "[a-zA-Z0-9_./:@ -]{0,40}") {
        let expansion = expand_word(&text, '\\', &|_: &str| None);
        prop_assert_eq!(expansion.value, text.clone());
        let split: Vec<String> = text.split_whitespace().map(String::from).collect();
        prop_assert_eq!(expansion.words, split);
        prop_assert!(references(&text, '\\').is_empty());
    }
}
