//! Editor latency: from `didChange` to `publishDiagnostics` for a 5,000-line
//! Dockerfile, through the real server loop (in process, over channels, so the
//! figure is the server's own time: sync, lint on the worker, conversion to LSP).
//!
//! Each iteration sends one incremental edit (a character typed in the middle of the
//! file) and waits for the diagnostics of that version.

use std::hint::black_box;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use dockstage::lsp::serve;
use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::json;

const URI: &str = "file:///bench/Dockerfile";

/// 5,000 lines: 50 stages of 100 lines each, with ARGs, RUN continuations, COPY
/// --from references, LABELs with non-ASCII text, and a few findings.
fn dockerfile() -> String {
    let mut out = String::from(
        "# syntax=docker/dockerfile:1\nARG VERSION=1.0\nARG BASE=debian:bookworm-slim\n",
    );
    let mut lines = 3;
    let mut stage = 0;
    while lines + 2 <= 5000 {
        out.push_str(&format!("FROM ${{BASE}} AS Stage{stage}\n"));
        out.push_str("ARG VERSION\n");
        lines += 2;
        for i in 0..24 {
            if lines + 4 > 5000 {
                break;
            }
            out.push_str(&format!(
                "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl-{i} \\\n    && rm -rf /var/lib/apt/lists/*\nLABEL description=\"café ☕ {i}\" version=$VERSION\n"
            ));
            lines += 4;
        }
        if stage > 0 && lines < 5000 {
            out.push_str(&format!("COPY --from=stage{} /out /in\n", stage - 1));
            lines += 1;
        }
        stage += 1;
    }
    while lines < 5000 {
        out.push_str("# end\n");
        lines += 1;
    }
    out
}

struct Server {
    to_server: Sender<Message>,
    from_server: Receiver<Message>,
}

impl Server {
    fn start() -> Server {
        let (to_server, incoming) = mpsc::channel();
        let (outgoing, from_server) = mpsc::channel();
        std::thread::spawn(move || serve(&incoming, &outgoing));
        let server = Server {
            to_server,
            from_server,
        };
        server.send(Message::Request(Request::new(
            RequestId::from(1),
            "initialize".to_string(),
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        )));
        server.wait(|m| matches!(m, Message::Response(_)));
        server.notify("initialized", json!({}));
        server
    }

    fn send(&self, message: Message) {
        self.to_server.send(message).unwrap();
    }

    fn notify(&self, method: &str, params: serde_json::Value) {
        self.send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )));
    }

    fn wait(&self, matches: impl Fn(&Message) -> bool) -> Message {
        loop {
            let message = self
                .from_server
                .recv_timeout(Duration::from_secs(30))
                .expect("the server answers");
            if matches(&message) {
                return message;
            }
        }
    }

    /// Waits for the diagnostics of `version` and returns how many there were.
    fn diagnostics(&self, version: i32) -> usize {
        let message = self.wait(|m| {
            matches!(m, Message::Notification(n)
                if n.method == "textDocument/publishDiagnostics" && n.params["version"] == version)
        });
        match message {
            Message::Notification(n) => n.params["diagnostics"].as_array().map_or(0, Vec::len),
            _ => unreachable!(),
        }
    }
}

fn bench_did_change(c: &mut Criterion) {
    let text = dockerfile();
    assert_eq!(text.lines().count(), 5000);
    let server = Server::start();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 0, "text": text}}),
    );
    let findings = server.diagnostics(0);
    eprintln!(
        "5,000-line Dockerfile: {} bytes, {findings} findings",
        text.len()
    );
    let mut version = 0;
    let mut group = c.benchmark_group("lsp");
    group.sample_size(30);
    group.bench_function("didChange_to_publishDiagnostics_5000_lines", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                version += 1;
                // Type (or delete) an `x` at the start of line 2,500.
                let change = if version % 2 == 1 {
                    json!({"range": {"start": {"line": 2500, "character": 0}, "end": {"line": 2500, "character": 0}}, "text": "x"})
                } else {
                    json!({"range": {"start": {"line": 2500, "character": 0}, "end": {"line": 2500, "character": 1}}, "text": ""})
                };
                let start = Instant::now();
                server.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [change]}),
                );
                black_box(server.diagnostics(version));
                total += start.elapsed();
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, bench_did_change);
criterion_main!(benches);
