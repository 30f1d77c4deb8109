//! `dockstage migrate hadolint`: prints the `.dockstage.toml` that does what a
//! `.hadolint.yaml` does (dockstage also reads the YAML file as it is, when no
//! `.dockstage.toml` applies).

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::config::{find_hadolint_config, Config, HadolintConfig};
use crate::diagnostic::{FailLevel, Severity};
use crate::emit::escape::escape;
use crate::emit::print_stdout;
use crate::rules;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct MigrateArgs {
    #[command(subcommand)]
    pub from: MigrateFrom,
}

#[derive(Subcommand, Debug)]
pub enum MigrateFrom {
    /// Print the `.dockstage.toml` equivalent to a hadolint configuration
    Hadolint {
        /// The hadolint configuration; default: where hadolint finds it
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

pub fn run(args: &MigrateArgs) -> i32 {
    let MigrateFrom::Hadolint { config } = &args.from;
    let Some(path) = config.clone().or_else(find_hadolint_config) else {
        eprintln!("dockstage: no hadolint configuration found (.hadolint.yaml in this directory, or hadolint's user configuration)");
        return EXIT_ERROR;
    };
    match Config::read_hadolint(&path) {
        Ok((hadolint, warnings)) => {
            for warning in warnings {
                eprint!("{}", escape(&warning.render(false, 100)));
            }
            if print_stdout(&to_toml(&hadolint, &path)) {
                EXIT_CLEAN
            } else {
                EXIT_ERROR
            }
        }
        Err(err) => {
            eprint!("{}", escape(&err.render(false, 100)));
            EXIT_ERROR
        }
    }
}

/// The configuration as TOML, each rule with the hadolint code it came from.
pub fn to_toml(hadolint: &HadolintConfig, path: &Path) -> String {
    let mut out = format!(
        "# .dockstage.toml, from {} by `dockstage migrate hadolint`.\n\
         # `# hadolint ignore=` pragmas in Dockerfiles keep working as they are.\n",
        path.display()
    );
    let mut not_ported = Vec::new();
    let level = match hadolint.fail_level() {
        FailLevel::None => "none",
        FailLevel::Error => "error",
        FailLevel::Warning => "warning",
        FailLevel::Info => "info",
        FailLevel::Style => "style",
    };
    out.push_str(&format!(
        "fail-level = \"{level}\"{}\n",
        if hadolint.failure_threshold.is_none() && !hadolint.no_fail {
            "  # hadolint's default failure threshold"
        } else {
            ""
        }
    ));
    let mut ignore = Vec::new();
    for code in &hadolint.ignored {
        match rules::find(code) {
            Some(meta) => ignore.push(format!("  \"{}\",  # {code}\n", meta.name)),
            None => not_ported.push(code.clone()),
        }
    }
    if !ignore.is_empty() {
        out.push_str(&format!("ignore = [\n{}]\n", ignore.concat()));
    }
    if !hadolint.trusted_registries.is_empty() {
        let list: Vec<String> = hadolint
            .trusted_registries
            .iter()
            .map(|r| format!("{r:?}"))
            .collect();
        out.push_str(&format!("trusted-registries = [{}]\n", list.join(", ")));
    }
    if hadolint.disable_ignore_pragma {
        out.push_str(
            "# disable-ignore-pragma: no .dockstage.toml key turns `# hadolint` pragmas off;\n\
             # keep the .hadolint.yaml (and no .dockstage.toml) to keep that behaviour.\n",
        );
    }
    if !hadolint.label_schema.is_empty() {
        let pairs: Vec<String> = hadolint
            .label_schema
            .iter()
            .map(|(label, kind)| format!("{label:?} = {kind:?}"))
            .collect();
        out.push_str(&format!("label-schema = {{ {} }}\n", pairs.join(", ")));
    }
    if hadolint.strict_labels {
        out.push_str("strict-labels = true\n");
    }
    let mut severity = Vec::new();
    for (code, level) in &hadolint.overrides {
        match rules::find(code) {
            Some(meta) => severity.push(format!(
                "{} = \"{}\"  # {code}\n",
                meta.name,
                Severity::as_str(*level)
            )),
            None => not_ported.push(code.clone()),
        }
    }
    if !not_ported.is_empty() {
        out.push_str(&format!(
            "# No dockstage rule (yet) for: {}\n",
            not_ported.join(", ")
        ));
    }
    if !severity.is_empty() {
        out.push_str(&format!("\n[severity]\n{}", severity.concat()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_file_is_a_valid_configuration_doing_the_same() {
        let hadolint = HadolintConfig {
            ignored: vec!["DL3015".into(), "SC2086".into()],
            overrides: vec![("DL4000".into(), Severity::Error)],
            trusted_registries: vec!["my-company.com".into()],
            label_schema: vec![
                ("org.opencontainers.image.source".into(), "url".into()),
                ("maintainer".into(), "email".into()),
            ],
            strict_labels: true,
            failure_threshold: Some(FailLevel::Warning),
            ..HadolintConfig::default()
        };
        let path = Path::new("/repo/.dockstage.toml");
        let text = to_toml(&hadolint, path);
        assert!(
            text.contains("# No dockstage rule (yet) for: SC2086"),
            "{text}"
        );
        let config = Config::parse(&text, path).expect(&text);
        let from_yaml = Config::from_hadolint(&hadolint, path);
        assert_eq!(config.selection.ignore, from_yaml.selection.ignore);
        assert_eq!(config.selection.severity, from_yaml.selection.severity);
        assert_eq!(config.fail_level, from_yaml.fail_level);
        assert_eq!(
            config.settings.trusted_registries,
            from_yaml.settings.trusted_registries
        );
        // The TOML table is read back in key order.
        let mut labels = from_yaml.settings.label_schema.clone();
        labels.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(config.settings.label_schema, labels);
        assert!(config.settings.strict_labels && from_yaml.settings.strict_labels);
    }
}
