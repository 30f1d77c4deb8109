//! Editor latency: from `didChange` to `publishDiagnostics` for a 5,000-line,
//! 200-stage Dockerfile, through the real server loop (in process, over channels, so
//! the figure is the server's own time: sync, lint on the worker, conversion to LSP).
//!
//! Each edit types (or deletes) one character inside a RUN line, at 40 places spread
//! over the file; the bench prints the median and the worst latency of the edits.
//!
//!     cargo bench --locked --bench lsp

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use dockstage::lsp::serve;
use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::json;

// The allocator the `dockstage` binary (and so `dockstage lsp`) uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const URI: &str = "file:///bench/Dockerfile";
const LINES: usize = 5000;
const STAGES: usize = 200;

/// 5,000 lines in 200 stages, with ARGs, RUN continuations, COPY --from references,
/// LABELs with non-ASCII text, and a few findings. Returns the text and the lines
/// (0-based) holding a package name inside a RUN, with the column after `curl-`.
fn dockerfile() -> (String, Vec<(usize, usize)>) {
    let mut out = String::from(
        "# syntax=docker/dockerfile:1\nARG VERSION=1.0\nARG BASE=debian:bookworm-slim\n",
    );
    let mut lines = 3;
    let mut packages = Vec::new();
    for stage in 0..STAGES {
        let end = 3 + (stage + 1) * (LINES - 3) / STAGES;
        out.push_str(&format!("FROM ${{BASE}} AS Stage{stage}\nARG VERSION\n"));
        lines += 2;
        if stage > 0 {
            out.push_str(&format!("COPY --from=stage{} /out /in\n", stage - 1));
            lines += 1;
        }
        let mut i = 0;
        while lines + 4 <= end {
            let line = "    && apt-get install -y --no-install-recommends curl-";
            packages.push((lines + 1, line.len()));
            out.push_str(&format!(
                "RUN apt-get update \\\n{line}{i} \\\n    && rm -rf /var/lib/apt/lists/*\nLABEL description=\"café ☕ {i}\" version=$VERSION\n"
            ));
            lines += 4;
            i += 1;
        }
        while lines < end {
            out.push_str("WORKDIR /app\n");
            lines += 1;
        }
    }
    (out, packages)
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

fn main() {
    let (text, packages) = dockerfile();
    assert_eq!(text.lines().count(), LINES);
    let server = Server::start();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 0, "text": text}}),
    );
    let findings = server.diagnostics(0);
    eprintln!(
        "{LINES}-line, {STAGES}-stage Dockerfile: {} bytes, {findings} findings",
        text.len()
    );
    // 40 places spread over the file; at each, type an `x` into the package name,
    // then delete it: 80 one-character edits inside RUN lines.
    let places: Vec<(usize, usize)> = (0..40).map(|n| packages[n * packages.len() / 40]).collect();
    let mut version = 0;
    let mut latencies: Vec<Duration> = Vec::new();
    for &(line, column) in &places {
        for typed in [true, false] {
            version += 1;
            let change = if typed {
                json!({"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column}}, "text": "x"})
            } else {
                json!({"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column + 1}}, "text": ""})
            };
            let start = Instant::now();
            server.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [change]}),
            );
            server.diagnostics(version);
            latencies.push(start.elapsed());
        }
    }
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "didChange -> publishDiagnostics over {} one-character edits in RUN lines: median {:.2} ms, worst {:.2} ms",
        latencies.len(),
        ms(latencies[latencies.len() / 2]),
        ms(latencies[latencies.len() - 1]),
    );
}
