//! `apt-get install` in a `RUN`: one dependency closure per layer from the
//! Debian index of the image's release, taken against everything the base and
//! earlier layers hold; names the index lacks fall back to the hand table.

use super::state::StageState;
use super::Runner;
use crate::knowledge::base_images;
use crate::model::image_ref;
use crate::size::catalog::BaseImage;
use crate::size::debian::DebianPackages;
use crate::size::debian_index::{DebianIndex, Held, Suite};
use crate::size::packages;
use crate::size::range::{Bytes, Part, Source, MB};

/// What `buildpack-deps:<suite>` adds over its `-scm` variant; the full Debian
/// images of python, ruby, node, rust and gcc are built on it
/// (docker-library/buildpack-deps debian/trixie/Dockerfile).
const BUILDPACK_DEPS_FULL: &[&str] = &[
    "autoconf",
    "automake",
    "bzip2",
    "default-libmysqlclient-dev",
    "dpkg-dev",
    "file",
    "g++",
    "gcc",
    "imagemagick",
    "libbz2-dev",
    "libc6-dev",
    "libcurl4-openssl-dev",
    "libdb-dev",
    "libevent-dev",
    "libffi-dev",
    "libgdbm-dev",
    "libglib2.0-dev",
    "libgmp-dev",
    "libjpeg-dev",
    "libkrb5-dev",
    "liblzma-dev",
    "libmagickcore-dev",
    "libmagickwand-dev",
    "libmaxminddb-dev",
    "libncurses-dev",
    "libpng-dev",
    "libpq-dev",
    "libreadline-dev",
    "libsqlite3-dev",
    "libssl-dev",
    "libtool",
    "libwebp-dev",
    "libxml2-dev",
    "libxslt1-dev",
    "libyaml-dev",
    "make",
    "patch",
    "unzip",
    "xz-utils",
    "zlib1g-dev",
];

/// What the full `golang` image installs over `buildpack-deps:<suite>-scm`
/// (docker-library/golang Dockerfile).
const GOLANG_FULL: &[&str] = &["g++", "gcc", "libc6-dev", "make", "pkg-config"];

/// The packages a full (not slim) Debian image of these repositories holds
/// beyond `buildpack-deps:<suite>-scm`.
fn full_image_packages(image: &image_ref::ImageRef) -> &'static [&'static str] {
    let tag = image.tag_or_latest().to_ascii_lowercase();
    let partial = tag
        .split(['-', '.'])
        .any(|w| matches!(w, "slim" | "curl" | "scm") || w.starts_with("alpine"));
    let repository = crate::knowledge::table_repository(image);
    match repository.as_str() {
        _ if partial => &[],
        "buildpack-deps" | "python" | "node" | "ruby" | "rust" | "gcc" => BUILDPACK_DEPS_FULL,
        "golang" => GOLANG_FULL,
        _ => &[],
    }
}

impl Runner<'_, '_> {
    pub(super) fn apt_part(
        &self,
        state: &mut StageState,
        names: &[String],
        no_recommends: bool,
    ) -> Part {
        if names.is_empty() {
            return Part::new(Bytes::ZERO, Source::Table, "apt: nothing new");
        }
        let Some(root) = state.root.clone() else {
            return hand_table_part(names, no_recommends, state.vendor_repo);
        };
        if !matches!(root.os_family.as_str(), "debian" | "ubuntu") {
            return hand_table_part(names, no_recommends, state.vendor_repo);
        }
        let (suite, held) = state.apt_held.get_or_insert_with(|| held_by_base(&root));
        let suite = *suite;
        let index = DebianIndex::embedded(suite);
        let mut closure = index.closure(names, !no_recommends, held);
        held.extend(closure.added.iter().copied());
        // Installed-Size is what dpkg unpacks; slim (and Ubuntu's minimized)
        // images leave out docs, man pages and translations, so their disk
        // holds somewhat less.
        let (down, up) = if root.variant == "slim" || suite.is_ubuntu() {
            (0.3, 0.1)
        } else {
            (0.1, 0.15)
        };
        let mut size = Bytes::spread(closure.bytes, down, up);
        // Ubuntu's `main` lacks universe: Debian trixie's index names the rest,
        // over Debian's base (a stand-in, so a wider range).
        let mut from_debian = Vec::new();
        if suite.is_ubuntu() && !closure.unknown.is_empty() {
            let debian = DebianIndex::embedded(Suite::Trixie);
            let rest = debian.closure(&closure.unknown, !no_recommends, &debian.base());
            size += Bytes::spread(rest.bytes, 0.4, 0.4);
            from_debian = rest.known;
            closure.unknown = rest.unknown;
        }
        let mut note = if closure.known.is_empty() {
            "apt: nothing new".to_string()
        } else {
            format!(
                "apt: {}{}; {} new package{} from the {} index",
                closure.known.join(" "),
                if no_recommends {
                    ""
                } else {
                    " (with recommends)"
                },
                closure.added.len(),
                if closure.added.len() == 1 { "" } else { "s" },
                suite.describe(),
            )
        };
        if !from_debian.is_empty() {
            note.push_str(&format!(
                "; not in Ubuntu main, sized from Debian trixie: {}",
                from_debian.join(" ")
            ));
        }
        if !closure.already_held.is_empty() {
            note.push_str(&format!(
                "; already in the image: {}",
                closure.already_held.join(" ")
            ));
        }
        let mut source = if from_debian.is_empty() {
            Source::Table
        } else {
            Source::Heuristic
        };
        if !closure.unknown.is_empty() {
            let rest = hand_table_part(&closure.unknown, no_recommends, state.vendor_repo);
            size += rest.size;
            note.push_str(&format!("; {}", rest.note));
            source = source.weaker(rest.source);
        }
        Part::new(size, source, note)
    }
}

/// The suite of a Debian or Ubuntu base, and the packages it holds.
fn held_by_base(root: &BaseImage) -> (Suite, Held) {
    // The current release when the tag names none.
    let current = if root.os_family == "ubuntu" {
        Suite::Resolute
    } else {
        Suite::Trixie
    };
    let suite = Suite::named_in(&root.reference).unwrap_or(current);
    let index = DebianIndex::embedded(suite);
    let mut held = index.base();
    if let Ok(image) = image_ref::parse(&root.reference) {
        index.hold(&mut held, base_images::debian_packages_beyond_slim(&image));
        index.hold(&mut held, full_image_packages(&image));
    }
    (suite, held)
}

/// Packages the index does not know (another repository's, or another
/// release's): the hand table's closures, else a wide guess per name.
fn hand_table_part(names: &[String], no_recommends: bool, vendor_repo: Option<usize>) -> Part {
    let closure = DebianPackages::embedded().closure(names, !no_recommends);
    let mut size = closure.size;
    let mut note = if closure.known.is_empty() {
        "apt".to_string()
    } else {
        format!("apt: {}", closure.known.join(" "))
    };
    let mut source = Source::Table;
    if !closure.stand_ins.is_empty() {
        note.push_str(&format!(
            "; sized by another version: {}",
            closure.stand_ins.join(", ")
        ));
        source = Source::Heuristic;
    }
    if !closure.unknown.is_empty() {
        let count = closure.unknown.len() as u64;
        match vendor_repo {
            Some(line) => {
                size += packages::vendor_package().scaled(count as f64);
                note.push_str(&format!(
                    "; in no package table, maybe from the repository line {line} adds: {} (an estimate, 5-600 MB each)",
                    closure.unknown.join(" ")
                ));
            }
            None => {
                size += Bytes::range(200 * 1000 * count, 5 * MB * count, 60 * MB * count);
                note.push_str(&format!(
                    "; not in the package tables: {}",
                    closure.unknown.join(" ")
                ));
            }
        }
        source = if closure.known.is_empty() {
            Source::Unknown
        } else {
            Source::Heuristic
        };
    }
    Part::new(size, source, note)
}
