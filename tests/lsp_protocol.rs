//! Drives the built `dockstage lsp` over stdio the way an editor does: handshake,
//! open, change, diagnostics, code actions, hover and navigation, malformed input,
//! shutdown.

mod lsp_common;

use lsp_common::{apply_edits, Client};
use serde_json::{json, Value};

const URI: &str = "file:///work/project/Dockerfile";

/// `$VERSION` on line 2 comes after non-ASCII text: `é` (2 bytes, 1 UTF-16 unit),
/// `☕` (3 bytes, 1 unit) and `𝄞` (4 bytes, 2 units).
const WITH_FINDING: &str =
    "ARG VERSION=1.0\nFROM alpine:3.20\nLABEL description=\"café ☕ 𝄞\" version=$VERSION\nUSER nobody\n";

fn open(client: &mut Client, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
}

fn range(start: (u64, u64), end: (u64, u64)) -> Value {
    json!({"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}})
}

#[test]
fn edit_diagnose_fix_and_shut_down_in_utf16() {
    let mut client = Client::start();
    let init = client.initialize(&["utf-16"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        init["capabilities"]["textDocumentSync"]["change"], 2,
        "incremental"
    );
    assert_eq!(init["serverInfo"]["name"], "dockstage");

    open(&mut client, "FROM alpine:3.20\nUSER nobody\n");
    assert_eq!(client.diagnostics(URI, 1), Vec::<Value>::new());

    // Incremental change: insert the ARG before and the LABEL after.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": 2},
            "contentChanges": [
                {"range": range((0, 0), (0, 0)), "text": "ARG VERSION=1.0\n"},
                {"range": range((2, 0), (2, 0)), "text": "LABEL description=\"café ☕ 𝄞\" version=$VERSION\n"}
            ]
        }),
    );
    let diagnostics = client.diagnostics(URI, 2);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    // 6 + 13 + "café ☕ 𝄞" (4 + 1 + 1 + 1 + 2 units) + `" version=` (10) = 38.
    assert_eq!(d["range"], range((2, 38), (2, 46)));
    assert_eq!(d["code"], "DS008");
    assert_eq!(
        d["codeDescription"]["href"],
        "https://github.com/dockstage/dockstage/blob/main/rules/arg-not-in-scope.md"
    );
    assert_eq!(d["source"], "dockstage");
    assert_eq!(d["severity"], 2);
    assert_eq!(d["relatedInformation"][0]["location"]["uri"], URI);
    assert_eq!(
        d["relatedInformation"][0]["location"]["range"]["start"]["line"],
        0
    );

    // Hover on the finding shows the rule page.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": 40}}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("arg-not-in-scope"), "{markdown}");
    assert!(markdown.contains("Why it matters"), "{markdown}");

    // Code actions at the finding: its fix and an ignore comment.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": range((2, 40), (2, 40)),
            "context": {"diagnostics": diagnostics}
        }),
    );
    let actions = actions.as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Ignore arg-not-in-scope for this line"),
        "{titles:?}"
    );
    let fix = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("declare `ARG VERSION`")
        })
        .unwrap_or_else(|| panic!("no fix among {titles:?}"));
    assert_eq!(fix["kind"], "quickfix");
    let edits = fix["edit"]["changes"][URI].as_array().unwrap();
    let fixed = apply_edits(WITH_FINDING, edits, true);
    assert_eq!(
        fixed,
        "ARG VERSION=1.0\nFROM alpine:3.20\nARG VERSION\nLABEL description=\"café ☕ 𝄞\" version=$VERSION\nUSER nobody\n"
    );

    // The editor applies the edit and sends it back as a change: the finding is gone.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": 3},
            "contentChanges": edits.iter().map(|e| json!({"range": e["range"], "text": e["newText"]})).collect::<Vec<_>>()
        }),
    );
    assert_eq!(client.diagnostics(URI, 3), Vec::<Value>::new());

    // Closing clears the diagnostics.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let cleared = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"].is_null()
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));

    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.wait_exit().success());
}

#[test]
fn utf8_is_used_when_the_client_offers_it() {
    let mut client = Client::start();
    let init = client.initialize(&["utf-8", "utf-16"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    open(&mut client, WITH_FINDING);
    let diagnostics = client.diagnostics(URI, 1);
    // Bytes: 6 + 13 + "café ☕ 𝄞" (5 + 1 + 3 + 1 + 4) + 10 = 43.
    assert_eq!(diagnostics[0]["range"], range((2, 43), (2, 51)));
    // Incremental edits are read in bytes too: replace `$VERSION` by `1.0`.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": 2},
            "contentChanges": [{"range": range((2, 43), (2, 51)), "text": "1.0"}]
        }),
    );
    assert_eq!(client.diagnostics(URI, 2), Vec::<Value>::new());
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": 0}}),
    );
    assert!(hover.is_null(), "{hover}");
}

#[test]
fn the_ignore_action_and_fix_all_silence_findings() {
    let mut client = Client::start();
    client.initialize(&["utf-16"]);
    let text = "FROM golang:1.23 AS Builder\nRUN CGO_ENABLED=0 go build -o /app .\n\nFROM alpine:3.20\nCOPY --from=Builder /app /app\nUSER nobody\n";
    open(&mut client, text);
    let diagnostics = client.diagnostics(URI, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "DS007");

    let fix_all = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": range((0, 0), (0, 0)),
            "context": {"diagnostics": [], "only": ["source.fixAll"]}
        }),
    );
    let fix_all = fix_all.as_array().unwrap();
    assert_eq!(fix_all.len(), 1, "{fix_all:#?}");
    assert_eq!(fix_all[0]["kind"], "source.fixAll.dockstage");
    let fixed = apply_edits(
        text,
        fix_all[0]["edit"]["changes"][URI].as_array().unwrap(),
        true,
    );
    assert_eq!(fixed, text.replace("Builder", "builder"));

    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": range((0, 22), (0, 22)),
            "context": {"diagnostics": diagnostics, "only": ["quickfix"]}
        }),
    );
    let ignore = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Ignore stage-name-casing for this line")
        .expect("an ignore action");
    let ignored = apply_edits(
        text,
        ignore["edit"]["changes"][URI].as_array().unwrap(),
        true,
    );
    assert!(ignored.starts_with("# dockstage ignore=stage-name-casing\nFROM golang"));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": ignored}]}),
    );
    assert_eq!(client.diagnostics(URI, 2), Vec::<Value>::new());
}

#[test]
fn navigation_and_symbols_follow_the_stage_graph() {
    let mut client = Client::start();
    client.initialize(&["utf-16"]);
    let text = "FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\n\nFROM alpine:3.20\nCOPY --from=build /app /app\nUSER nobody\n";
    open(&mut client, text);
    client.diagnostics(URI, 1);
    let at_reference =
        json!({"textDocument": {"uri": URI}, "position": {"line": 4, "character": 14}});
    let definition = client.request("textDocument/definition", at_reference.clone());
    assert_eq!(definition["uri"], URI);
    assert_eq!(definition["range"], range((0, 20), (0, 25)));

    let mut params = at_reference.clone();
    params["context"] = json!({"includeDeclaration": true});
    let references = client.request("textDocument/references", params);
    let ranges: Vec<&Value> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["range"])
        .collect();
    assert_eq!(ranges, [&range((0, 20), (0, 25)), &range((4, 12), (4, 17))]);

    let hover = client.request("textDocument/hover", at_reference);
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("stage `build`"), "{markdown}");

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 3, "character": 7}}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("docker.io/library/alpine"), "{markdown}");
    assert!(markdown.contains("the final image"), "{markdown}");
    // What the knowledge tables know of the base image.
    assert!(markdown.contains("| libc | musl |"), "{markdown}");
    assert!(markdown.contains("| package manager | apk |"), "{markdown}");
    assert!(markdown.contains("size (uncompressed)"), "{markdown}");

    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let symbols = symbols.as_array().unwrap();
    let names: Vec<&str> = symbols
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["build", "stage 1"]);
    assert_eq!(symbols[0]["children"][0]["name"], "RUN");
    assert_eq!(symbols[1]["children"][0]["name"], "COPY");
}

#[test]
fn malformed_input_gets_errors_and_the_server_survives() {
    let mut client = Client::start();
    // Before initialize, requests are refused.
    let early = client.request_raw("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    client.initialize(&[]);

    client.send_raw("{this is not json");
    let parse_error = client.wait_for(|m| m["error"]["code"] == -32700);
    assert!(parse_error["id"].is_null());

    client.send_raw(r#"{"jsonrpc":"2.0","id":99,"bogus":true}"#);
    let invalid = client.wait_for(|m| m["id"] == 99);
    assert_eq!(invalid["error"]["code"], -32600);

    let bad_params = client.request_raw("textDocument/hover", json!({"position": "nowhere"}));
    assert_eq!(bad_params["error"]["code"], -32602);

    let unknown = client.request_raw("dockstage/doesNotExist", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);

    // Positions far outside the document are clamped, not a crash.
    open(&mut client, WITH_FINDING);
    client.diagnostics(URI, 1);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 4000, "character": 4000}}),
    );
    assert!(hover.is_null());
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": 2},
            "contentChanges": [{"range": range((9, 99), (1, 0)), "text": "x"}]
        }),
    );
    client.diagnostics(URI, 2);
    // Unknown documents answer null.
    let other = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": "file:///nowhere/Dockerfile"}}),
    );
    assert!(other.is_null());

    // Exit without shutdown: exit code 1, as the protocol says.
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1));
}

#[test]
fn the_server_exits_when_its_client_goes_away() {
    let mut client = Client::start();
    client.initialize(&[]);
    open(&mut client, WITH_FINDING);
    client.diagnostics(URI, 1);
    client.close_stdin();
    assert_eq!(client.wait_exit().code(), Some(1));
}
