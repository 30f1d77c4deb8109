//! `dockstage rule [NAME]`: the rule list, or one rule's page.

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::emit::escape::escape;
use crate::emit::print_stdout;
use crate::rules::{self, RULE_METAS};
use clap::Args;

#[derive(Args, Debug)]
pub struct RuleArgs {
    /// A rule name or code; without it, all rules are listed
    pub name: Option<String>,
}

fn print(text: &str) -> i32 {
    if print_stdout(text) {
        EXIT_CLEAN
    } else {
        EXIT_ERROR
    }
}

pub fn run(args: &RuleArgs) -> i32 {
    match &args.name {
        None => {
            let mut list = format!("{:<8} {:<34} {:<12} SEVERITY\n", "CODE", "NAME", "CATEGORY");
            for meta in RULE_METAS {
                list.push_str(&format!(
                    "{:<8} {:<34} {:<12} {}\n",
                    meta.code,
                    meta.name,
                    meta.category.as_str(),
                    meta.severity
                ));
            }
            print(&list)
        }
        Some(name) => match rules::find(name) {
            Some(meta) => {
                let page = meta.page.splitn(3, "+++").nth(2).unwrap_or(meta.page);
                print(&format!("{}\n", page.trim()))
            }
            None => {
                let name = escape(name);
                match rules::suggest(&name) {
                    Some(near) => eprintln!(
                        "dockstage: no rule named `{name}` (did you mean `{near}`?); `dockstage rule` lists them"
                    ),
                    None => eprintln!("dockstage: no rule named `{name}`; `dockstage rule` lists them"),
                }
                EXIT_ERROR
            }
        },
    }
}
