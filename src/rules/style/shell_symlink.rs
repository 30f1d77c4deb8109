//! `ln -s ... /bin/sh`: replacing the shell for every program in the image, where
//! `SHELL` would change it for the build.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Form, Keyword};

pub struct ShellSymlink;

impl Rule for ShellSymlink {
    fn meta(&self) -> &'static RuleMeta {
        meta("shell-symlink")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let shell_in_bases = cx.in_base_stages(Keyword::Shell);
        for stage in &cx.graph.stages {
            let mut shell_set = shell_in_bases[stage.index];
            for (at, instruction) in cx.stage_instructions(stage) {
                if instruction.is(Keyword::Shell) {
                    shell_set = true;
                }
                // With SHELL set, the build has its shell: a link made then provides
                // `/bin/sh` for the programs of the image (distroless `:debug`).
                // An exec-form RUN has no shell to change: the link creates one.
                if shell_set
                    || !instruction.is(Keyword::Run)
                    || instruction.args.form == Form::Exec
                {
                    continue;
                }
                let facts = &cx.run_facts(at).facts;
                let Some(ln) = facts.commands.iter().find(|c| {
                    c.program() == "ln"
                        && c.args.iter().filter(|a| !a.is_option()).count() >= 2
                        && c.args.last().is_some_and(|a| a.text == "/bin/sh")
                }) else {
                    continue;
                };
                let diagnostic = self
                    .meta()
                    .diagnostic(
                        ln.span,
                        "this RUN replaces `/bin/sh`, the shell of every program in the image, to change the shell of the build",
                    )
                    .with_help(
                        "use `SHELL [\"/bin/bash\", \"-c\"]` to run the build's RUN instructions with another shell",
                    );
                out.push(cx.in_stage_of(at, diagnostic));
            }
        }
    }
}
