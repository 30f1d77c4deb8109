//! What dockstage knows about the world, as data: the tables in `data/` (see
//! `data/README.md`), embedded with `include_str!` and parsed once, lazily.
//!
//! One file per table. Every lookup has a `*_with` twin that also consults extra
//! rows (from configuration); the extra rows win over the embedded ones.

pub mod base_images;
pub mod build_tools;
pub mod image_alternatives;
pub mod official_images;
pub mod secret_files;
pub mod secret_values;
pub mod secret_variables;
pub mod toolchain_paths;
mod tsv;

use crate::model::image_ref::ImageRef;

/// The repository as the tables write it: `node`, `bitnami/redis`,
/// `gcr.io/distroless/static-debian12`, `scratch` (Docker Hub's `library/` dropped,
/// other registries kept).
pub fn table_repository(image: &ImageRef) -> String {
    if image.is_scratch {
        return "scratch".to_string();
    }
    match &image.registry {
        Some(registry) => format!("{registry}/{}", image.namespace_and_name),
        None => image
            .namespace_and_name
            .strip_prefix("library/")
            .filter(|rest| !rest.contains('/'))
            .unwrap_or(&image.namespace_and_name)
            .to_string(),
    }
}

/// A byte count for messages, in decimal units: `903 MB`, `1.2 GB`, `450 kB`.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "kB")];
    for (size, unit) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            return if value < 10.0 {
                format!("{value:.1} {unit}")
            } else {
                format!("{value:.0} {unit}")
            };
        }
    }
    format!("{bytes} B")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::image_ref::parse;

    #[test]
    fn bytes() {
        assert_eq!(format_bytes(902_660_000), "903 MB");
        assert_eq!(format_bytes(1_230_000_000), "1.2 GB");
        assert_eq!(format_bytes(4_500), "4.5 kB");
        assert_eq!(format_bytes(12), "12 B");
    }

    #[test]
    fn table_repositories() {
        let repo = |t: &str| table_repository(&parse(t).unwrap());
        assert_eq!(repo("node:22"), "node");
        assert_eq!(repo("docker.io/library/node"), "node");
        assert_eq!(repo("bitnami/redis"), "bitnami/redis");
        assert_eq!(
            repo("gcr.io/distroless/static-debian12:nonroot"),
            "gcr.io/distroless/static-debian12"
        );
        assert_eq!(repo("scratch"), "scratch");
    }
}
