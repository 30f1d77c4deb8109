//! Validating what a file adds to the rules and the knowledge tables: `[rules.NAME]`
//! options, `[[build-tools]]`, `trusted-registries`, secret patterns and `[[images]]`.

use super::schema::{self, ByteSize, RawConfig};
use super::suggest::suggest;
use super::validate::Checker;
use crate::rules::label_types::LabelType;
use crate::rules::settings::{
    self, BuildTool, ImageFacts, KnowledgeRows, SecretFilePattern, SecretVariablePattern, Settings,
    TrustedRegistry,
};
use crate::rules::{self, OptionKind, OptionValue, RuleOptions};
use toml::Spanned;

impl Checker {
    /// Rule options and knowledge extensions; problems are reported in file order.
    pub(super) fn settings(&mut self, raw: &RawConfig) -> Settings {
        Settings {
            rule_options: self.rule_options(raw),
            build_tools: raw
                .build_tools
                .iter()
                .filter_map(|t| self.build_tool(t))
                .collect(),
            trusted_registries: raw
                .trusted_registries
                .iter()
                .filter_map(|r| self.parsed(r, TrustedRegistry::parse, "not a registry"))
                .collect(),
            label_schema: raw
                .label_schema
                .iter()
                .filter_map(|(label, kind)| {
                    let kind = self.parsed(kind, LabelType::parse, "unknown label type")?;
                    Some((label.get_ref().clone(), kind))
                })
                .collect(),
            strict_labels: raw.strict_labels.unwrap_or(false),
            secret_files: raw
                .secret_files
                .iter()
                .filter_map(|p| self.parsed(p, SecretFilePattern::parse, "invalid glob"))
                .collect(),
            secret_variables: raw
                .secret_variables
                .iter()
                .filter_map(|p| self.parsed(p, SecretVariablePattern::parse, "invalid regex"))
                .collect(),
            images: raw.images.iter().filter_map(|i| self.image(i)).collect(),
            rows: KnowledgeRows::default(),
        }
        .with_rows()
    }

    fn rule_options(&mut self, raw: &RawConfig) -> RuleOptions {
        let mut out = RuleOptions::default();
        for (rule_name, table) in &raw.rules {
            let Some(name) = self.rule(rule_name, false) else {
                continue;
            };
            let declared = rules::rule(&name).map_or(&[][..], |r| r.options());
            for (key, value) in table.get_ref() {
                let Some(option) = declared.iter().find(|o| o.name == key.get_ref()) else {
                    let help = if declared.is_empty() {
                        format!("`{name}` has no options")
                    } else {
                        let known: Vec<String> =
                            declared.iter().map(|o| format!("`{}`", o.name)).collect();
                        match suggest(key.get_ref(), declared.iter().map(|o| o.name)) {
                            Some(s) => {
                                format!("did you mean `{s}`? `{name}` takes {}", known.join(", "))
                            }
                            None => format!("`{name}` takes {}", known.join(", ")),
                        }
                    };
                    let error = self
                        .error(
                            key.span(),
                            format!("unknown option `{}` for rule `{name}`", key.get_ref()),
                            "unknown option",
                        )
                        .with_help(help);
                    self.push(error);
                    continue;
                };
                let typed = match (option.kind, value.get_ref()) {
                    (OptionKind::Bool, toml::Value::Boolean(b)) => Some(OptionValue::Bool(*b)),
                    (OptionKind::Integer, toml::Value::Integer(n)) => {
                        Some(OptionValue::Integer(*n))
                    }
                    (OptionKind::String, toml::Value::String(s)) => {
                        Some(OptionValue::String(s.clone()))
                    }
                    (OptionKind::Strings, toml::Value::Array(items)) => items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                        .map(OptionValue::Strings),
                    _ => None,
                };
                match typed {
                    Some(typed) => {
                        let rule = rules::find(&name).map_or("", |m| m.name);
                        out.insert(rule, option.name, typed);
                    }
                    None => {
                        let error = self
                            .error(
                                value.span(),
                                format!(
                                    "`{name}.{}` must be {}",
                                    option.name,
                                    option.kind.as_str()
                                ),
                                format!("expected {}", option.kind.as_str()),
                            )
                            .with_help(option.doc);
                        self.push(error);
                    }
                }
            }
        }
        out
    }

    fn build_tool(&mut self, raw: &schema::RawBuildTool) -> Option<BuildTool> {
        let name = raw.name.get_ref().trim();
        if name.is_empty() || name.chars().any(char::is_whitespace) {
            let error = self.error(
                raw.name.span(),
                "a build tool name is one word",
                "not a name",
            );
            self.push(error);
            return None;
        }
        let typical_bytes = match &raw.typical_bytes {
            Some(size) => Some(self.bytes(size)?),
            None => None,
        };
        Some(BuildTool {
            name: name.to_string(),
            matches: raw.matches,
            kind: raw.kind,
            managers: raw.managers.clone(),
            typical_bytes,
        })
    }

    fn image(&mut self, raw: &schema::RawImage) -> Option<ImageFacts> {
        let written = raw.image.get_ref();
        let reference = crate::model::image_ref::parse(written);
        let image = match reference {
            Ok(r) if r.tag.is_none() && r.digest.is_none() && !r.is_scratch => {
                settings::normalise_repository(&r.repository())
            }
            Ok(_) => {
                let error = self
                    .error(
                        raw.image.span(),
                        "`image` is a repository without tag or digest",
                        "tag or digest here",
                    )
                    .with_help("put the tag in `tag = \"...\"`");
                self.push(error);
                return None;
            }
            Err(err) => {
                let error = self.error(
                    raw.image.span(),
                    format!("`{written}` is not an image repository"),
                    err.to_string(),
                );
                self.push(error);
                return None;
            }
        };
        let tag = match &raw.tag {
            Some(tag)
                if tag.get_ref().is_empty() || tag.get_ref().contains([':', '@', '/', ' ']) =>
            {
                let error = self.error(
                    tag.span(),
                    format!("`{}` is not a tag", tag.get_ref()),
                    "not a tag",
                );
                self.push(error);
                return None;
            }
            Some(tag) => tag.get_ref().clone(),
            None => "latest".to_string(),
        };
        let uncompressed_bytes = self.bytes(&raw.uncompressed_bytes)?;
        let compressed_bytes = match &raw.compressed_bytes {
            Some(size) => Some(self.bytes(size)?),
            None => None,
        };
        Some(ImageFacts {
            image,
            tag,
            uncompressed_bytes,
            compressed_bytes,
            os_family: raw.os_family,
            libc: raw.libc,
            variant: raw.variant,
            package_manager: raw.package_manager,
            has_shell: raw.has_shell,
            default_user: raw.default_user.as_ref().map(|u| u.get_ref().clone()),
            is_sdk: raw.is_sdk,
        })
    }

    fn bytes(&mut self, size: &Spanned<ByteSize>) -> Option<u64> {
        match size.get_ref() {
            ByteSize::Bytes(n) => Some(*n),
            ByteSize::Text(text) => match settings::parse_byte_size(text) {
                Ok(n) => Some(n),
                Err(message) => {
                    let error = self.error(size.span(), message, "not a size");
                    self.push(error);
                    None
                }
            },
        }
    }

    fn parsed<T>(
        &mut self,
        written: &Spanned<String>,
        parse: impl Fn(&str) -> Result<T, String>,
        label: &str,
    ) -> Option<T> {
        match parse(written.get_ref()) {
            Ok(value) => Some(value),
            Err(message) => {
                let error = self.error(
                    written.span(),
                    format!("`{}`: {message}", written.get_ref()),
                    label,
                );
                self.push(error);
                None
            }
        }
    }
}
