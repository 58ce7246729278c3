//! The WebAssembly binding of unblame: `check`, `Linter`, `rules` for JavaScript.
//!
//! Thin by contract (SPEC.md): this file converts types and offsets, nothing else.
//! Every rule, heuristic and default lives in the core crate. Offsets leave here in
//! UTF-16 code units, converted by [`unblame::offsets::OffsetMap`], so that
//! `text.slice(f.start, f.end) === f.text` holds in JavaScript.

use serde::Serialize;
use std::sync::OnceLock;
use unblame::offsets::{OffsetMap, Unit};
use unblame::{Config, Report, Severity};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** `error`, `warning` or `info`. */
export type Severity = "error" | "warning" | "info";

/** A proposed edit. Offsets are UTF-16 code units into the linted text. */
export interface Suggestion {
  /** The text to put in place of `text.slice(start, end)`. */
  replacement: string;
  start: number;
  end: number;
  /** Mechanical and meaning-preserving: "fix all safe" may apply it without review. */
  safe: boolean;
  /** One line saying what the edit does. */
  description: string;
}

/** One problem found in a document. Offsets are UTF-16 code units: `text.slice(f.start, f.end) === f.text`. */
export interface Finding {
  /** `<category>/<name>`, e.g. `counterfactual/should-have`. */
  rule: string;
  /** `blame`, `human-error`, `counterfactual`, `judgment`, `root-cause`, `punitive`, `vague-action`, `structure` or `suppression`. */
  category: string;
  severity: Severity;
  /** One line: what is wrong here. */
  message: string;
  /** Why it harms learning, and how to rewrite. */
  help: string;
  start: number;
  end: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in Unicode scalar values. */
  column: number;
  /** The flagged text. */
  text: string;
  /** Proposed edits, safest first. */
  suggestions: Suggestion[];
  /** Rule-specific extras (may be empty). */
  data: Record<string, unknown>;
}

/** The postmortem skeleton; a value that cannot be determined is `null`. */
export interface Structure {
  blameless_statement: boolean | null;
  header_fields_missing: string[] | null;
  duration_mismatch: boolean | null;
  summary_sentences: number | null;
  timeline_entries: number | null;
  timeline_utc: boolean | null;
  timeline_12h: boolean | null;
  timeline_out_of_order: boolean | null;
  contributing_factors: number | null;
  action_items: number | null;
  action_items_missing_owner: number | null;
  action_items_missing_date: number | null;
  action_items_missing_ticket: number | null;
  what_went_well: boolean | null;
  days_to_write: number | null;
  [key: string]: unknown;
}

/** Incident metrics from the header and the timeline; unknown values are `null`. */
export interface Metrics {
  detected: string | null;
  resolved: string | null;
  duration_min: number | null;
  time_to_detect_min: number | null;
  time_to_identify_min: number | null;
  time_to_mitigate_min: number | null;
  [key: string]: unknown;
}

/** The result of linting one document. `structure` and `metrics` are `null` when the structure checks did not run. */
export interface Report {
  /** Sorted by `start`. */
  findings: Finding[];
  structure: Structure | null;
  metrics: Metrics | null;
}

/** A rule as `rules()` lists it. */
export interface RuleInfo {
  id: string;
  category: string;
  severity: Severity;
  summary: string;
  help: string;
  /** Examples it flags. */
  flag: string[];
  /** Examples it passes. */
  pass: string[];
  /** Whether it has an automatic fix: `safe`, `unsafe` or `none`. */
  fix: "safe" | "unsafe" | "none";
}

/** Structure thresholds (defaults in brackets). */
export interface Thresholds {
  summary_min?: number; summary_max?: number;   // 2, 4
  factors_min?: number; factors_max?: number;   // 3, 7
  actions_min?: number; actions_max?: number;   // 1, 10
  late_days?: number;                            // 7
}

/** The same keys as `unblame.toml`. An unknown key throws an Error that names it. */
export interface Config {
  /** Rule ids or categories to run (all when empty). */
  select?: string[];
  /** Rule ids or categories never to run. */
  ignore?: string[];
  /** Severity overrides by rule id or category. */
  severity?: Record<string, Severity>;
  /** Not supported in the browser build (there are no files to read); must be empty. */
  extra_lexicons?: string[];
  /** Words and phrases never flagged (case-insensitive). */
  allow?: string[];
  /** Extra names of people. */
  names?: string[];
  /** Judge text inside quotation marks and block quotes too. */
  check_quotes?: boolean;
  /** When the structure checks run (default `auto`). */
  structure?: "auto" | "on" | "off";
  thresholds?: Thresholds;
}
"#;

/// The linter for calls without a config, built on first use.
fn default_linter() -> &'static unblame::Linter {
    static DEFAULT: OnceLock<unblame::Linter> = OnceLock::new();
    DEFAULT.get_or_init(|| {
        unblame::Linter::new(Config::default()).expect("the built-in lexicon compiles")
    })
}

/// A JS `Error` with `message`; `name` and `key` are set when given.
fn js_error(message: &str, name: Option<&str>, key: Option<&str>) -> JsValue {
    let err = js_sys::Error::new(message);
    if let Some(name) = name {
        err.set_name(name);
    }
    if let Some(key) = key {
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str("key"), &JsValue::from_str(key));
    }
    err.into()
}

/// Describes a JS value's type for error messages.
fn type_name(v: &JsValue) -> String {
    if v.is_null() {
        "null".into()
    } else if v.is_undefined() {
        "undefined".into()
    } else if js_sys::Array::is_array(v) {
        "an array".into()
    } else {
        v.js_typeof()
            .as_string()
            .unwrap_or_else(|| "unknown".into())
    }
}

/// The document argument: a string, nothing else.
fn text_arg(func: &str, text: &JsValue) -> Result<String, JsValue> {
    text.as_string().ok_or_else(|| {
        js_error(
            &format!("{func}: `text` must be a string, got {}", type_name(text)),
            Some("TypeError"),
            None,
        )
    })
}

/// The config argument: `undefined`, `null` or a plain object with the keys of `unblame.toml`.
fn config_arg(func: &str, config: Option<JsValue>) -> Result<Option<Config>, JsValue> {
    let Some(value) = config.filter(|v| !v.is_null() && !v.is_undefined()) else {
        return Ok(None);
    };
    if !value.is_object() || js_sys::Array::is_array(&value) || value.is_function() {
        return Err(js_error(
            &format!(
                "{func}: `config` must be an object with the keys of unblame.toml, got {}",
                type_name(&value)
            ),
            Some("TypeError"),
            None,
        ));
    }
    let json: serde_json::Value = serde_wasm_bindgen::from_value(value).map_err(|e| {
        js_error(
            &format!("{func}: invalid config: {e}"),
            Some("ConfigError"),
            None,
        )
    })?;
    let config = Config::from_json(&json).map_err(|e| {
        js_error(
            &format!("{func}: {e}"),
            Some("ConfigError"),
            e.key.as_deref(),
        )
    })?;
    if !config.extra_lexicons.is_empty() {
        return Err(js_error(
            &format!(
                "{func}: invalid config key `extra_lexicons`: the WebAssembly build cannot read lexicon files; leave it empty"
            ),
            Some("ConfigError"),
            Some("extra_lexicons"),
        ));
    }
    Ok(Some(config))
}

/// Lints through the core's size check: a document over [`unblame::MAX_DOCUMENT_BYTES`]
/// of UTF-8 throws a `RangeError` with the core's message instead of being linted.
fn lint_checked(func: &str, linter: &unblame::Linter, text: &str) -> Result<JsValue, JsValue> {
    let report = linter.try_lint(text).map_err(|e| too_large(func, &e))?;
    report_to_js(text, &report)
}

fn too_large(func: &str, e: &unblame::LintError) -> JsValue {
    js_sys::RangeError::new(&format!("{func}: {e}")).into()
}

fn build_linter(func: &str, config: Config) -> Result<unblame::Linter, JsValue> {
    unblame::Linter::new(config).map_err(|e| {
        let key = match &e {
            unblame::Error::Config(c) => c.key.clone(),
            unblame::Error::Lexicon(_) => None,
        };
        js_error(&format!("{func}: {e}"), Some("ConfigError"), key.as_deref())
    })
}

#[derive(Serialize)]
struct JsSuggestion<'a> {
    replacement: &'a str,
    start: usize,
    end: usize,
    safe: bool,
    description: &'a str,
}

#[derive(Serialize)]
struct JsFinding<'a> {
    rule: &'a str,
    category: &'a str,
    severity: Severity,
    message: &'a str,
    /// Index into [`JsHelped::helps`]: each help text crosses once per report, and the JS
    /// side ([`report_from_json`]) sets it on every finding of its rule.
    help: u32,
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    text: &'a str,
    suggestions: Vec<JsSuggestion<'a>>,
    data: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct JsReport<'a> {
    findings: Vec<JsFinding<'a>>,
    structure: &'a Option<unblame::Structure>,
    metrics: &'a Option<unblame::Metrics>,
}

/// A report with the help texts apart: `[helps, report]`, each finding's `help` an index
/// into `helps`.
#[derive(Serialize)]
struct JsHelped<'a>(Vec<&'a str>, JsReport<'a>);

#[wasm_bindgen(inline_js = "export function report_from_json(json) {
  const [helps, report] = JSON.parse(json);
  for (const f of report.findings) f.help = helps[f.help];
  return report;
}")]
extern "C" {
    /// Parses the JSON of a [`JsHelped`] and sets each finding's help text from its index:
    /// a loop in JS, with no call across the WASM boundary per finding.
    fn report_from_json(json: &str) -> JsValue;
}

/// Plain JS objects (`Map`s become objects, `None` becomes `null`).
///
/// Serialised to JSON in Rust and parsed by the engine's `JSON.parse`: one crossing of the
/// WASM boundary, where building the objects property by property from Rust took a call
/// per value and dominated the lint of a document with a hundred findings.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&to_json(value)?).map_err(|_| conversion_error(&"JSON.parse failed"))
}

/// `value` as JSON, for [`to_js`] and [`report_from_json`].
fn to_json<T: Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| conversion_error(&e))
}

fn conversion_error(e: &dyn std::fmt::Display) -> JsValue {
    js_error(
        &format!("unblame: could not convert the result: {e}"),
        None,
        None,
    )
}

/// The index of `f`'s help text in `helps` (`(rule, help)` pairs), added when new.
fn help_index<'r>(helps: &mut Vec<(&'r str, &'r str)>, f: &'r unblame::Finding) -> u32 {
    // By rule first (cheap), then the text: a rule could word its help per finding.
    let i = match helps
        .iter()
        .position(|(rule, help)| *rule == f.rule.as_str() && *help == &*f.help)
    {
        Some(i) => i,
        None => {
            helps.push((f.rule.as_str(), &f.help));
            helps.len() - 1
        }
    };
    i as u32
}

/// Converts a report to JS with every offset in UTF-16 code units.
fn report_to_js(text: &str, report: &Report) -> Result<JsValue, JsValue> {
    let map = OffsetMap::new(text);
    let u16 = |byte: usize| map.convert(byte, Unit::Utf16);
    // The distinct help texts, by rule (a report has a few dozen rules at most).
    let mut helps: Vec<(&str, &str)> = Vec::new();
    let findings = report
        .findings
        .iter()
        .map(|f| JsFinding {
            rule: &f.rule,
            category: &f.category,
            severity: f.severity,
            message: &f.message,
            help: help_index(&mut helps, f),
            start: u16(f.start),
            end: u16(f.end),
            line: f.line,
            column: f.column,
            text: &f.text,
            suggestions: f
                .suggestions
                .iter()
                .map(|s| JsSuggestion {
                    replacement: &s.replacement,
                    start: u16(s.start),
                    end: u16(s.end),
                    safe: s.safe,
                    description: &s.description,
                })
                .collect(),
            data: &f.data,
        })
        .collect();
    let helped = JsHelped(
        helps.iter().map(|h| h.1).collect(),
        JsReport {
            findings,
            structure: &report.structure,
            metrics: &report.metrics,
        },
    );
    Ok(report_from_json(&to_json(&helped)?))
}

/// Lints one document. Offsets in the result are UTF-16 code units. Throws a `TypeError`
/// when `text` is not a string and a `RangeError` above 64 MiB of UTF-8.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let text = text_arg("check", &text)?;
    match config_arg("check", config)? {
        None => lint_checked("check", default_linter(), &text),
        Some(config) => {
            let linter = build_linter("check", config)?;
            lint_checked("check", &linter, &text)
        }
    }
}

/// Every rule with the default config: id, category, severity, summary, help, examples.
#[wasm_bindgen(unchecked_return_type = "RuleInfo[]")]
pub fn rules() -> Result<JsValue, JsValue> {
    to_js(&default_linter().rules())
}

/// A compiled lexicon and config: build once, then `lint(text)` on every keystroke.
#[wasm_bindgen]
pub struct Linter {
    inner: Option<unblame::Linter>,
}

impl Linter {
    fn get(&self) -> &unblame::Linter {
        self.inner.as_ref().unwrap_or_else(|| default_linter())
    }
}

#[wasm_bindgen]
impl Linter {
    /// Compiles the lexicon with `config` (the keys of `unblame.toml`); throws on an invalid config.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Config | null")] config: Option<JsValue>,
    ) -> Result<Linter, JsValue> {
        let inner = match config_arg("new Linter", config)? {
            None => {
                default_linter(); // compile the lexicon now, not on the first keystroke
                None
            }
            Some(config) => Some(build_linter("new Linter", config)?),
        };
        Ok(Linter { inner })
    }

    /// Lints one document. Offsets in the result are UTF-16 code units.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn lint(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = text_arg("Linter.lint", &text)?;
        lint_checked("Linter.lint", self.get(), &text)
    }

    /// The text with its safe suggestions applied (all first suggestions when `unsafe` is true).
    pub fn fix(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(js_name = "unsafe", unchecked_param_type = "boolean | null")]
        unsafe_fixes: Option<JsValue>,
    ) -> Result<String, JsValue> {
        let text = text_arg("Linter.fix", &text)?;
        let unsafe_fixes = match unsafe_fixes {
            None => false,
            Some(v) if v.is_undefined() || v.is_null() => false,
            Some(v) => v.as_bool().ok_or_else(|| {
                js_error(
                    &format!(
                        "Linter.fix: `unsafe` must be a boolean, got {}",
                        type_name(&v)
                    ),
                    Some("TypeError"),
                    None,
                )
            })?,
        };
        if text.len() > unblame::MAX_DOCUMENT_BYTES {
            let e = unblame::LintError::TooLarge {
                bytes: text.len(),
                limit: unblame::MAX_DOCUMENT_BYTES,
            };
            return Err(too_large("Linter.fix", &e));
        }
        Ok(self.get().fix(&text, unsafe_fixes))
    }

    /// Every rule, with this linter's severity overrides.
    #[wasm_bindgen(unchecked_return_type = "RuleInfo[]")]
    pub fn rules(&self) -> Result<JsValue, JsValue> {
        to_js(&self.get().rules())
    }
}
