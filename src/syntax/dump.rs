//! BuildKit's `Node.Dump()` text form of a parse, so our parse can be compared
//! line for line with BuildKit's own parser test expectations.

use super::ast::{Dockerfile, Instruction};

/// One line per instruction: `(keyword ["--flag"] "arg" ...)`.
pub fn buildkit_dump(file: &Dockerfile) -> String {
    let mut out = String::new();
    for instruction in &file.instructions {
        out.push('(');
        out.push_str(&dump_instruction(file, instruction));
        out.push_str(")\n");
    }
    out
}

fn dump_instruction(file: &Dockerfile, instruction: &Instruction) -> String {
    let mut out = keyword_text(file, instruction);
    if !instruction.flags.is_empty() {
        let flags: Vec<String> = instruction
            .flags
            .iter()
            .map(|f| go_quote(&f.as_written()))
            .collect();
        out.push_str(&format!(" [{}]", flags.join(" ")));
    }
    if let Some(trigger) = &instruction.trigger {
        out.push_str(&format!(" ({})", dump_instruction(file, trigger)));
    }
    for word in &instruction.args.words {
        out.push(' ');
        out.push_str(&go_quote(&word.text));
    }
    out
}

fn keyword_text(file: &Dockerfile, instruction: &Instruction) -> String {
    file.text(instruction.keyword_span).to_lowercase()
}

/// Go's `strconv.Quote`.
pub fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0B}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() || c == '\u{feff}' => {
                if (c as u32) <= 0xffff {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
