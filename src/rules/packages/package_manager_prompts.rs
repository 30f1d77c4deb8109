//! apt-get, yum, dnf and zypper runs that would ask for confirmation.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Span, StageRole};
use crate::model::shell::{PackageAction, PackageInstall, PackageManager, ShellFacts};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Form, Instruction, Keyword};

pub struct PackageManagerPrompts;

impl Rule for PackageManagerPrompts {
    fn meta(&self) -> &'static RuleMeta {
        meta("package-manager-prompts")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let in_bases = cx.graph.bases_any(|index| {
            cx.stage_instructions(&cx.graph.stages[index])
                .any(|(_, instruction)| configures_yes(cx, instruction))
        });
        for stage in &cx.graph.stages {
            // A stage never built never asks; every built stage can stop the build.
            if stage.role == StageRole::Unused {
                continue;
            }
            let mut configured = in_bases[stage.index];
            for (at, instruction) in cx.stage_instructions(stage) {
                configured |= configures_yes(cx, instruction);
                if configured {
                    break;
                }
                if !instruction.is(Keyword::Run) {
                    continue;
                }
                let facts = &cx.run_facts(at).facts;
                for install in facts.installs.iter().chain(&facts.uninstalls) {
                    if !may_prompt(facts, install) {
                        continue;
                    }
                    let mut diagnostic = self
                        .meta()
                        .diagnostic(
                            facts.invocation_span(install),
                            format!(
                                "`{}` without {} stops the build when it asks for confirmation, as it does when it {}",
                                shown(cx, facts, install),
                                switch(install.manager),
                                when_it_asks(install.action)
                            ),
                        )
                        .with_help(format!(
                            "add `{}`: a build has no terminal to answer",
                            switch(install.manager)
                        ))
                        .with_stage(stage.reference());
                    if let Some(fix) = fix(cx, instruction, facts, install) {
                        diagnostic = diagnostic.with_fix(fix);
                    }
                    out.push(diagnostic);
                }
            }
        }
    }
}

/// A run of a manager that prompts (microdnf never does), that changes packages,
/// without its switch, and with nothing piped into it (`yes | apt-get install ...`).
fn may_prompt(facts: &ShellFacts, install: &PackageInstall) -> bool {
    let prompts = matches!(
        install.manager,
        PackageManager::Apt | PackageManager::Yum | PackageManager::Dnf | PackageManager::Zypper
    ) && matches!(
        install.action,
        PackageAction::Install | PackageAction::Upgrade | PackageAction::Remove
    );
    let piped_into = facts
        .command_of(install)
        .and_then(|c| c.pipeline)
        .is_some_and(|p| p.position > 0);
    prompts && !install.assumes_yes() && !piped_into
}

fn switch(manager: PackageManager) -> &'static str {
    match manager {
        PackageManager::Zypper => "`--non-interactive`",
        _ => "`-y`",
    }
}

fn when_it_asks(action: PackageAction) -> &'static str {
    match action {
        PackageAction::Remove => "removes anything",
        PackageAction::Upgrade => "upgrades anything",
        _ => "installs a package not named",
    }
}

fn shown(cx: &Context<'_>, facts: &ShellFacts, install: &PackageInstall) -> String {
    let text = cx.text(facts.invocation_span(install));
    if text.len() < 60 && !text.contains(['\n', '"', '\'', '\\']) {
        return text.to_string();
    }
    format!("{} {}", facts.program_of(install), install.verb)
}

/// `-y` after the verb (`--non-interactive` after `zypper`, a global option), where
/// the words are written as the shell sees them. Safe: the only change is that the
/// run goes on where it would have stopped the build.
fn fix(
    cx: &Context<'_>,
    instruction: &Instruction,
    facts: &ShellFacts,
    install: &PackageInstall,
) -> Option<Fix> {
    if instruction.args.form != Form::Shell {
        return None;
    }
    let (at, insert) = if install.manager == PackageManager::Zypper {
        let command = facts.command_of(install)?;
        (cx.text(command.name_span).ends_with("zypper"))
            .then_some((command.name_span.end, " --non-interactive"))?
    } else {
        let verb = facts.verb_word(install)?;
        (cx.text(verb.span) == install.verb).then_some((verb.span.end, " -y"))?
    };
    Some(Fix {
        message: format!("insert `{}`", insert.trim()),
        edits: vec![Edit {
            span: Span::empty(at),
            replacement: insert.to_string(),
        }],
        applicability: Applicability::Safe,
    })
}

/// A RUN writing apt's or yum/dnf's configuration to always answer yes
/// (`APT::Get::Assume-Yes "true"`, `assumeyes=1`), or a COPY into their configuration.
fn configures_yes(cx: &Context<'_>, instruction: &Instruction) -> bool {
    match instruction.keyword {
        Keyword::Run => {
            let text = cx.text(instruction.span).to_ascii_lowercase();
            (text.contains("apt.conf") && text.contains("assume-yes") && text.contains("true"))
                || text.contains("assumeyes=1")
                || text.contains("assumeyes=true")
        }
        Keyword::Copy | Keyword::Add => instruction.args.words.last().is_some_and(|dest| {
            ["/etc/apt/apt.conf", "/etc/yum.conf", "/etc/dnf/dnf.conf"]
                .iter()
                .any(|conf| dest.text.starts_with(conf))
        }),
        _ => false,
    }
}
