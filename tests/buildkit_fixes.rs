//! `--fix` for the BuildKit checks: what each certain fix writes, and which fixes are
//! only applied with `--unsafe-fixes`. Each case selects its one rule, so the others'
//! fixes do not mix in.

use dockstage::diagnostic::Applicability;
use dockstage::filter::Selection;
use dockstage::fix::fix_logged;
use dockstage::lint::LintOptions;

const SAFE: &[Applicability] = &[Applicability::Safe];
const UNSAFE: &[Applicability] = &[Applicability::Safe, Applicability::Unsafe];

fn fixed(rule: &str, source: &str, allowed: &[Applicability]) -> String {
    let options = LintOptions {
        selection: Selection {
            select: vec![rule.to_string()],
            ..Selection::default()
        },
        ..LintOptions::default()
    };
    let (text, applied) = fix_logged(source, &options, allowed);
    let name = dockstage::rules::find(rule).expect("a rule").name;
    assert!(applied.iter().all(|a| a.rule == name), "{applied:?}");
    text
}

#[test]
fn safe_fixes_write_what_buildkit_asks_for() {
    let cases = [
        (
            "ExposeProtoCasing",
            "FROM alpine\nEXPOSE 80/TCP 53/Udp\n",
            "FROM alpine\nEXPOSE 80/tcp 53/udp\n",
        ),
        (
            "StageNameCasing",
            "FROM alpine AS Build\nFROM Build\nCOPY --from=Build /a /a\n",
            "FROM alpine AS build\nFROM build\nCOPY --from=build /a /a\n",
        ),
        (
            "FromAsCasing",
            "FROM alpine as build\nRUN true\n",
            "FROM alpine AS build\nRUN true\n",
        ),
        (
            "ConsistentInstructionCasing",
            "FROM alpine\nRUN true\nrun false\nCOPY a b\n",
            "FROM alpine\nRUN true\nRUN false\nCOPY a b\n",
        ),
        (
            "LegacyKeyValueFormat",
            "FROM alpine\nENV APP_HOME /srv/app\n",
            "FROM alpine\nENV APP_HOME=/srv/app\n",
        ),
    ];
    for (rule, source, expected) in cases {
        assert_eq!(fixed(rule, source, SAFE), expected, "{rule}");
        // A second run changes nothing.
        assert_eq!(fixed(rule, expected, UNSAFE), expected, "{rule} again");
    }
}

#[test]
fn unsafe_fixes_wait_for_unsafe_fixes() {
    let cases = [
        (
            "MaintainerDeprecated",
            "FROM alpine\nMAINTAINER Jane Doe <jane@example.com>\n",
            "FROM alpine\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n",
        ),
        (
            "JSONArgsRecommended",
            "FROM alpine\nENTRYPOINT /usr/bin/app --port=8080\n",
            "FROM alpine\nENTRYPOINT [\"/usr/bin/app\", \"--port=8080\"]\n",
        ),
        (
            "JSONArgsRecommended",
            "FROM alpine\nCMD node server.js\n",
            "FROM alpine\nCMD [\"node\", \"server.js\"]\n",
        ),
    ];
    for (rule, source, expected) in cases {
        assert_eq!(fixed(rule, source, SAFE), source, "{rule}: safe only");
        assert_eq!(fixed(rule, source, UNSAFE), expected, "{rule}");
    }
}

#[test]
fn no_fix_where_the_words_are_not_plain_or_the_value_unknown() {
    let untouched = [
        (
            "JSONArgsRecommended",
            "FROM alpine\nCMD echo \"$HOME\" && run\n",
        ),
        (
            "MaintainerDeprecated",
            "FROM alpine\nMAINTAINER \"quoted\" name\n",
        ),
        (
            "FromPlatformFlagConstDisallowed",
            "FROM --platform=linux/amd64 alpine AS build\nRUN true\n",
        ),
        ("SecretsUsedInArgOrEnv", "FROM alpine\nARG DB_PASSWORD\n"),
        // Found by the fix fuzz target: the key's quote paired with the added ones.
        (
            "LegacyKeyValueFormat",
            "FROM alpine\nLABEL \"quoted AS runtime\n",
        ),
        // Found by the fix fuzz target: a form feed splits `KEY=a\x0cb` into two words.
        ("LegacyKeyValueFormat", "FROM alpine\nENV KEY a\x0cb\n"),
        (
            "UndefinedArgInFrom",
            "ARG VERSOIN=3\nFROM alpine:${VERSION}\n",
        ),
        ("InvalidDefaultArgInFrom", "ARG TAG\nFROM alpine:${TAG}\n"),
    ];
    for (rule, source) in untouched {
        assert_eq!(fixed(rule, source, UNSAFE), source, "{rule}");
    }
}
