//! `EXPOSE 8080:80` or `EXPOSE 127.0.0.1:80`: a host port or address in EXPOSE.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct ExposeInvalidFormat;

impl Rule for ExposeInvalidFormat {
    fn meta(&self) -> &'static RuleMeta {
        meta("expose-invalid-format")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (at, word) in cx.literal_expose_ports() {
            // `[ip:]host:container[/proto]`, as BuildKit splits it.
            let Some(colon) = word.text.rfind(':') else {
                continue;
            };
            let container = &word.text[colon + 1..];
            let diagnostic = self
                .meta()
                .diagnostic(
                    word.span,
                    format!(
                        "`{}` maps a host address or port, which EXPOSE cannot do",
                        word.text
                    ),
                )
                .with_help(format!(
                    "write `EXPOSE {container}`: only the container port is recorded (BuildKit drops the rest and says this will become an error); publish host ports with `docker run -p`"
                ));
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}
