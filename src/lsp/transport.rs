//! JSON-RPC over stdio with `Content-Length` framing. Unlike `lsp_server`'s own stdio
//! transport, a message that is not JSON, or not a JSON-RPC message, gets an error
//! response and the connection stays up.

use lsp_server::{ErrorCode, Message};
use serde_json::{json, Value};
use std::io::{self, BufRead, Write};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

pub struct IoThreads {
    reader: thread::JoinHandle<()>,
    writer: thread::JoinHandle<()>,
}

impl IoThreads {
    /// Waits for the writer to flush everything queued. The reader is left alone: it
    /// may be blocked on stdin, and the process is about to exit.
    pub fn join(self) {
        let _ = self.writer.join();
        drop(self.reader);
    }
}

/// The incoming messages, the outgoing queue, and the threads serving them.
pub fn stdio() -> (Receiver<Message>, Sender<Message>, IoThreads) {
    let (out_tx, out_rx) = mpsc::channel::<Message>();
    let (in_tx, in_rx) = mpsc::channel::<Message>();
    let writer = thread::Builder::new()
        .name("dockstage-lsp-writer".into())
        .spawn(move || {
            for message in out_rx {
                let stdout = io::stdout();
                let mut out = stdout.lock();
                if message.write(&mut out).is_err() || out.flush().is_err() {
                    break;
                }
            }
        })
        .expect("spawn writer thread");
    let reader = thread::Builder::new()
        .name("dockstage-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            let mut input = stdin.lock();
            read_loop(&mut input, &in_tx, &mut |reply| {
                let _ = write_frame(&mut io::stdout().lock(), reply);
            });
        })
        .expect("spawn reader thread");
    (in_rx, out_tx, IoThreads { reader, writer })
}

/// Reads framed messages until end of input, an I/O error, or `exit`; `reply` sends
/// the error response for input that is no message.
pub fn read_loop(input: &mut impl BufRead, sink: &Sender<Message>, reply: &mut dyn FnMut(&str)) {
    loop {
        let body = match read_frame(input) {
            Ok(Some(body)) => body,
            Ok(None) | Err(_) => return,
        };
        match decode(&body) {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if sink.send(message).is_err() || exit {
                    return;
                }
            }
            Err(error) => reply(&error.to_string()),
        }
    }
}

/// A message, or the JSON-RPC error response for a body that is none.
fn decode(body: &[u8]) -> Result<Message, Value> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        error_response(
            Value::Null,
            ErrorCode::ParseError,
            format!("invalid JSON: {e}"),
        )
    })?;
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    let id = if id.is_string() || id.is_number() {
        id
    } else {
        Value::Null
    };
    serde_json::from_value::<Message>(value).map_err(|e| {
        error_response(
            id,
            ErrorCode::InvalidRequest,
            format!("invalid JSON-RPC message: {e}"),
        )
    })
}

fn error_response(id: Value, code: ErrorCode, message: String) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code as i32, "message": message } })
}

/// One `Content-Length`-framed body; `None` at a clean end of input.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() {
                break;
            }
            // Stray blank line between messages.
            continue;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
    let mut body = vec![0; length.unwrap_or(0)];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

fn write_frame(out: &mut impl Write, body: &str) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn garbage_gets_an_error_and_reading_goes_on() {
        let input = frame("{not json")
            + &frame(r#"{"jsonrpc":"2.0","id":7,"nomethod":true}"#)
            + &frame(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        let (tx, rx) = mpsc::channel();
        let mut replies = Vec::new();
        read_loop(&mut input.as_bytes(), &tx, &mut |r| {
            replies.push(r.to_string())
        });
        let written = replies.join("\n");
        assert!(written.contains(r#""code":-32700"#), "{written}");
        assert!(written.contains(r#""id":7"#), "{written}");
        assert!(written.contains(r#""code":-32600"#), "{written}");
        assert!(matches!(rx.recv().unwrap(), Message::Notification(n) if n.method == "exit"));
    }
}
