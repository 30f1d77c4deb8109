//! The initialize handshake: waiting for `initialize`, what the server offers, and the
//! workspace roots the client names.

use super::code_actions::FIX_ALL_KIND;
use super::config::uri_to_path;
use super::encoding::Encoding;
use super::messages::error;
use lsp_server::{ErrorCode, Message, RequestId};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use std::sync::mpsc::{Receiver, Sender};

pub fn wait_for_initialize(
    incoming: &Receiver<Message>,
    outgoing: &Sender<Message>,
) -> Option<(RequestId, lsp::InitializeParams)> {
    for message in incoming {
        match message {
            Message::Request(request) if request.method == lsp::request::Initialize::METHOD => {
                match serde_json::from_value::<lsp::InitializeParams>(request.params) {
                    Ok(params) => return Some((request.id, params)),
                    Err(e) => {
                        let _ = outgoing.send(error(
                            request.id,
                            ErrorCode::InvalidParams,
                            format!("invalid initialize params: {e}"),
                        ));
                    }
                }
            }
            Message::Request(request) => {
                let _ = outgoing.send(error(
                    request.id,
                    ErrorCode::ServerNotInitialized,
                    "the server is not initialized".to_string(),
                ));
            }
            Message::Notification(n) if n.method == lsp::notification::Exit::METHOD => {
                return None;
            }
            _ => {}
        }
    }
    None
}

pub fn capabilities(encoding: Encoding) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                will_save: None,
                will_save_wait_until: None,
                save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                    lsp::SaveOptions {
                        include_text: Some(false),
                    },
                )),
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lsp::CodeActionKind::QUICKFIX,
                    lsp::CodeActionKind::from(FIX_ALL_KIND),
                ]),
                work_done_progress_options: lsp::WorkDoneProgressOptions::default(),
                resolve_provider: Some(false),
            },
        )),
        ..lsp::ServerCapabilities::default()
    }
}

#[allow(deprecated)] // `root_uri` is what older clients (Neovim 0.7) send.
pub fn workspace_roots(params: &lsp::InitializeParams) -> Vec<std::path::PathBuf> {
    let mut roots: Vec<_> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| uri_to_path(&f.uri))
        .collect();
    if roots.is_empty() {
        roots.extend(params.root_uri.as_ref().and_then(uri_to_path));
    }
    roots
}
