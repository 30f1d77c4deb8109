//! `dockstage lsp`: the language server over stdio.

pub fn run() -> i32 {
    crate::lsp::run_stdio()
}
