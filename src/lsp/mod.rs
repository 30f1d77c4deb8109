//! `dockstage lsp`: a Language Server Protocol server over stdio.
//!
//! | module           | concern                                                   |
//! |------------------|-----------------------------------------------------------|
//! | [`server`]       | dispatch, shutdown/exit                                   |
//! | [`handshake`]    | `initialize`: capabilities, workspace roots               |
//! | [`transport`]    | `Content-Length` framing; bad input gets an error reply   |
//! | [`documents`]    | open buffers, full and incremental sync                   |
//! | [`encoding`]     | positions in UTF-16 (default) or UTF-8 ↔ byte offsets     |
//! | [`worker`]       | linting off the main thread, newest version wins          |
//! | [`snapshot`]     | a linted version of a document, read by requests          |
//! | [`messages`]     | log messages, published diagnostics, error replies        |
//! | [`diagnostics`]  | our diagnostics as LSP diagnostics                        |
//! | [`code_actions`] | quick fixes, ignore comments, `source.fixAll.dockstage`   |
//! | [`hover`]        | rule pages, stages, base images                           |
//! | [`navigation`]   | definition, references, document symbols                  |
//! | [`config`]       | per-document lint options (the `.dockstage.toml` hook)    |

pub mod code_actions;
pub mod config;
pub mod diagnostics;
pub mod documents;
pub mod encoding;
pub mod handshake;
pub mod hover;
pub mod messages;
pub mod navigation;
pub mod server;
pub mod snapshot;
pub mod transport;
pub mod worker;

pub use server::serve;

/// Serves over stdin/stdout; returns the process exit code.
pub fn run_stdio() -> i32 {
    let (incoming, outgoing, threads) = transport::stdio();
    let code = serve(&incoming, &outgoing);
    drop(outgoing);
    threads.join();
    code
}
