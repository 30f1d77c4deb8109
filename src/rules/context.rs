//! What every rule sees: the parsed file and its model, built once.

use crate::diagnostic::{Diagnostic, Span, StageRole};
use crate::model::{Stage, StageGraph};
use crate::syntax::{Dockerfile, Instruction};

pub struct Context<'a> {
    pub file: &'a Dockerfile,
    pub graph: &'a StageGraph,
}

impl<'a> Context<'a> {
    pub fn new(file: &'a Dockerfile, graph: &'a StageGraph) -> Self {
        Context { file, graph }
    }

    pub fn text(&self, span: Span) -> &'a str {
        &self.file.source[span.start..span.end]
    }

    /// Every stage with the instructions of its body, FROM excluded.
    pub fn stage_instructions(
        &self,
        stage: &Stage,
    ) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
        let file = self.file;
        stage
            .body
            .clone()
            .map(move |at| (at, &file.instructions[at]))
    }

    /// Attaches the stage of instruction `at` to a diagnostic.
    pub fn in_stage_of(&self, at: usize, diagnostic: Diagnostic) -> Diagnostic {
        match self.graph.stage_of(at) {
            Some(stage) => diagnostic.with_stage(stage.reference()),
            None => diagnostic,
        }
    }

    pub fn role_of(&self, at: usize) -> Option<StageRole> {
        self.graph.stage_of(at).map(|s| s.role)
    }
}
