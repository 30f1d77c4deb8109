//! Messages the server builds: log messages, published diagnostics, error replies.

use lsp_server::{ErrorCode, Message, Notification, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::{PublishDiagnosticsParams, Uri};

/// A `window/logMessage` notification.
pub fn log_message(typ: lsp::MessageType, message: String) -> Message {
    Message::Notification(Notification::new(
        lsp::notification::LogMessage::METHOD.to_string(),
        lsp::LogMessageParams { typ, message },
    ))
}

/// `textDocument/publishDiagnostics`: a document's diagnostics, of `version` when known.
pub fn publish(uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) -> Message {
    Message::Notification(Notification::new(
        "textDocument/publishDiagnostics".to_string(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    ))
}

/// An error reply to request `id`.
pub fn error(id: RequestId, code: ErrorCode, message: String) -> Message {
    Response::new_err(id, code as i32, message).into()
}
