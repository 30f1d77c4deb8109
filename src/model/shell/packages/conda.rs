//! conda, mamba and micromamba.

use super::command_line::Grammar;
use super::PackageAction::{FromManifest, Remove, Upgrade};
use super::{cut_at, Dialect};

pub(super) const CONDA: Dialect = Dialect {
    grammar: &Grammar {
        long_values: &[
            "--channel",
            "--name",
            "--prefix",
            "--file",
            "--override-channels-file",
        ],
        short_values: "cnp",
        single_dash_long: false,
    },
    two_word_verbs: &["env"],
    install_named_or_manifest: &["install", "create"],
    verbs: &[
        (FromManifest, &["env create", "env update"]),
        (Remove, &["remove", "uninstall"]),
        (Upgrade, &["update", "upgrade"]),
    ],
    package_name,
    assumes_yes: |install| install.has_flag("--yes", Some('y')),
    ..Dialect::PLAIN
};

/// `conda-forge::numpy>=1.26` names `numpy`.
fn package_name(spec: &str) -> String {
    let without_channel = spec.rsplit_once("::").map_or(spec, |(_, name)| name);
    cut_at(without_channel, &['=', '<', '>', '!', ' ', '['])
}
