//! The output formats of `unblame check`: human, json, sarif, github, gitlab, and `--diff`.

use crate::{CheckArgs, Format};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::Arc;
use unblame::offsets::{LineTable, Unit};
use unblame::{Finding, Linter, Report, Severity};

/// A linted document.
#[derive(Debug)]
pub struct Linted {
    /// The report (after fixing, with `--fix`).
    pub report: Report,
    /// The text the report's offsets refer to.
    pub text: String,
    /// How many findings the fixes removed.
    pub fixed: usize,
    /// With `--diff`: the unified diff, when there is one.
    pub diff: Option<String>,
    /// With `--fix` on stdin: the fixed text, printed instead of a report.
    pub fixed_text: Option<String>,
}

/// The outcome for one document.
#[derive(Debug)]
pub struct FileResult {
    /// The path as shown.
    pub shown: String,
    /// The linted document, or why it could not be linted.
    pub outcome: Result<Linted, String>,
}

/// Totals over all documents.
#[derive(Debug, Default)]
pub struct Summary {
    /// Documents linted.
    pub files: usize,
    /// Findings (remaining, after `--fix`).
    pub findings: usize,
    /// Findings whose first suggestion is safe.
    pub fixable: usize,
    /// Findings whose first suggestion is unsafe (and not already counted).
    pub unsafe_fixable: usize,
    /// Findings removed by fixes.
    pub fixed: usize,
    /// Documents the fixes changed (or would change, with `--diff`).
    pub files_changed: usize,
    /// Count per rule id, with whether the rule's findings are fixable.
    pub per_rule: BTreeMap<String, (usize, bool)>,
}

impl Summary {
    /// Adds one document.
    pub fn add(&mut self, l: &Linted, unsafe_fixes: bool) {
        self.files += 1;
        self.findings += l.report.findings.len();
        self.fixed += l.fixed;
        if l.fixed > 0 {
            self.files_changed += 1;
        }
        for f in &l.report.findings {
            let first = f.suggestions.first();
            let safe = first.is_some_and(|s| s.safe);
            if safe {
                self.fixable += 1;
            } else if first.is_some() {
                self.unsafe_fixable += 1;
            }
            let entry = self
                .per_rule
                .entry(f.rule.to_string())
                .or_insert((0, false));
            entry.0 += 1;
            entry.1 |= safe || (unsafe_fixes && first.is_some());
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Prints everything for the chosen format.
pub fn write(
    args: &CheckArgs,
    results: &[FileResult],
    summary: &Summary,
    linters: &[Arc<Linter>],
) -> io::Result<()> {
    if args.diff {
        return write_diff(args, results, summary);
    }
    // Fixed stdin is printed as text, whatever the format.
    if args.fix {
        if let Some(fixed) = results
            .iter()
            .find_map(|r| r.outcome.as_ref().ok().and_then(|l| l.fixed_text.as_ref()))
        {
            let mut out = io::stdout().lock();
            out.write_all(fixed.as_bytes())?;
            out.flush()?;
            let remaining = results
                .iter()
                .filter_map(|r| r.outcome.as_ref().ok())
                .map(|l| l.report.findings.len())
                .sum::<usize>();
            if !args.quiet {
                let mut err = anstream::stderr();
                let _ = writeln!(
                    err,
                    "{} fixed, {} remaining",
                    plural(summary.fixed, "finding", "findings"),
                    remaining
                );
            }
            return Ok(());
        }
    }
    match args.format {
        Format::Human => {
            let mut out =
                anstream::AutoStream::new(io::stdout().lock(), anstream::ColorChoice::global());
            write_human(&mut out, args, results, summary)?;
            out.flush()
        }
        Format::Json => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            serde_json::to_writer_pretty(&mut out, &to_json(results))?;
            out.write_all(b"\n")?;
            out.flush()
        }
        Format::Sarif => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            serde_json::to_writer_pretty(&mut out, &to_sarif(results, linters))?;
            out.write_all(b"\n")?;
            out.flush()
        }
        Format::Gitlab => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            serde_json::to_writer_pretty(&mut out, &to_gitlab(results))?;
            out.write_all(b"\n")?;
            out.flush()
        }
        Format::Github => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            write_github(&mut out, results)?;
            out.flush()
        }
    }
}

fn write_diff(args: &CheckArgs, results: &[FileResult], summary: &Summary) -> io::Result<()> {
    let mut out = anstream::AutoStream::new(io::stdout().lock(), anstream::ColorChoice::global());
    let (add, del, hunk) = (
        Style::new().fg_color(Some(AnsiColor::Green.into())),
        Style::new().fg_color(Some(AnsiColor::Red.into())),
        Style::new().fg_color(Some(AnsiColor::Cyan.into())),
    );
    for r in results {
        let Ok(l) = &r.outcome else { continue };
        let Some(diff) = &l.diff else { continue };
        for line in diff.split_inclusive('\n') {
            let style = if line.starts_with("+++") || line.starts_with("---") {
                Style::new().bold()
            } else if line.starts_with('+') {
                add
            } else if line.starts_with('-') {
                del
            } else if line.starts_with("@@") {
                hunk
            } else {
                Style::new()
            };
            let body = line.strip_suffix('\n').unwrap_or(line);
            writeln!(out, "{style}{body}{style:#}")?;
            if !line.ends_with('\n') {
                writeln!(out, "\\ No newline at end of file")?;
            }
        }
    }
    out.flush()?;
    if !args.quiet {
        let mut err = anstream::stderr();
        let _ = if summary.files_changed == 0 {
            writeln!(
                err,
                "No fixes to apply in {}",
                plural(summary.files, "file", "files")
            )
        } else {
            writeln!(
                err,
                "Would fix {} in {}",
                plural(summary.fixed, "finding", "findings"),
                plural(summary.files_changed, "file", "files")
            )
        };
    }
    Ok(())
}

/// The 1-based line and column (in Unicode scalar values) of `byte`, as every report
/// format prints them.
fn line_col(table: &LineTable, byte: usize) -> (usize, usize) {
    let (line, column) = table.position(byte, Unit::Chars);
    (line + 1, column + 1)
}

/// The first sentence or two of a help text, reflowed onto one line.
pub fn help_head(help: &str) -> String {
    let para = help
        .split("\n\n")
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if para.chars().count() <= 200 {
        return para;
    }
    // Whole sentences while short enough; at least one.
    let mut end = 0;
    let bytes = para.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let at_end =
            matches!(b, b'.' | b'?' | b'!') && (i + 1 == bytes.len() || bytes[i + 1] == b' ');
        if !at_end {
            continue;
        }
        if end > 0 && i + 1 > 200 {
            break;
        }
        end = i + 1;
        if end >= 60 {
            break;
        }
    }
    if end > 0 && end <= 240 {
        return para[..end].to_string();
    }
    let mut s: String = para.chars().take(197).collect();
    s.push('…');
    s
}

fn severity_style(s: Severity) -> Style {
    let color = match s {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

fn render_finding(
    out: &mut String,
    renderer: &Renderer,
    shown: &str,
    text: &str,
    table: &LineTable,
    f: &Finding,
) {
    let bold = Style::new().bold();
    let sev = severity_style(f.severity);
    let (line, col) = line_col(table, f.start);
    let _ = writeln!(
        out,
        "{bold}{shown}:{line}:{col}:{bold:#} {sev}{}{sev:#}[{bold}{}{bold:#}] {}",
        f.severity, f.rule, f.message
    );
    let start = f.start.min(text.len());
    let end = f.end.clamp(start, text.len());
    let (end_line, _) = line_col(table, if end > start { end - 1 } else { end });
    let from = table.line_range(line - 1).start;
    let to = table.line_range(end_line.max(line) - 1).end;
    let source = &text[from..to.max(from)];
    let span = (start - from).min(source.len())..(end - from).min(source.len());
    let mut group = Group::with_level(level(f.severity)).element(
        Snippet::source(source)
            .line_start(line)
            .fold(true)
            .annotation(AnnotationKind::Primary.span(span)),
    );
    let head = help_head(&f.help);
    if !head.is_empty() {
        group = group.element(Level::HELP.message(head));
    }
    for s in &f.suggestions {
        let old = text.get(s.start..s.end).unwrap_or("");
        let what = if s.replacement.is_empty() {
            format!("remove \"{old}\"")
        } else if old.is_empty() {
            format!("insert \"{}\"", s.replacement)
        } else {
            format!("replace \"{old}\" with \"{}\"", s.replacement)
        };
        let safety = if s.safe { "safe" } else { "unsafe" };
        group = group.element(
            Level::NOTE
                .no_name()
                .message(format!("suggestion: {what} ({safety})")),
        );
    }
    let _ = writeln!(out, "{}", renderer.render(&[group]));
    out.push('\n');
}

fn yes_no(v: &Value) -> Option<&'static str> {
    v.as_bool().map(|b| if b { "yes" } else { "no" })
}

fn num(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("unknown".into()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "yes" } else { "no" }.into()),
        other => Some(other.to_string()),
    }
}

fn minutes(v: &Value) -> String {
    match v.as_i64() {
        Some(m) if m.abs() >= 60 => {
            let sign = if m < 0 { "-" } else { "" };
            format!("{sign}{}h {:02}m", m.abs() / 60, m.abs() % 60)
        }
        Some(m) => format!("{m} min"),
        None => num(v).unwrap_or_default(),
    }
}

/// A short per-document summary of the skeleton and the incident metrics.
pub fn document_summary(
    structure: Option<&unblame::Structure>,
    metrics: Option<&unblame::Metrics>,
) -> Vec<String> {
    let structure = structure.and_then(|s| serde_json::to_value(s).ok());
    let metrics = metrics.and_then(|m| serde_json::to_value(m).ok());
    summary_of_values(structure.as_ref(), metrics.as_ref())
}

/// The summary read from the report's JSON form: only the keys present are printed, keys
/// it does not know as they are (so a field added to the report shows up at once).
fn summary_of_values(structure: Option<&Value>, metrics: Option<&Value>) -> Vec<String> {
    let mut lines = Vec::new();
    let empty = Map::new();
    let s = structure.and_then(Value::as_object).unwrap_or(&empty);
    let m = metrics.and_then(Value::as_object).unwrap_or(&empty);
    let mut used: Vec<&str> = Vec::new();
    let mut get = |obj: &'_ Map<String, Value>, k: &'static str| -> Option<Value> {
        used.push(k);
        obj.get(k).cloned()
    };

    // Sections.
    let mut parts = Vec::new();
    if let Some(v) = get(s, "blameless_statement") {
        parts.push(format!(
            "blameless statement {}",
            yes_no(&v).unwrap_or("unknown")
        ));
    }
    if let Some(v) = get(s, "summary_sentences") {
        parts.push(match v.as_u64() {
            Some(n) => format!("summary {}", plural(n as usize, "sentence", "sentences")),
            None => "summary unknown".into(),
        });
    }
    if let Some(v) = get(s, "contributing_factors") {
        parts.push(format!(
            "contributing factors {}",
            num(&v).unwrap_or_default()
        ));
    }
    if let Some(v) = get(s, "what_went_well") {
        parts.push(format!(
            "what went well {}",
            yes_no(&v).unwrap_or("unknown")
        ));
    }
    if !parts.is_empty() {
        lines.push(format!("sections: {}", parts.join(", ")));
    }

    // Header.
    let mut parts = Vec::new();
    if let Some(v) = get(s, "header_fields_missing") {
        match v.as_array() {
            Some(a) if a.is_empty() => parts.push("all fields present".to_string()),
            Some(a) => parts.push(format!(
                "missing {}",
                a.iter()
                    .map(|x| x
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            None => parts.push("fields unknown".into()),
        }
    }
    if let Some(v) = get(s, "duration_mismatch") {
        match v.as_bool() {
            Some(true) => parts.push("stated duration disagrees with detected/resolved".into()),
            Some(false) => parts.push("duration consistent".into()),
            None => {}
        }
    }
    if !parts.is_empty() {
        lines.push(format!("header: {}", parts.join("; ")));
    }

    // Timeline.
    let mut parts = Vec::new();
    if let Some(v) = get(s, "timeline_entries") {
        parts.push(match v.as_u64() {
            Some(n) => plural(n as usize, "entry", "entries"),
            None => "entries unknown".into(),
        });
    }
    if let Some(v) = get(s, "timeline_utc") {
        match v.as_bool() {
            Some(true) => parts.push("UTC".into()),
            Some(false) => parts.push("not all UTC".into()),
            None => {}
        }
    }
    if let Some(Value::Bool(true)) = get(s, "timeline_12h") {
        parts.push("12-hour clock".into());
    }
    if let Some(v) = get(s, "timeline_out_of_order") {
        match v.as_bool() {
            Some(true) => parts.push("out of order".into()),
            Some(false) => parts.push("in order".into()),
            None => {}
        }
    }
    if !parts.is_empty() {
        lines.push(format!("timeline: {}", parts.join(", ")));
    }

    // Action items.
    let mut parts = Vec::new();
    if let Some(v) = get(s, "action_items") {
        parts.push(num(&v).unwrap_or_default());
    }
    let mut lacking = Vec::new();
    for (k, what) in [
        ("action_items_missing_owner", "an owner"),
        ("action_items_missing_date", "a date"),
        ("action_items_missing_ticket", "a ticket"),
    ] {
        if let Some(n) = get(s, k).and_then(|v| v.as_u64()) {
            if n > 0 {
                lacking.push(format!("{n} without {what}"));
            }
        }
    }
    if !parts.is_empty() || !lacking.is_empty() {
        let mut line = format!("action items: {}", parts.join(""));
        if !lacking.is_empty() {
            let _ = write!(line, " ({})", lacking.join(", "));
        }
        lines.push(line);
    }
    if let Some(v) = get(s, "days_to_write") {
        if let Some(n) = v.as_i64() {
            lines.push(format!(
                "written: {} after the incident",
                plural(n.max(0) as usize, "day", "days")
            ));
        }
    }

    // Metrics.
    let mut parts = Vec::new();
    for (k, label) in [("detected", "detected"), ("resolved", "resolved")] {
        if let Some(v) = get(m, k) {
            parts.push(format!("{label} {}", num(&v).unwrap_or_default()));
        }
    }
    for (k, label) in [
        ("duration_min", "duration"),
        ("time_to_detect_min", "time to detect"),
        ("time_to_identify_min", "time to identify"),
        ("time_to_mitigate_min", "time to mitigate"),
    ] {
        if let Some(v) = get(m, k) {
            parts.push(format!("{label} {}", minutes(&v)));
        }
    }
    // Anything the report has that this summary does not know yet: scalars and lists
    // of scalars as they are, lists of objects by their titles or their count.
    let describe = |v: &Value| -> Option<String> {
        match v {
            Value::Array(a) if a.iter().all(|x| !x.is_object() && !x.is_array()) => {
                Some(a.iter().filter_map(num).collect::<Vec<_>>().join(", "))
                    .filter(|j| !j.is_empty())
            }
            Value::Array(a) => {
                let titles: Vec<&str> = a
                    .iter()
                    .filter_map(|x| x.get("title").and_then(Value::as_str))
                    .collect();
                if titles.len() == a.len() && !titles.is_empty() {
                    Some(titles.join(", "))
                } else {
                    None
                }
            }
            Value::Object(_) => None,
            other => num(other),
        }
    };
    let extra = |obj: &Map<String, Value>, used: &[&str]| -> Vec<String> {
        obj.iter()
            .filter(|(k, _)| !used.contains(&k.as_str()))
            .filter_map(|(k, v)| {
                let label = k.trim_end_matches("_min").replace('_', " ");
                let value = if k.ends_with("_min") {
                    Some(minutes(v))
                } else {
                    describe(v)
                }?;
                Some(format!("{label} {value}"))
            })
            .collect()
    };
    parts.extend(extra(m, &used));
    let other = extra(s, &used);
    if !parts.is_empty() {
        lines.push(format!("metrics: {}", parts.join(", ")));
    }
    if !other.is_empty() {
        lines.push(format!("other: {}", other.join("; ")));
    }
    lines
}

fn write_human(
    out: &mut impl Write,
    args: &CheckArgs,
    results: &[FileResult],
    summary: &Summary,
) -> io::Result<()> {
    let renderer = Renderer::styled();
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    if args.statistics {
        let mut rows: Vec<(&String, &(usize, bool))> = summary.per_rule.iter().collect();
        rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        let width = rows
            .iter()
            .map(|r| r.1 .0.to_string().len())
            .max()
            .unwrap_or(1);
        let id_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
        for (rule, (n, fixable)) in rows {
            let mark = if *fixable { "[*]" } else { "" };
            let pad = if mark.is_empty() {
                0
            } else {
                id_width.saturating_sub(rule.len()) + 2
            };
            writeln!(out, "{n:>width$}  {bold}{rule}{bold:#}{:pad$}{mark}", "")?;
        }
    } else {
        for r in results {
            let Ok(l) = &r.outcome else { continue };
            let mut buf = String::new();
            let table = LineTable::new(&l.text);
            for f in &l.report.findings {
                render_finding(&mut buf, &renderer, &r.shown, &l.text, &table, f);
            }
            if !args.quiet && (l.report.structure.is_some() || l.report.metrics.is_some()) {
                let lines =
                    document_summary(l.report.structure.as_ref(), l.report.metrics.as_ref());
                if !lines.is_empty() {
                    let _ = writeln!(buf, "{bold}{}{bold:#}: postmortem overview", r.shown);
                    for line in lines {
                        let _ = writeln!(buf, "  {dim}·{dim:#} {line}");
                    }
                    buf.push('\n');
                }
            }
            out.write_all(buf.as_bytes())?;
        }
    }
    if !args.quiet {
        let mut line = format!(
            "{} in {}",
            plural(summary.findings, "finding", "findings"),
            plural(summary.files, "file", "files")
        );
        if args.fix {
            let _ = write!(
                line,
                " after fixing {}",
                plural(summary.fixed, "finding", "findings")
            );
            if summary.findings > 0 && summary.unsafe_fixable > 0 && !args.unsafe_fixes {
                let _ = write!(
                    line,
                    " ({} more with --unsafe-fixes)",
                    summary.unsafe_fixable
                );
            }
        } else if summary.fixable > 0 || summary.unsafe_fixable > 0 {
            let mut hints = Vec::new();
            if summary.fixable > 0 {
                hints.push(format!("{} fixable with --fix", summary.fixable));
            }
            if summary.unsafe_fixable > 0 {
                hints.push(format!(
                    "{} more with --unsafe-fixes",
                    summary.unsafe_fixable
                ));
            }
            let _ = write!(line, " ({})", hints.join(", "));
        }
        writeln!(out, "{bold}{line}{bold:#}")?;
    }
    Ok(())
}

/// A finding as JSON: every SPEC field, in SPEC order, plus `span` with the same byte
/// offsets (the corpus scorer reads `span`).
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    span: Span,
}

/// A byte range.
#[derive(Serialize)]
struct Span {
    start: usize,
    end: usize,
}

impl<'a> JsonFinding<'a> {
    /// Wraps a finding.
    pub fn new(finding: &'a Finding) -> Self {
        JsonFinding {
            finding,
            span: Span {
                start: finding.start,
                end: finding.end,
            },
        }
    }
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    findings: Vec<JsonFinding<'a>>,
    structure: &'a Option<unblame::Structure>,
    metrics: &'a Option<unblame::Metrics>,
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
}

fn to_json(results: &[FileResult]) -> JsonOutput<'_> {
    let files = results
        .iter()
        .filter_map(|r| {
            let l = r.outcome.as_ref().ok()?;
            Some(JsonFile {
                path: &r.shown,
                findings: l.report.findings.iter().map(JsonFinding::new).collect(),
                structure: &l.report.structure,
                metrics: &l.report.metrics,
            })
        })
        .collect();
    JsonOutput { version: 1, files }
}

/// A path as a SARIF URI reference: forward slashes, reserved characters percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(table: &LineTable, start: usize, end: usize) -> Value {
    let (sl, sc) = line_col(table, start);
    let (el, ec) = line_col(table, end);
    let (cs, ce) = (
        table.convert(start, Unit::Chars),
        table.convert(end, Unit::Chars),
    );
    json!({"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec, "charOffset": cs, "charLength": ce.saturating_sub(cs)})
}

fn to_sarif(results: &[FileResult], linters: &[Arc<Linter>]) -> Value {
    let mut rules: Vec<Value> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for linter in linters {
        for r in linter.rules() {
            if index.contains_key(&r.id) {
                continue;
            }
            index.insert(r.id.clone(), rules.len());
            rules.push(json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.help},
                "help": {"text": r.help},
                "defaultConfiguration": {"level": sarif_level(r.severity)},
                "properties": {"category": r.category, "fix": r.fix},
            }));
        }
    }
    let mut out = Vec::new();
    for r in results {
        let Ok(l) = &r.outcome else { continue };
        let table = LineTable::new(&l.text);
        let location = uri(&r.shown);
        for f in &l.report.findings {
            let mut result = json!({
                "ruleId": f.rule,
                "level": sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": location},
                        "region": region(&table, f.start, f.end),
                    }
                }],
                "properties": {"category": f.category},
            });
            if let Some(&i) = index.get(f.rule.as_str()) {
                result["ruleIndex"] = json!(i);
            }
            if !f.suggestions.is_empty() {
                result["fixes"] = Value::Array(
                    f.suggestions
                        .iter()
                        .map(|s| {
                            json!({
                                "description": {"text": s.description},
                                "artifactChanges": [{
                                    "artifactLocation": {"uri": location},
                                    "replacements": [{
                                        "deletedRegion": region(&table, s.start, s.end),
                                        "insertedContent": {"text": s.replacement},
                                    }],
                                }],
                                "properties": {"safe": s.safe},
                            })
                        })
                        .collect(),
                );
            }
            out.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "unblame",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/unblame",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": out,
        }],
    })
}

/// FNV-1a over `parts` (separated by a 0xff byte, which UTF-8 never has) from the given
/// offset basis.
fn fnv1a(parts: &[&str], basis: u64) -> u64 {
    let mut h = basis;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0xff;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A fingerprint that survives edits elsewhere in the file: path, rule, the flagged
/// text (whitespace-normalised, lowercase) and which occurrence of that text it is.
fn fingerprint(path: &str, rule: &str, text: &str, occurrence: usize) -> String {
    let text = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let n = occurrence.to_string();
    let parts = [path, rule, text.as_str(), n.as_str()];
    format!(
        "{:016x}{:016x}",
        fnv1a(&parts, 0xcbf2_9ce4_8422_2325),
        fnv1a(&parts, 0x6c62_272e_07bb_0142)
    )
}

/// The GitLab code quality severity of a finding.
fn gitlab_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// A GitLab code quality report: the CodeClimate issue array GitLab reads.
fn to_gitlab(results: &[FileResult]) -> Value {
    let mut issues = Vec::new();
    for r in results {
        let Ok(l) = &r.outcome else { continue };
        let table = LineTable::new(&l.text);
        let mut seen: BTreeMap<(&str, String), usize> = BTreeMap::new();
        for f in &l.report.findings {
            let key = (f.rule.as_str(), f.text.to_lowercase());
            let occurrence = seen.entry(key).or_insert(0);
            *occurrence += 1;
            let (begin, _) = line_col(&table, f.start);
            let (end, _) = line_col(&table, if f.end > f.start { f.end - 1 } else { f.end });
            issues.push(json!({
                "type": "issue",
                "engine_name": "unblame",
                "check_name": f.rule,
                "description": format!("{} [{}]", f.message, f.rule),
                "content": {"body": f.help},
                "categories": ["Style"],
                "severity": gitlab_severity(f.severity),
                "fingerprint": fingerprint(&r.shown, &f.rule, &f.text, *occurrence),
                "location": {"path": r.shown, "lines": {"begin": begin, "end": end.max(begin)}},
            }));
        }
    }
    Value::Array(issues)
}

/// Escapes workflow-command data: `%`, CR and LF.
pub fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value: data escapes plus `:` and `,`.
pub fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn write_github(out: &mut impl Write, results: &[FileResult]) -> io::Result<()> {
    for r in results {
        let Ok(l) = &r.outcome else { continue };
        let table = LineTable::new(&l.text);
        for f in &l.report.findings {
            let cmd = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let (sl, sc) = line_col(&table, f.start);
            let (el, ec) = line_col(&table, f.end);
            writeln!(
                out,
                "::{cmd} file={},line={sl},col={sc},endLine={el},endColumn={ec},title={}::{}",
                gh_property(&r.shown),
                gh_property(&format!("unblame {}", f.rule)),
                gh_data(&f.message)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_and_lines_from_one() {
        let text = "ab\n🔥x\r\ny";
        let table = LineTable::new(text);
        assert_eq!(line_col(&table, 0), (1, 1));
        assert_eq!(line_col(&table, 7), (2, 2));
        assert_eq!(line_col(&table, text.len()), (3, 2));
        assert_eq!(table.line_range(1), 3..8);
    }

    #[test]
    fn gitlab_fingerprints_are_stable_and_distinct() {
        let a = fingerprint("pm.md", "blame/x", "Should  Have", 1);
        assert_eq!(a, fingerprint("pm.md", "blame/x", "should have", 1));
        assert_eq!(a.len(), 32);
        assert_ne!(a, fingerprint("pm.md", "blame/x", "should have", 2));
        assert_ne!(a, fingerprint("other.md", "blame/x", "should have", 1));
        assert_ne!(a, fingerprint("pm.md", "blame/y", "should have", 1));
        assert_eq!(gitlab_severity(Severity::Error), "major");
    }

    #[test]
    fn github_escapes() {
        assert_eq!(gh_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(gh_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("docs/my file.md"), "docs/my%20file.md");
        assert_eq!(uri("a\\b#c.md"), "a/b%23c.md");
    }

    #[test]
    fn document_summary_reads_spec_keys_and_keeps_unknown_ones() {
        let structure = json!({
            "blameless_statement": true, "header_fields_missing": ["reviewers"], "duration_mismatch": false,
            "summary_sentences": 3, "timeline_entries": 9, "timeline_utc": true, "timeline_12h": false,
            "timeline_out_of_order": false, "contributing_factors": 4, "action_items": 7,
            "action_items_missing_owner": 0, "action_items_missing_date": 1, "action_items_missing_ticket": 2,
            "what_went_well": true, "days_to_write": 3, "new_key": 5
        });
        let metrics = json!({
            "detected": "2026-03-04T14:04Z", "resolved": "2026-03-04T15:48Z", "duration_min": 104,
            "time_to_detect_min": 2, "time_to_identify_min": null, "time_to_mitigate_min": 43
        });
        let lines = summary_of_values(Some(&structure), Some(&metrics));
        let all = lines.join("\n");
        assert!(all.contains("sections: blameless statement yes, summary 3 sentences, contributing factors 4, what went well yes"), "{all}");
        assert!(
            all.contains("header: missing reviewers; duration consistent"),
            "{all}"
        );
        assert!(all.contains("timeline: 9 entries, UTC, in order"), "{all}");
        assert!(
            all.contains("action items: 7 (1 without a date, 2 without a ticket)"),
            "{all}"
        );
        assert!(all.contains("written: 3 days after the incident"), "{all}");
        assert!(all.contains("duration 1h 44m, time to detect 2 min, time to identify unknown, time to mitigate 43 min"), "{all}");
        assert!(all.contains("other: new key 5"), "{all}");
        // Only keys present are printed.
        let lines = summary_of_values(Some(&json!({"timeline_entries": 2})), None);
        assert_eq!(lines, ["timeline: 2 entries"]);
        assert!(summary_of_values(None, None).is_empty());
    }

    #[test]
    fn help_head_is_short() {
        let long = "First sentence is here and it is long enough to pass the sixty char limit. Second one. ".repeat(5);
        let head = help_head(&long);
        assert!(head.ends_with("limit."), "{head}");
        assert_eq!(help_head("Short.\n\nSecond paragraph."), "Short.");
    }
}
