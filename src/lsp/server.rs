//! The server loop: the initialize handshake (see [`handshake`](super::handshake)),
//! notifications that change documents, requests answered from the newest analysis,
//! and shutdown/exit.

use super::code_actions;
use super::config::Settings;
use super::documents::Documents;
use super::encoding::Encoding;
use super::handshake::{capabilities, wait_for_initialize, workspace_roots};
use super::messages::error;
use super::snapshot::Snapshot;
use super::worker::{self, Job, Shared};
use super::{hover, navigation};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

/// Process exit codes: 0 after `shutdown` then `exit`, 1 otherwise (as the spec asks).
pub const EXIT_OK: i32 = 0;
pub const EXIT_NO_SHUTDOWN: i32 = 1;

const WATCH_REGISTRATION_ID: &str = "dockstage-watch-config";

/// Runs a server over a pair of channels until `exit`, or until the client goes away.
pub fn serve(incoming: &Receiver<Message>, outgoing: &Sender<Message>) -> i32 {
    let Some((id, params)) = wait_for_initialize(incoming, outgoing) else {
        return EXIT_NO_SHUTDOWN;
    };
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let debounce = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("debounceMs"))
        .and_then(Value::as_u64)
        .map_or(Duration::ZERO, Duration::from_millis);
    let result = lsp::InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(lsp::ServerInfo {
            name: "dockstage".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    let _ = outgoing.send(Response::new_ok(id, result).into());

    let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
    let shared = Arc::new(Shared::default());
    let worker = {
        let shared = Arc::clone(&shared);
        let outgoing = outgoing.clone();
        std::thread::Builder::new()
            .name("dockstage-lsp-lint".into())
            .spawn(move || worker::run(jobs_rx, shared, outgoing, debounce))
            .expect("spawn lint thread")
    };
    let mut server = Server {
        outgoing: outgoing.clone(),
        jobs: jobs_tx,
        shared,
        documents: Documents::default(),
        settings: Settings::new(workspace_roots(&params)),
        encoding,
        shutdown: false,
        watch_config: params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files)
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        parent: params.process_id,
    };
    let code = server.run(incoming);
    drop(server);
    let _ = worker.join();
    code
}

struct Server {
    outgoing: Sender<Message>,
    jobs: Sender<Job>,
    shared: Arc<Shared>,
    documents: Documents,
    settings: Settings,
    encoding: Encoding,
    shutdown: bool,
    watch_config: bool,
    parent: Option<u32>,
}

impl Server {
    fn run(&mut self, incoming: &Receiver<Message>) -> i32 {
        loop {
            let message = match incoming.recv_timeout(Duration::from_secs(2)) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => {
                    if self.parent_died() {
                        return EXIT_NO_SHUTDOWN;
                    }
                    continue;
                }
                // The client closed our stdin: it is gone.
                Err(RecvTimeoutError::Disconnected) => return EXIT_NO_SHUTDOWN,
            };
            match message {
                Message::Request(request) => self.on_request(request),
                Message::Notification(n) if n.method == lsp::notification::Exit::METHOD => {
                    return if self.shutdown {
                        EXIT_OK
                    } else {
                        EXIT_NO_SHUTDOWN
                    };
                }
                Message::Notification(n) => self.on_notification(n),
                // Answers to our registerCapability request; nothing to do.
                Message::Response(_) => {}
            }
        }
    }

    /// The client's process (from `initialize`) no longer exists. Linux only.
    fn parent_died(&self) -> bool {
        match self.parent {
            Some(pid) if cfg!(target_os = "linux") => {
                !std::path::Path::new(&format!("/proc/{pid}")).exists()
            }
            _ => false,
        }
    }

    fn send(&self, message: Message) {
        let _ = self.outgoing.send(message);
    }

    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shutdown {
            self.send(error(
                id,
                ErrorCode::InvalidRequest,
                "the server is shutting down".to_string(),
            ));
            return;
        }
        if request.method == lsp::request::Shutdown::METHOD {
            self.shutdown = true;
            self.send(Response::new_ok(id, ()).into());
            return;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| self.dispatch(request)));
        let message = match outcome {
            Ok(Ok(result)) => Response::new_ok(id, result).into(),
            Ok(Err((code, text))) => error(id, code, text),
            Err(_) => error(
                id,
                ErrorCode::InternalError,
                "internal error (a bug in dockstage)".to_string(),
            ),
        };
        self.send(message);
    }

    fn dispatch(&mut self, request: Request) -> Result<Value, (ErrorCode, String)> {
        use lsp::request::{
            CodeActionRequest, DocumentSymbolRequest, GotoDefinition, HoverRequest, References,
        };
        let method = request.method.as_str();
        match method {
            HoverRequest::METHOD => {
                let p: lsp::HoverParams = params(request)?;
                let doc = p.text_document_position_params;
                Ok(to_value(
                    self.snapshot(&doc.text_document.uri)
                        .and_then(|s| hover::hover(&s, doc.position)),
                ))
            }
            GotoDefinition::METHOD => {
                let p: lsp::GotoDefinitionParams = params(request)?;
                let doc = p.text_document_position_params;
                Ok(to_value(
                    self.snapshot(&doc.text_document.uri)
                        .and_then(|s| navigation::definition(&s, doc.position)),
                ))
            }
            References::METHOD => {
                let p: lsp::ReferenceParams = params(request)?;
                let doc = p.text_document_position;
                Ok(to_value(self.snapshot(&doc.text_document.uri).and_then(
                    |s| navigation::references(&s, doc.position, p.context.include_declaration),
                )))
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp::DocumentSymbolParams = params(request)?;
                Ok(to_value(
                    self.snapshot(&p.text_document.uri)
                        .map(|s| navigation::document_symbols(&s)),
                ))
            }
            CodeActionRequest::METHOD => {
                let p: lsp::CodeActionParams = params(request)?;
                Ok(to_value(
                    self.snapshot(&p.text_document.uri)
                        .map(|s| code_actions::code_actions(&s, &p)),
                ))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("unsupported method {method}"),
            )),
        }
    }

    /// The analysis of a document's current text: the worker's when it is current,
    /// otherwise computed now (requests must not see stale positions).
    fn snapshot(&self, uri: &lsp::Uri) -> Option<Arc<Snapshot>> {
        let document = self.documents.get(uri)?;
        if let Some(snapshot) = self.shared.snapshot(uri, document.version) {
            return Some(snapshot);
        }
        let snapshot = Arc::new(Snapshot::analyze(
            uri.clone(),
            document.version,
            &document.text,
            &self.settings.options_for(uri),
            self.encoding,
            None,
        ));
        self.shared.store(Arc::clone(&snapshot));
        Some(snapshot)
    }

    fn on_notification(&mut self, notification: Notification) {
        use lsp::notification::{
            DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument,
            DidOpenTextDocument, Initialized,
        };
        match notification.method.as_str() {
            Initialized::METHOD => self.register_config_watcher(),
            DidOpenTextDocument::METHOD => {
                let Ok(p) = notification
                    .extract::<lsp::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return;
                };
                let doc = p.text_document;
                self.documents
                    .open(doc.uri.clone(), doc.version, doc.text, doc.language_id);
                self.lint(&doc.uri);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = notification
                    .extract::<lsp::DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                if self
                    .documents
                    .change(
                        &uri,
                        p.text_document.version,
                        p.content_changes,
                        self.encoding,
                    )
                    .is_some()
                {
                    self.lint(&uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = notification
                    .extract::<lsp::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return;
                };
                self.documents.close(&p.text_document.uri);
                self.shared.close(&p.text_document.uri, &self.outgoing);
            }
            DidChangeWatchedFiles::METHOD => {
                let Ok(p) = notification
                    .extract::<lsp::DidChangeWatchedFilesParams>(DidChangeWatchedFiles::METHOD)
                else {
                    return;
                };
                if p.changes.iter().any(|c| Settings::is_config(&c.uri)) {
                    self.reload_config();
                }
            }
            // didSave changes no text; $/cancelRequest: requests are answered in order
            // and fast; anything else is not for us.
            _ => {}
        }
    }

    /// Queues a lint of the document's current version.
    fn lint(&self, uri: &lsp::Uri) {
        let Some(document) = self.documents.get(uri) else {
            return;
        };
        self.shared.set_version(uri, document.version);
        let _ = self.jobs.send(Job {
            uri: uri.clone(),
            version: document.version,
            text: Arc::clone(&document.text),
            options: self.settings.options_for(uri),
            encoding: self.encoding,
        });
    }

    /// A `.dockstage.toml` changed: re-read configuration and re-lint what is open.
    pub fn reload_config(&mut self) {
        self.settings.reload();
        let uris: Vec<lsp::Uri> = self.documents.iter().map(|(uri, _)| uri.clone()).collect();
        for uri in uris {
            self.lint(&uri);
        }
    }

    fn register_config_watcher(&self) {
        if !self.watch_config {
            return;
        }
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(format!(
                    "**/{}",
                    super::config::CONFIG_FILE
                )),
                kind: None,
            }],
        };
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: WATCH_REGISTRATION_ID.to_string(),
                method: lsp::notification::DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.send(Message::Request(Request::new(
            RequestId::from(WATCH_REGISTRATION_ID.to_string()),
            lsp::request::RegisterCapability::METHOD.to_string(),
            params,
        )));
    }
}

fn params<P: DeserializeOwned>(request: Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(request.params).map_err(|e| {
        (
            ErrorCode::InvalidParams,
            format!("invalid params for {}: {e}", request.method),
        )
    })
}

fn to_value<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
