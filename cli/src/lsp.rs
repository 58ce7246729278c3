//! `unblame lsp`: a Language Server Protocol server over stdio.
//!
//! Built on `lsp-server` (framing, initialize/shutdown) and `lsp-types` (the protocol
//! types), as rust-analyzer is. Features:
//!
//! - diagnostics for Markdown and plain-text documents on open, change (incremental
//!   sync) and save, code = rule id, the help in the message and in `data`;
//! - hover: the rule's help over a finding, the postmortem overview (structure and
//!   metrics) on the title line;
//! - code actions: each suggestion as a quick fix, `source.fixAll.unblame` for all safe
//!   fixes;
//! - position encoding: UTF-16 by default, UTF-8 when the client offers it;
//! - `unblame.toml` found upward from each document as `unblame check` finds it,
//!   reloaded when a watched or saved `unblame.toml` changes; a broken config is
//!   published as a diagnostic on the config file and the documents fall back to the
//!   defaults.
//!
//! The server never panics on bad input: malformed parameters are answered with an
//! error (requests) or ignored (notifications), unknown notifications are ignored, and
//! a handler that panics anyway is caught and answered with an internal error.

use crate::output::{document_summary, help_head};
use crate::settings::{Overrides, Resolver, CONFIG_NAME};
use crate::{report_error, EXIT_CLEAN, EXIT_ERROR};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Diagnostic, DiagnosticSeverity, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    FileSystemWatcher, GlobPattern, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, InitializeResult, MarkupContent, MarkupKind, NumberOrString, Position,
    PositionEncodingKind, PublishDiagnosticsParams, Range, Registration, RegistrationParams,
    SaveOptions, ServerCapabilities, ServerInfo, TextDocumentContentChangeEvent,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Url, WorkspaceEdit,
};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use unblame::offsets::{floor_char, LineTable, Unit};
use unblame::{Finding, Linter, Report, Severity};

/// The code action kind that applies every safe fix of a document.
pub const FIX_ALL_KIND: &str = "source.fixAll.unblame";

/// Runs the server on stdin/stdout until the client says `exit`; returns the exit code.
pub fn run_stdio() -> u8 {
    let (connection, io_threads) = Connection::stdio();
    let result = run(connection);
    let joined = io_threads.join();
    match (result, joined) {
        (Ok(()), _) => EXIT_CLEAN,
        (Err(e), _) => {
            report_error(&format!("lsp: {e}"));
            EXIT_ERROR
        }
    }
}

/// Serves one connection: the initialize handshake, then messages until `exit` (or the
/// client going away).
pub fn run(connection: Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_else(|e| {
        eprintln!("unblame lsp: unreadable initialize params ({e}); using defaults");
        InitializeParams::default()
    });
    let mut server = Server::new(&params, connection.sender.clone());
    let result = InitializeResult {
        capabilities: server.capabilities(),
        server_info: Some(ServerInfo {
            name: "unblame".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    server.register_watchers(&params);

    for msg in &connection.receiver {
        match msg {
            Message::Request(request) => {
                match connection.handle_shutdown(&request) {
                    Ok(true) => return Ok(()),
                    Ok(false) => {}
                    Err(e) => return Err(e.to_string()),
                }
                let id = request.id.clone();
                let response = catch_unwind(AssertUnwindSafe(|| server.request(request)))
                    .unwrap_or_else(|_| {
                        Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            "unblame: internal error (see the server log)".into(),
                        )
                    });
                server.send(Message::Response(response));
            }
            Message::Notification(n) => {
                if n.method == notif::Exit::METHOD {
                    return Ok(());
                }
                let method = n.method.clone();
                if catch_unwind(AssertUnwindSafe(|| server.notification(n))).is_err() {
                    eprintln!("unblame lsp: internal error handling {method}");
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// How positions count characters, as negotiated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units (the LSP default).
    Utf16,
    /// UTF-8 bytes.
    Utf8,
}

impl Encoding {
    /// Picks UTF-8 when the client lists it in `general.positionEncodings`.
    pub fn negotiate(params: &InitializeParams) -> Encoding {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        match offered {
            Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    /// The unit positions count in.
    fn unit(self) -> Unit {
        match self {
            Encoding::Utf16 => Unit::Utf16,
            Encoding::Utf8 => Unit::Bytes,
        }
    }

    fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf8 => PositionEncodingKind::UTF8,
        }
    }
}

/// The LSP position of a byte offset (clamped to the text, floored to a character).
pub fn to_position(index: &LineTable, byte: usize, enc: Encoding) -> Position {
    let (line, character) = index.position(byte, enc.unit());
    Position::new(line as u32, character as u32)
}

/// The byte offset of an LSP position; a line past the end means the end of the text, a
/// character past the end of its line the end of the line (before `\r\n`), and a
/// position inside a character its start.
pub fn to_offset(index: &LineTable, pos: Position, enc: Encoding) -> usize {
    index.offset(pos.line as usize, pos.character as usize, enc.unit())
}

/// The range of bytes `start..end`.
pub fn to_range(index: &LineTable, start: usize, end: usize, enc: Encoding) -> Range {
    Range::new(
        to_position(index, start, enc),
        to_position(index, end.max(start), enc),
    )
}

/// Applies one change event to `text` (a range replacement, or the whole text).
pub fn apply_change(text: &mut String, change: &TextDocumentContentChangeEvent, enc: Encoding) {
    match change.range {
        None => *text = change.text.clone(),
        Some(range) => {
            let index = LineTable::new(text);
            let a = to_offset(&index, range.start, enc);
            let b = to_offset(&index, range.end, enc);
            let (a, b) = (a.min(b), a.max(b));
            text.replace_range(a..b, &change.text);
        }
    }
}

/// An open document.
struct Doc {
    text: String,
    version: i32,
    /// Markdown or plain text: linted. Anything else is stored but not linted.
    lintable: bool,
    index: LineTable,
    report: Option<Report>,
    linter: Option<Arc<Linter>>,
}

struct Server {
    sender: crossbeam_channel::Sender<Message>,
    enc: Encoding,
    root: Option<PathBuf>,
    docs: HashMap<Url, Doc>,
    resolver: Resolver,
    /// Config files with a published error, and the message.
    bad_configs: BTreeMap<PathBuf, String>,
    next_request: i32,
}

fn is_lintable(uri: &Url, language_id: &str) -> bool {
    let lang = language_id.to_ascii_lowercase();
    if matches!(
        lang.as_str(),
        "markdown" | "plaintext" | "text" | "txt" | "mdx" | "rmd" | "quarto"
    ) {
        return true;
    }
    Path::new(uri.path())
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| {
            crate::inputs::EXTENSIONS
                .iter()
                .any(|x| x.eq_ignore_ascii_case(e))
        })
}

fn is_config(uri: &Url) -> bool {
    uri.path().rsplit('/').next() == Some(CONFIG_NAME)
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// Whether an action of `kind` is wanted by a request's `only` filter.
fn wanted(kind: &CodeActionKind, only: Option<&Vec<CodeActionKind>>) -> bool {
    match only {
        None => true,
        Some(list) => list.iter().any(|k| {
            kind.as_str() == k.as_str()
                || kind
                    .as_str()
                    .strip_prefix(k.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        }),
    }
}

/// The (line, column) of a TOML error message ("... at line 3, column 7 ..."), 1-based.
fn error_line_col(message: &str) -> Option<(u32, u32)> {
    let at = message.find("line ")?;
    let rest = &message[at + 5..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let line = digits.parse().ok()?;
    let col = rest
        .find("column ")
        .map(|c| {
            rest[c + 7..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|d| d.parse().ok())
        .unwrap_or(1);
    Some((line, col))
}

/// Where in the config text an error points: the TOML line and column, else the line
/// that sets the key named in backticks, else the top.
fn config_error_range(config_text: &str, message: &str) -> Range {
    if let Some((line, col)) = error_line_col(message) {
        let l = line.saturating_sub(1);
        let c = col.saturating_sub(1);
        return Range::new(Position::new(l, c), Position::new(l, c + 1));
    }
    if let Some(key) = message.split('`').nth(1) {
        let last = key.rsplit('.').next().unwrap_or(key);
        for (i, line) in config_text.lines().enumerate() {
            let t = line.trim_start();
            if let Some(rest) = t.strip_prefix(last) {
                if rest.trim_start().starts_with('=') {
                    let indent = (line.len() - t.len()) as u32;
                    return Range::new(
                        Position::new(i as u32, indent),
                        Position::new(i as u32, indent + last.len() as u32),
                    );
                }
            }
        }
    }
    Range::new(Position::new(0, 0), Position::new(0, 0))
}

impl Server {
    fn new(params: &InitializeParams, sender: crossbeam_channel::Sender<Message>) -> Server {
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .and_then(|f| f.uri.to_file_path().ok())
            .or_else(|| params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()))
            .or_else(|| params.root_path.as_ref().map(PathBuf::from));
        Server {
            sender,
            enc: Encoding::negotiate(params),
            root,
            docs: HashMap::new(),
            resolver: Self::new_resolver(),
            bad_configs: BTreeMap::new(),
            next_request: 0,
        }
    }

    fn new_resolver() -> Resolver {
        Resolver::new(None, Overrides::default()).expect("no explicit config to check")
    }

    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            position_encoding: Some(self.enc.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..Default::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::new(FIX_ALL_KIND),
                ]),
                resolve_provider: Some(false),
                ..Default::default()
            })),
            ..Default::default()
        }
    }

    /// Asks the client to tell us about `unblame.toml` changes, when it can.
    fn register_watchers(&mut self, params: &InitializeParams) {
        let dynamic = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if !dynamic {
            return;
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{CONFIG_NAME}")),
                kind: None,
            }],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "unblame-config-watcher".into(),
                method: notif::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_request += 1;
        let request = Request::new(
            RequestId::from(format!("unblame-{}", self.next_request)),
            req::RegisterCapability::METHOD.into(),
            params,
        );
        self.send(Message::Request(request));
    }

    fn send(&self, msg: Message) {
        // The client went away: the receive loop ends on its own.
        let _ = self.sender.send(msg);
    }

    fn notify<N: notif::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.into(),
            params,
        )));
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result: Result<Value, (ErrorCode, String)> = match request.method.as_str() {
            req::HoverRequest::METHOD => serde_json::from_value::<HoverParams>(request.params)
                .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
                .map(|p| json!(self.hover(&p))),
            req::CodeActionRequest::METHOD => {
                serde_json::from_value::<CodeActionParams>(request.params)
                    .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
                    .map(|p| json!(self.code_actions(&p)))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("unblame lsp does not handle {other}"),
            )),
        };
        match result {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn notification(&mut self, n: Notification) {
        fn parse<P: serde::de::DeserializeOwned>(n: Notification) -> Option<P> {
            let method = n.method.clone();
            match serde_json::from_value(n.params) {
                Ok(p) => Some(p),
                Err(e) => {
                    eprintln!("unblame lsp: ignoring {method} with bad params: {e}");
                    None
                }
            }
        }
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                if let Some(p) = parse::<DidOpenTextDocumentParams>(n) {
                    let doc = p.text_document;
                    let lintable = is_lintable(&doc.uri, &doc.language_id);
                    self.docs.insert(
                        doc.uri.clone(),
                        Doc {
                            index: LineTable::new(&doc.text),
                            text: doc.text,
                            version: doc.version,
                            lintable,
                            report: None,
                            linter: None,
                        },
                    );
                    self.lint_and_publish(&doc.uri);
                }
            }
            notif::DidChangeTextDocument::METHOD => {
                if let Some(p) = parse::<DidChangeTextDocumentParams>(n) {
                    let uri = p.text_document.uri;
                    let enc = self.enc;
                    let Some(doc) = self.docs.get_mut(&uri) else {
                        return;
                    };
                    for change in &p.content_changes {
                        apply_change(&mut doc.text, change, enc);
                    }
                    doc.index = LineTable::new(&doc.text);
                    doc.version = p.text_document.version;
                    self.lint_and_publish(&uri);
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                if let Some(p) = parse::<DidCloseTextDocumentParams>(n) {
                    let uri = p.text_document.uri;
                    if self.docs.remove(&uri).is_some() {
                        self.publish(uri, Vec::new(), None);
                    }
                }
            }
            notif::DidSaveTextDocument::METHOD => {
                if let Some(p) = parse::<DidSaveTextDocumentParams>(n) {
                    if is_config(&p.text_document.uri) {
                        self.reload(p.text_document.uri.to_file_path().ok());
                    }
                }
            }
            notif::DidChangeWatchedFiles::METHOD => {
                if let Some(p) = parse::<DidChangeWatchedFilesParams>(n) {
                    let changed = p
                        .changes
                        .iter()
                        .filter(|c| is_config(&c.uri))
                        .filter_map(|c| c.uri.to_file_path().ok())
                        .next();
                    if !p.changes.is_empty() {
                        self.reload(changed);
                    }
                }
            }
            // Unknown notifications (and $/ ones) are ignored, as the protocol asks.
            _ => {}
        }
    }

    /// Forgets every built config, relints every open document and republishes the
    /// config diagnostics; `changed` is a config file to check even when no open
    /// document uses it.
    fn reload(&mut self, changed: Option<PathBuf>) {
        self.resolver = Self::new_resolver();
        let old = std::mem::take(&mut self.bad_configs);
        let uris: Vec<Url> = self.docs.keys().cloned().collect();
        for uri in &uris {
            self.lint_and_publish(uri);
        }
        if let Some(path) = changed.filter(|p| p.is_file()) {
            if let Err(message) = self.resolver.linter_or_error(Some(path.clone())) {
                self.config_error(&path, message);
            }
        }
        for (path, _) in old {
            if !self.bad_configs.contains_key(&path) {
                if let Ok(uri) = Url::from_file_path(&path) {
                    self.publish(uri, Vec::new(), None);
                }
            }
        }
    }

    /// Publishes `message` on the config file (once per distinct message).
    fn config_error(&mut self, path: &Path, message: String) {
        if self.bad_configs.get(path) == Some(&message) {
            return;
        }
        let Ok(uri) = Url::from_file_path(path) else {
            return;
        };
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let diagnostic = Diagnostic {
            range: config_error_range(&text, &message),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("config".into())),
            source: Some("unblame".into()),
            message: format!("{message}\nunblame uses its default settings until this is fixed."),
            ..Default::default()
        };
        self.bad_configs.insert(path.to_path_buf(), message);
        self.publish(uri, vec![diagnostic], None);
    }

    /// The linter for a document: its config's, or the defaults when that config is
    /// broken (the error is published on the config file).
    fn linter_for(&mut self, uri: &Url) -> Option<Arc<Linter>> {
        let anchor = uri.to_file_path().ok().or_else(|| {
            self.root
                .as_ref()
                .map(|r| r.join("untitled.md"))
                .or_else(|| std::env::current_dir().ok().map(|d| d.join("untitled.md")))
        });
        let config = self.resolver.config_for(anchor.as_deref());
        match self.resolver.linter_or_error(config.clone()) {
            Ok(l) => Some(l),
            Err(message) => {
                if let Some(path) = &config {
                    self.config_error(path, message);
                }
                self.resolver.linter_or_error(None).ok()
            }
        }
    }

    fn lint_and_publish(&mut self, uri: &Url) {
        let lintable = self.docs.get(uri).is_some_and(|d| d.lintable);
        if !lintable {
            return;
        }
        let linter = self.linter_for(uri);
        let enc = self.enc;
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        let Some(linter) = linter else {
            return;
        };
        let report = match linter.try_lint(&doc.text) {
            Ok(report) => report,
            Err(e) => {
                // Too large to lint: say so at the top of the document, offer no actions.
                let diagnostic = Diagnostic {
                    range: to_range(&doc.index, 0, 0, enc),
                    severity: Some(DiagnosticSeverity::WARNING),
                    code: Some(NumberOrString::String("too-large".into())),
                    source: Some("unblame".into()),
                    message: format!("{e}; unblame does not check this document"),
                    ..Default::default()
                };
                doc.report = None;
                let version = doc.version;
                self.publish(uri.clone(), vec![diagnostic], Some(version));
                return;
            }
        };
        let diagnostics = report
            .findings
            .iter()
            .map(|f| diagnostic(&doc.index, f, enc))
            .collect();
        doc.report = Some(report);
        doc.linter = Some(linter);
        let version = doc.version;
        self.publish(uri.clone(), diagnostics, Some(version));
    }

    fn publish(&self, uri: Url, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        self.notify::<notif::PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }

    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let pos = &p.text_document_position_params;
        let doc = self.docs.get(&pos.text_document.uri)?;
        let report = doc.report.as_ref()?;
        let byte = to_offset(&doc.index, pos.position, self.enc);
        let mut parts: Vec<String> = Vec::new();
        let mut range: Option<(usize, usize)> = None;
        for f in report.findings.iter().filter(|f| covers(f, byte)) {
            parts.push(hover_text(f));
            range = Some(match range {
                None => (f.start, f.end),
                Some((a, b)) => (a.min(f.start), b.max(f.end)),
            });
        }
        if report.structure.is_some() || report.metrics.is_some() {
            let (title_start, title_end) = title_line(&doc.text);
            if byte >= title_start && byte <= title_end {
                let lines = document_summary(report.structure.as_ref(), report.metrics.as_ref());
                if !lines.is_empty() {
                    let body: Vec<String> = lines.iter().map(|l| format!("- {l}")).collect();
                    parts.push(format!(
                        "**unblame: postmortem overview**\n\n{}",
                        body.join("\n")
                    ));
                    if range.is_none() {
                        range = Some((title_start, title_end));
                    }
                }
            }
        }
        if parts.is_empty() {
            return None;
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range: range.map(|(a, b)| to_range(&doc.index, a, b, self.enc)),
        })
    }

    fn code_actions(&self, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &p.text_document.uri;
        let Some(doc) = self.docs.get(uri) else {
            return Vec::new();
        };
        let (Some(report), Some(linter)) = (&doc.report, &doc.linter) else {
            return Vec::new();
        };
        let only = p.context.only.as_ref();
        let a = to_offset(&doc.index, p.range.start, self.enc);
        let b = to_offset(&doc.index, p.range.end, self.enc);
        let (a, b) = (a.min(b), a.max(b));
        let mut actions = Vec::new();
        if wanted(&CodeActionKind::QUICKFIX, only) {
            for f in report
                .findings
                .iter()
                .filter(|f| f.start <= b && f.end >= a)
            {
                let diag = diagnostic(&doc.index, f, self.enc);
                let mut preferred_given = false;
                for s in &f.suggestions {
                    let edit = TextEdit {
                        range: to_range(&doc.index, s.start, s.end, self.enc),
                        new_text: s.replacement.clone(),
                    };
                    let preferred = s.safe && !preferred_given;
                    preferred_given |= preferred;
                    let safety = if s.safe {
                        ""
                    } else {
                        " (review: changes meaning)"
                    };
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("unblame: {}{safety}", s.description),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diag.clone()]),
                        edit: Some(WorkspaceEdit {
                            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                            ..Default::default()
                        }),
                        is_preferred: Some(preferred),
                        ..Default::default()
                    }));
                }
            }
        }
        let fix_all = CodeActionKind::new(FIX_ALL_KIND);
        if wanted(&fix_all, only) && !report.fixes(false).is_empty() {
            let fixed = linter.fix(&doc.text, false);
            if let Some(edit) = minimal_edit(&doc.text, &fixed, &doc.index, self.enc) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "unblame: apply all safe fixes".into(),
                    kind: Some(fix_all),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                        ..Default::default()
                    }),
                    ..Default::default()
                }));
            }
        }
        actions
    }
}

/// `true` when the cursor at `byte` is on the finding (its end included, so a cursor
/// right after a word still counts).
fn covers(f: &Finding, byte: usize) -> bool {
    f.start <= byte && byte <= f.end
}

fn hover_text(f: &Finding) -> String {
    let mut s = format!(
        "**unblame {}** ({})\n\n{}\n\n{}",
        f.rule, f.severity, f.message, f.help
    );
    for sug in &f.suggestions {
        let safety = if sug.safe { "safe" } else { "unsafe" };
        s.push_str(&format!("\n\n*Suggestion ({safety}):* {}", sug.description));
    }
    s.push_str(&format!(
        "\n\nExamples: `unblame explain {}`. Silence here: `<!-- unblame-disable-next-line {} -->`.",
        f.rule, f.rule
    ));
    s
}

/// The byte range of the document's title line: the first ATX heading, else line one.
fn title_line(text: &str) -> (usize, usize) {
    let mut start = 0;
    let mut first: Option<(usize, usize)> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let range = (start, start + body.len());
        if first.is_none() {
            first = Some(range);
        }
        let t = body.trim_start();
        if t.starts_with('#') && t.trim_start_matches('#').starts_with([' ', '\t']) {
            return range;
        }
        start += line.len();
    }
    first.unwrap_or((0, 0))
}

/// The diagnostic of one finding.
fn diagnostic(index: &LineTable, f: &Finding, enc: Encoding) -> Diagnostic {
    let head = help_head(&f.help);
    let mut message = f.message.to_string();
    if !head.is_empty() {
        message.push('\n');
        message.push_str(&head);
    }
    let mut data = serde_json::Map::new();
    data.insert("rule".into(), json!(f.rule));
    data.insert("category".into(), json!(f.category));
    data.insert("help".into(), json!(f.help));
    data.insert(
        "explain".into(),
        json!(format!("unblame explain {}", f.rule)),
    );
    data.insert(
        "fixable".into(),
        json!(f.suggestions.first().is_some_and(|s| s.safe)),
    );
    if !f.data.is_empty() {
        data.insert("extra".into(), Value::Object(f.data.clone()));
    }
    Diagnostic {
        range: to_range(index, f.start, f.end, enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.to_string())),
        source: Some("unblame".into()),
        message,
        data: Some(Value::Object(data)),
        ..Default::default()
    }
}

/// One edit that turns `old` into `new`: the differing middle between the common
/// prefix and suffix. `None` when they are equal.
fn minimal_edit(old: &str, new: &str, index: &LineTable, enc: Encoding) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let prefix = floor_char(old, prefix);
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while suffix > 0
        && !(old.is_char_boundary(old.len() - suffix) && new.is_char_boundary(new.len() - suffix))
    {
        suffix -= 1;
    }
    Some(TextEdit {
        range: to_range(index, prefix, old.len() - suffix, enc),
        new_text: new[prefix..new.len() - suffix].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_in_both_encodings() {
        let text = "ab\n🔥 x\r\n日本 y\nlast";
        let index = LineTable::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(to_position(&index, x, Encoding::Utf16), Position::new(1, 3));
        assert_eq!(to_position(&index, x, Encoding::Utf8), Position::new(1, 5));
        let y = text.find('y').unwrap();
        assert_eq!(to_position(&index, y, Encoding::Utf16), Position::new(2, 3));
        assert_eq!(to_position(&index, y, Encoding::Utf8), Position::new(2, 7));
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            for (i, _) in text.char_indices() {
                let p = to_position(&index, i, enc);
                if text[..i].ends_with('\r') {
                    continue; // between \r and \n: the end of the line
                }
                assert_eq!(to_offset(&index, p, enc), i, "{enc:?} {i} {p:?}");
            }
        }
        // Past the end of a line or the text clamps; inside a surrogate pair floors.
        assert_eq!(to_offset(&index, Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(
            to_offset(&index, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
        assert_eq!(to_offset(&index, Position::new(1, 1), Encoding::Utf16), 3);
        assert_eq!(to_offset(&index, Position::new(1, 2), Encoding::Utf8), 3);
    }

    #[test]
    fn incremental_changes_apply() {
        let mut text = "🔥 one\ntwo\n".to_string();
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(0, 3), Position::new(0, 6))),
            range_length: None,
            text: "1".into(),
        };
        apply_change(&mut text, &change, Encoding::Utf16);
        assert_eq!(text, "🔥 1\ntwo\n");
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(1, 0), Position::new(2, 0))),
            range_length: None,
            text: String::new(),
        };
        apply_change(&mut text, &change, Encoding::Utf8);
        assert_eq!(text, "🔥 1\n");
    }

    #[test]
    fn config_errors_point_at_a_line() {
        let r = config_error_range("a = 1\n[x\n", "TOML parse error at line 2, column 3: bad");
        assert_eq!(r.start, Position::new(1, 2));
        let r = config_error_range(
            "[thresholds]\n  late_days = \"x\"\n",
            "unblame.toml: invalid config key `thresholds.late_days`: expected a number",
        );
        assert_eq!(r.start, Position::new(1, 2));
        assert_eq!(r.end, Position::new(1, 11));
        let r = config_error_range("", "something else");
        assert_eq!(r.start, Position::new(0, 0));
    }

    #[test]
    fn only_filters_by_prefix() {
        let fix_all = CodeActionKind::new(FIX_ALL_KIND);
        assert!(wanted(&fix_all, None));
        assert!(wanted(&fix_all, Some(&vec![CodeActionKind::SOURCE])));
        assert!(wanted(
            &fix_all,
            Some(&vec![CodeActionKind::SOURCE_FIX_ALL])
        ));
        assert!(!wanted(&fix_all, Some(&vec![CodeActionKind::QUICKFIX])));
        assert!(!wanted(
            &CodeActionKind::QUICKFIX,
            Some(&vec![CodeActionKind::new("quick")])
        ));
    }

    #[test]
    fn minimal_edit_keeps_common_ends() {
        let old = "a 🔥 b c";
        let new = "a 🔥 x c";
        let index = LineTable::new(old);
        let e = minimal_edit(old, new, &index, Encoding::Utf16).unwrap();
        assert_eq!(e.new_text, "x");
        assert_eq!(e.range.start, Position::new(0, 5));
        assert_eq!(e.range.end, Position::new(0, 6));
        assert!(minimal_edit(old, old, &index, Encoding::Utf16).is_none());
    }

    #[test]
    fn title_line_is_the_first_heading() {
        assert_eq!(title_line("---\n# Title\nbody"), (4, 11));
        assert_eq!(title_line("plain\nmore"), (0, 5));
        assert_eq!(title_line(""), (0, 0));
    }
}
