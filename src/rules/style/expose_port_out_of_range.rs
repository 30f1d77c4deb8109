//! An EXPOSE port outside 0-65535.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct ExposePortOutOfRange;

impl Rule for ExposePortOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        meta("expose-port-out-of-range")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (at, word) in cx.literal_expose_ports() {
            let text = word.text.trim_matches(['"', '\'']);
            // `host:container` is expose-invalid-format's.
            if text.contains(':') {
                continue;
            }
            let ports = text.split('/').next().unwrap_or(text);
            let too_large = ports
                .split('-')
                .filter_map(|p| p.parse::<u64>().ok())
                .find(|&p| p > 65535);
            let Some(port) = too_large else {
                continue;
            };
            let diagnostic = self
                .meta()
                .diagnostic(
                    word.span,
                    format!("port {port} does not exist: ports run from 0 to 65535"),
                )
                .with_help("the build fails on it: write the port the container listens on");
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}
