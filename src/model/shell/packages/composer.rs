//! composer (PHP).

use super::command_line::Grammar;
use super::flags::{is_truthy, no_cache_flag};
use super::PackageAction::{FromManifest, Install, Remove, Upgrade};
use super::{cut_at, Dialect};

pub(super) const COMPOSER: Dialect = Dialect {
    grammar: &Grammar {
        long_values: &["--working-dir", "--format", "--stability"],
        short_values: "d",
        single_dash_long: false,
    },
    verbs: &[
        (FromManifest, &["install", "i"]),
        (Install, &["require", "req"]),
        (Remove, &["remove", "rm"]),
        (Upgrade, &["update", "u", "upgrade"]),
    ],
    // `monolog/monolog:^3.0` names `monolog/monolog`.
    package_name: |spec| cut_at(spec, &[':', '=', ' ']),
    no_cache: no_cache_flag,
    production_only: |install| {
        install.has_flag("--no-dev", None)
            || install.env_value("COMPOSER_NO_DEV").is_some_and(is_truthy)
    },
    ..Dialect::PLAIN
};
