//! Which language toolchains an image installs, from its ENV names and the version
//! managers and installers its RUN steps call. A CI build environment installs
//! several on purpose; an application rarely needs more than one or two.

use crate::syntax::{Instruction, Keyword};

/// A language family: its name, the ENV name prefixes that set it up, and the
/// words of a RUN step that install it.
struct Family {
    name: &'static str,
    env_prefixes: &'static [&'static str],
    run_words: &'static [&'static str],
}

const FAMILIES: &[Family] = &[
    Family {
        name: "go",
        env_prefixes: &["GOLANG_", "GOROOT", "GOPATH", "GOENV_", "GO_VERSION"],
        run_words: &["goenv", "golang"],
    },
    Family {
        name: "java",
        env_prefixes: &[
            "JAVA_HOME",
            "JDK_HOME",
            "JRE_HOME",
            "JAVA_VERSION",
            "MAVEN_",
            "GRADLE_",
            "ANT_",
            "SBT_",
        ],
        run_words: &["openjdk", "corretto", "temurin", "sdkman", "jenv"],
    },
    Family {
        name: "python",
        env_prefixes: &["PYTHON_", "PYENV_", "PIP_"],
        run_words: &["pyenv", "python-build"],
    },
    Family {
        name: "node",
        env_prefixes: &["NODE_", "NVM_", "NODENV_", "N_SRC_DIR", "YARN_VERSION"],
        run_words: &["nvm", "nodenv", "nodesource"],
    },
    Family {
        name: "ruby",
        env_prefixes: &["RUBY_", "RBENV_", "RVM_"],
        run_words: &["rbenv", "ruby-build", "rvm"],
    },
    Family {
        name: "php",
        env_prefixes: &["PHP_", "PHPENV_", "COMPOSER_"],
        run_words: &["phpenv", "php-build"],
    },
    Family {
        name: "dotnet",
        env_prefixes: &["DOTNET_", "NUGET_"],
        run_words: &["dotnet-install"],
    },
    Family {
        name: "rust",
        env_prefixes: &["RUST_", "RUSTUP_", "CARGO_HOME"],
        run_words: &["rustup"],
    },
    Family {
        name: "docker",
        env_prefixes: &["DOCKER_VERSION", "DOCKER_CHANNEL", "DIND_"],
        run_words: &["dockerd"],
    },
];

/// The language families (`go`, `java`, ...) that `instructions` set up, in table order.
pub fn installed<'a>(
    source: &str,
    instructions: impl Iterator<Item = &'a Instruction>,
) -> Vec<&'static str> {
    let mut found = [false; FAMILIES.len()];
    for instruction in instructions {
        match instruction.keyword {
            Keyword::Env => {
                for pair in &instruction.args.pairs {
                    let key = pair.key.text.trim_matches('"').to_ascii_uppercase();
                    for (at, family) in FAMILIES.iter().enumerate() {
                        found[at] |= family.env_prefixes.iter().any(|p| key.starts_with(p));
                    }
                }
            }
            Keyword::Run => {
                // One pass, no copies: a RUN can be megabytes.
                let text = &source[instruction.span.start..instruction.span.end];
                for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
                    for (at, family) in FAMILIES.iter().enumerate() {
                        found[at] |= family
                            .run_words
                            .iter()
                            .any(|w| w.eq_ignore_ascii_case(word));
                    }
                }
            }
            _ => {}
        }
    }
    FAMILIES
        .iter()
        .zip(found)
        .filter(|(_, found)| *found)
        .map(|(family, _)| family.name)
        .collect()
}
