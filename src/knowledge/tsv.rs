//! The shared shape of the `data/*.tsv` tables: one header line, tab-separated
//! records, no quoting, empty field = unknown.

/// The records of `text` (header skipped) as field lists; panics if a record
/// does not have as many fields as the header (tests parse every table).
pub(crate) fn records<'a>(table: &'static str, text: &'a str) -> Vec<Vec<&'a str>> {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    let width = header.split('\t').count();
    lines
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                fields.len(),
                width,
                "data/{table} line {}: expected {width} fields",
                i + 2
            );
            fields
        })
        .collect()
}

/// `yes` → true; anything else false.
pub(crate) fn yes(field: &str) -> bool {
    field == "yes"
}

/// An empty field is `None`; a number that does not parse panics (tests parse every row).
pub(crate) fn number(table: &str, field: &str) -> Option<u64> {
    if field.is_empty() {
        return None;
    }
    Some(
        field
            .parse()
            .unwrap_or_else(|_| panic!("data/{table}: {field:?} is not a number")),
    )
}
