//! Protocol tests: spawn `unblame lsp` and drive it as an editor would, with the
//! `lsp-server` framing on the client side too. Positions are checked against values
//! worked out by hand, and edits are applied by this file's own UTF-16/UTF-8 code.

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

/// Line 2 has an emoji (two UTF-16 units, four bytes) before "should have".
const DOC: &str = "# Outage 🔥\n\n🔥 The engineer should have checked the dashboard.\nA careless edit to nginx.conf took the site down.\n";

struct Client {
    child: Child,
    stdin: BufWriter<ChildStdin>,
    rx: Receiver<Message>,
    next_id: i32,
    /// Messages read while waiting for something else.
    backlog: Vec<Message>,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_unblame"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawns unblame lsp");
        let stdout = child.stdout.take().unwrap();
        let stdin = BufWriter::new(child.stdin.take().unwrap());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Ok(Some(msg)) = Message::read(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 0,
            backlog: Vec::new(),
        }
    }

    fn send(&mut self, msg: Message) {
        msg.write(&mut self.stdin).expect("writes to the server");
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(
            method.into(),
            params,
        )));
    }

    /// Sends a request and waits for its response (answering server requests meanwhile).
    fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.send(Message::Request(Request::new(
            id.clone(),
            method.into(),
            params,
        )));
        let msg = self.wait_for(|m| matches!(m, Message::Response(r) if r.id == id));
        let Message::Response(r) = msg else {
            unreachable!()
        };
        r.response_result
            .map_err(|e| json!({"code": e.code, "message": e.message}))
    }

    fn wait_for(&mut self, pred: impl Fn(&Message) -> bool) -> Message {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) => {
                    if pred(&msg) {
                        return msg;
                    }
                    // Answer server-to-client requests (registerCapability) like a client.
                    if let Message::Request(r) = &msg {
                        let resp = lsp_server::Response::new_ok(r.id.clone(), Value::Null);
                        self.send(Message::Response(resp));
                    }
                    self.backlog.push(msg);
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "timed out waiting; backlog: {:#?}",
                    self.backlog
                        .iter()
                        .map(|m| serde_json::to_string(m).unwrap())
                        .collect::<Vec<_>>()
                ),
                Err(RecvTimeoutError::Disconnected) => panic!("the server went away"),
            }
        }
    }

    /// The next publishDiagnostics for `uri` (with `version`, when given).
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let uri = uri.to_string();
        let msg = self.wait_for(|m| {
            matches!(m, Message::Notification(n)
                if n.method == "textDocument/publishDiagnostics"
                    && n.params["uri"] == uri.as_str()
                    && version.is_none_or(|v| n.params["version"] == v))
        });
        let Message::Notification(n) = msg else {
            unreachable!()
        };
        n.params["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, root: &Path, encodings: Option<Vec<&str>>) -> Value {
        let mut caps = json!({
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
            "textDocument": {"publishDiagnostics": {"versionSupport": true}},
        });
        if let Some(e) = encodings {
            caps["general"] = json!({"positionEncodings": e});
        }
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": uri(root),
                    "capabilities": caps,
                }),
            )
            .expect("initialize succeeds");
        self.notify("initialized", json!({}));
        result
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null).expect("shutdown ok");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "server exit status {status:?}");
                return;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn uri(path: &Path) -> String {
    lsp_types::Url::from_file_path(path).unwrap().to_string()
}

fn find<'a>(diags: &'a [Value], code: &str) -> &'a Value {
    diags
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:#?}"))
}

fn range(v: &Value) -> (u64, u64, u64, u64) {
    let p = |k: &str, f: &str| v[k][f].as_u64().unwrap();
    (
        p("start", "line"),
        p("start", "character"),
        p("end", "line"),
        p("end", "character"),
    )
}

/// Byte offset of an LSP position, counted independently of the server's code.
fn offset(text: &str, line: u64, character: u64, utf16: bool) -> usize {
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').unwrap() + 1;
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += if utf16 {
            c.len_utf16() as u64
        } else {
            c.len_utf8() as u64
        };
    }
    text.len()
}

/// Applies a WorkspaceEdit's edits for `uri` to `text` (last first).
fn apply(text: &str, edit: &Value, uri: &str, utf16: bool) -> String {
    let mut edits: Vec<(usize, usize, String)> = edit["changes"][uri]
        .as_array()
        .expect("edits for the document")
        .iter()
        .map(|e| {
            let (sl, sc, el, ec) = range(&e["range"]);
            (
                offset(text, sl, sc, utf16),
                offset(text, el, ec, utf16),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (a, b, new) in edits {
        out.replace_range(a..b, &new);
    }
    out
}

fn open(client: &mut Client, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
}

#[test]
fn utf16_diagnostics_incremental_change_hover_and_code_actions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("postmortem.md");
    std::fs::write(&path, DOC).unwrap();
    let doc_uri = uri(&path);
    let mut client = Client::start(dir.path());
    let init = client.initialize(dir.path(), None);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2);
    assert_eq!(init["serverInfo"]["name"], "unblame");

    // Unknown notifications and bad params are ignored; unknown requests get an error.
    client.notify("$/somethingNew", json!({"x": 1}));
    client.notify("textDocument/didOpen", json!({"nonsense": true}));
    let err = client
        .request("workspace/unknownThing", json!({}))
        .unwrap_err();
    assert_eq!(err["code"], -32601);

    open(&mut client, &doc_uri, DOC);
    let diags = client.diagnostics(&doc_uri, Some(1));
    let should = find(&diags, "counterfactual/should-have");
    // "🔥 The engineer " is 2 + 14 UTF-16 units.
    assert_eq!(range(&should["range"]), (2, 16, 2, 27));
    assert_eq!(should["severity"], 2);
    assert_eq!(should["source"], "unblame");
    assert!(should["message"].as_str().unwrap().contains('\n'));
    assert_eq!(
        should["data"]["explain"],
        "unblame explain counterfactual/should-have"
    );
    let careless = find(&diags, "judgment/careless");
    assert_eq!(range(&careless["range"]), (3, 2, 3, 10));

    // Incremental change: put another emoji at the start of line 2.
    let mut text = DOC.to_string();
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": doc_uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "text": "😀 "}],
        }),
    );
    text.insert_str(text.find("🔥 The").unwrap(), "😀 ");
    let diags = client.diagnostics(&doc_uri, Some(2));
    let should = find(&diags, "counterfactual/should-have");
    assert_eq!(range(&should["range"]), (2, 19, 2, 30));

    // Hover over the finding shows its help and the explain command.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": doc_uri}, "position": {"line": 2, "character": 22}}),
        )
        .unwrap();
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("counterfactual/should-have") && value.contains("unblame explain"),
        "{value}"
    );
    assert_eq!(range(&hover["range"]), (2, 19, 2, 30));
    // Nothing to say on plain words.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": doc_uri}, "position": {"line": 3, "character": 20}}),
        )
        .unwrap();
    assert!(hover.is_null(), "{hover}");

    // The quick fix for "should have", applied as a client would.
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": doc_uri},
                "range": should["range"],
                "context": {"diagnostics": [should]},
            }),
        )
        .unwrap();
    let actions = actions.as_array().unwrap();
    let quick = actions
        .iter()
        .find(|a| {
            a["kind"] == "quickfix" && a["diagnostics"][0]["code"] == "counterfactual/should-have"
        })
        .unwrap_or_else(|| panic!("no quick fix in {actions:#?}"));
    text = apply(&text, &quick["edit"], &doc_uri, true);
    assert_eq!(
        text,
        "# Outage 🔥\n\n😀 🔥 The engineer did not check the dashboard.\nA careless edit to nginx.conf took the site down.\n"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc_uri, "version": 3}, "contentChanges": [{"text": text}]}),
    );
    let diags = client.diagnostics(&doc_uri, Some(3));
    assert!(!diags
        .iter()
        .any(|d| d["code"] == "counterfactual/should-have"));

    // Fix all: only the source action when asked for source actions.
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": doc_uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": [], "only": ["source.fixAll"]},
            }),
        )
        .unwrap();
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.unblame");
    text = apply(&text, &actions[0]["edit"], &doc_uri, true);
    assert!(!text.contains("careless"), "{text}");
    assert!(text.starts_with("# Outage 🔥\n\n😀 🔥 The engineer did not check"));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc_uri, "version": 4}, "contentChanges": [{"text": text}]}),
    );
    let diags = client.diagnostics(&doc_uri, Some(4));
    assert!(
        !diags.iter().any(|d| d["code"] == "judgment/careless"),
        "{diags:#?}"
    );

    // Closing clears the diagnostics.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": doc_uri}}),
    );
    assert!(client.diagnostics(&doc_uri, None).is_empty());
    client.shutdown();
}

#[test]
fn utf8_is_used_when_the_client_offers_it() {
    let dir = tempfile::tempdir().unwrap();
    let doc_uri = uri(&dir.path().join("pm.md"));
    let mut client = Client::start(dir.path());
    let init = client.initialize(dir.path(), Some(vec!["utf-8", "utf-16"]));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    open(&mut client, &doc_uri, DOC);
    let diags = client.diagnostics(&doc_uri, Some(1));
    // "🔥 The engineer " is 4 + 14 bytes.
    assert_eq!(
        range(&find(&diags, "counterfactual/should-have")["range"]),
        (2, 18, 2, 29)
    );
    // An incremental change counted in bytes: replace "engineer" (bytes 14..22).
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": doc_uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 2, "character": 9}, "end": {"line": 2, "character": 17}}, "text": "on-call engineer"}],
        }),
    );
    let diags = client.diagnostics(&doc_uri, Some(2));
    assert_eq!(
        range(&find(&diags, "counterfactual/should-have")["range"]),
        (2, 26, 2, 37)
    );
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": doc_uri},
                "range": {"start": {"line": 2, "character": 26}, "end": {"line": 2, "character": 26}},
                "context": {"diagnostics": [], "only": ["quickfix"]},
            }),
        )
        .unwrap();
    let text = DOC.replace("engineer", "on-call engineer");
    let fixed = apply(&text, &actions[0]["edit"], &doc_uri, false);
    assert!(
        fixed.contains("🔥 The on-call engineer did not check the dashboard."),
        "{fixed}"
    );
    client.shutdown();
}

#[test]
fn config_is_read_reloaded_and_a_broken_one_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("unblame.toml");
    let config_uri = uri(&config);
    std::fs::write(&config, "ignore = [\"counterfactual\"]\n").unwrap();
    let doc_uri = uri(&dir.path().join("docs/pm.md"));
    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), None);
    open(&mut client, &doc_uri, DOC);
    let diags = client.diagnostics(&doc_uri, Some(1));
    assert!(!diags
        .iter()
        .any(|d| d["code"] == "counterfactual/should-have"));
    find(&diags, "judgment/careless");

    // Break it: a diagnostic on the config, and the document falls back to the defaults.
    std::fs::write(
        &config,
        "ignore = [\"counterfactual\"]\n[thresholds]\nlate_days = \"soon\"\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    let config_diags = client.diagnostics(&config_uri, None);
    assert_eq!(config_diags.len(), 1, "{config_diags:#?}");
    let d = &config_diags[0];
    assert_eq!(d["severity"], 1);
    assert!(
        d["message"].as_str().unwrap().contains("late_days"),
        "{d:#}"
    );
    assert_eq!(d["range"]["start"]["line"], 2);
    let diags = client.diagnostics(&doc_uri, Some(1));
    find(&diags, "counterfactual/should-have");

    // Malformed TOML: the position of the parse error.
    std::fs::write(&config, "ignore = [\"counterfactual\"\n").unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": config_uri}}),
    );
    let config_diags = client.diagnostics(&config_uri, None);
    assert_eq!(config_diags.len(), 1, "{config_diags:#?}");
    assert_eq!(
        config_diags[0]["range"]["start"]["line"], 0,
        "{config_diags:#?}"
    );
    client.diagnostics(&doc_uri, Some(1));

    // Fixed: the config diagnostic clears and the config applies again.
    std::fs::write(&config, "ignore = [\"counterfactual\"]\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    let diags = client.diagnostics(&doc_uri, Some(1));
    assert!(!diags
        .iter()
        .any(|d| d["code"] == "counterfactual/should-have"));
    assert!(client.diagnostics(&config_uri, None).is_empty());
    client.shutdown();
}

#[test]
fn structure_findings_and_the_overview_hover() {
    let dir = tempfile::tempdir().unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let text = std::fs::read_to_string(examples.join("search-outage-flawed.md")).unwrap();
    let path = dir.path().join("search.md");
    let doc_uri = uri(&path);
    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), None);
    open(&mut client, &doc_uri, &text);
    let diags = client.diagnostics(&doc_uri, Some(1));
    assert!(
        diags
            .iter()
            .any(|d| d["code"].as_str().unwrap().starts_with("structure/")),
        "{diags:#?}"
    );
    let title = text.lines().position(|l| l.starts_with("# ")).unwrap();
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": doc_uri}, "position": {"line": title, "character": 3}}),
        )
        .unwrap();
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("postmortem overview"), "{value}");
    assert!(value.contains("timeline"), "{value}");
    client.shutdown();
}

#[test]
fn a_document_over_the_size_limit_gets_one_warning_not_a_lint() {
    let dir = tempfile::tempdir().unwrap();
    let doc_uri = uri(&dir.path().join("huge.md"));
    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), None);
    let line = "The engineer should have checked the dashboard.\n";
    let huge = line.repeat(unblame::MAX_DOCUMENT_BYTES / line.len() + 1);
    open(&mut client, &doc_uri, &huge);
    let diags = client.diagnostics(&doc_uri, Some(1));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "too-large");
    assert_eq!(range(&diags[0]["range"]), (0, 0, 0, 0));
    assert!(diags[0]["message"].as_str().unwrap().contains("limit"));
    // Back under the limit: linted as usual.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": doc_uri, "version": 2},
            "contentChanges": [{"text": line}],
        }),
    );
    let diags = client.diagnostics(&doc_uri, Some(2));
    find(&diags, "counterfactual/should-have");
    client.shutdown();
}
