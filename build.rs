//! Turns the rule pages `rules/*.md` into the rule registry: every page's front
//! matter becomes a `RuleMeta`, and the page's rule file `src/rules/<category>/<name>.rs`
//! is compiled in. A page without a rule file (or the reverse) fails the build.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let pages_dir = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/rules");
    let mut pages: Vec<_> = std::fs::read_dir(&pages_dir)
        .expect("rules/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "md") && p.file_stem().is_some_and(|s| s != "README")
        })
        .collect();
    pages.sort();
    let mut modules = String::new();
    let mut metas = String::new();
    let mut rules = String::new();
    let mut seen_codes = Vec::new();
    // Every name, code and alias, lowercase: one name space, no name given twice.
    let mut seen_names: Vec<String> = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).expect("readable rule page");
        let front = front_matter(&text)
            .unwrap_or_else(|| panic!("{}: no +++ front matter", page.display()));
        let get = |key: &str| -> String {
            front
                .lines()
                .find_map(|line| {
                    let (k, v) = line.split_once('=')?;
                    (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
                })
                .unwrap_or_else(|| panic!("{}: front matter lacks `{key}`", page.display()))
        };
        let name = get("name");
        let stem = page.file_stem().unwrap().to_string_lossy().to_string();
        assert_eq!(
            name,
            stem,
            "{}: name must equal the file name",
            page.display()
        );
        let code = get("code");
        assert!(!seen_codes.contains(&code), "duplicate rule code {code}");
        seen_codes.push(code.clone());
        let category = get("category");
        let severity = get("severity");
        let fix = get("fix");
        let aliases = aliases(front);
        // `experimental = true`: off unless asked for by name (BuildKit's experimental checks).
        let experimental = front
            .lines()
            .any(|line| line.replace(' ', "") == "experimental=true");
        // `opt-in = true`: off unless named (hadolint's rules that are off by default).
        let opt_in = front
            .lines()
            .any(|line| line.replace(' ', "") == "opt-in=true");
        for known in [&name, &code].into_iter().chain(&aliases) {
            let key = known.to_ascii_lowercase();
            assert!(
                !seen_names.contains(&key),
                "{}: `{known}` already names another rule",
                page.display()
            );
            seen_names.push(key);
        }
        let summary = summary(&text);
        let module = name.replace('-', "_");
        let category_module = category.replace('-', "_");
        let file = root
            .join("src/rules")
            .join(&category_module)
            .join(format!("{module}.rs"));
        assert!(
            file.exists(),
            "rule page {} has no implementation at {}",
            page.display(),
            file.display()
        );
        let type_name: String = name
            .split('-')
            .map(|part| {
                let mut chars = part.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            })
            .collect();
        writeln!(
            modules,
            "#[path = {:?}]\nmod {module};",
            file.display().to_string()
        )
        .unwrap();
        writeln!(
            metas,
            "RuleMeta {{ name: {name:?}, code: {code:?}, aliases: &{aliases:?}, category: Category::{}, severity: Severity::{}, fixable: {}, experimental: {experimental}, opt_in: {opt_in}, summary: {summary:?}, page: include_str!({:?}) }},",
            pascal(&category),
            pascal(&severity),
            fix != "none",
            page.display().to_string()
        )
        .unwrap();
        writeln!(rules, "&{module}::{type_name},").unwrap();
    }
    // Rule files without a page.
    for category in std::fs::read_dir(root.join("src/rules"))
        .expect("src/rules exists")
        .flatten()
    {
        if !category.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(category.path())
            .expect("readable")
            .flatten()
        {
            let path = file.path();
            let stem = path
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .replace('_', "-");
            assert!(
                pages_dir.join(format!("{stem}.md")).exists(),
                "rule file {} has no page rules/{stem}.md",
                path.display()
            );
        }
    }
    let out = format!(
        "{modules}\n/// Every rule's metadata, in code order.\npub static RULE_METAS: &[RuleMeta] = &[\n{metas}];\n\n/// Every rule, in the same order as [`RULE_METAS`].\npub static RULES: &[&(dyn Rule + Sync)] = &[\n{rules}];\n"
    );
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("rules_gen.rs"), out).expect("writable OUT_DIR");
}

/// `aliases = ["StageNameCasing", ...]`: other tools' names for the rule (optional).
fn aliases(front: &str) -> Vec<String> {
    let Some(list) = front.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        (k.trim() == "aliases").then_some(v.trim())
    }) else {
        return Vec::new();
    };
    let inner = list
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
        .expect("aliases is a one-line array of strings");
    inner
        .split(',')
        .map(|a| a.trim().trim_matches('"').to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

fn front_matter(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("+++\n")?;
    let end = rest.find("\n+++")?;
    Some(&rest[..end])
}

/// The first paragraph after the page's title.
fn summary(text: &str) -> String {
    let body = text.splitn(3, "+++").nth(2).unwrap_or("");
    body.lines()
        .skip_while(|l| l.trim().is_empty() || l.starts_with('#'))
        .take_while(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn pascal(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
