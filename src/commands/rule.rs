//! `dockstage rule [NAME]`: the rule list, or one rule's page.

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::rules::{self, RULE_METAS};
use clap::Args;

#[derive(Args, Debug)]
pub struct RuleArgs {
    /// A rule name or code; without it, all rules are listed
    pub name: Option<String>,
}

pub fn run(args: &RuleArgs) -> i32 {
    match &args.name {
        None => {
            println!("{:<8} {:<34} {:<12} SEVERITY", "CODE", "NAME", "CATEGORY");
            for meta in RULE_METAS {
                println!(
                    "{:<8} {:<34} {:<12} {}",
                    meta.code,
                    meta.name,
                    meta.category.as_str(),
                    meta.severity
                );
            }
            EXIT_CLEAN
        }
        Some(name) => match rules::find(name) {
            Some(meta) => {
                let page = meta.page.splitn(3, "+++").nth(2).unwrap_or(meta.page);
                println!("{}", page.trim());
                EXIT_CLEAN
            }
            None => {
                eprintln!("dockstage: no rule named {name:?}; `dockstage rule` lists them");
                EXIT_ERROR
            }
        },
    }
}
