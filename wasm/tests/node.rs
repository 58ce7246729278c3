//! wasm-bindgen tests of the binding, run under Node:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p unblame-wasm --target wasm32-unknown-unknown`
#![cfg(target_arch = "wasm32")]

use js_sys::{JsString, Reflect};
use serde_json::{json, Value};
use unblame_wasm::{check, rules, Linter};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn to_json(v: &JsValue) -> Value {
    serde_wasm_bindgen::from_value(v.clone()).expect("plain JS object")
}

fn js(v: Value) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap()
}

use serde::Serialize;

/// Asserts `text.slice(start, end) === f.text` with JavaScript's own String.prototype.slice,
/// for every finding and that every suggestion range is inside the text.
fn assert_offsets(text: &str, report: &JsValue) -> Vec<Value> {
    let s = JsString::from(text);
    let len = s.length();
    let findings = Reflect::get(report, &"findings".into()).unwrap();
    let findings: js_sys::Array = findings.dyn_into().unwrap();
    let mut out = Vec::new();
    for f in findings.iter() {
        let start = Reflect::get(&f, &"start".into()).unwrap().as_f64().unwrap() as u32;
        let end = Reflect::get(&f, &"end".into()).unwrap().as_f64().unwrap() as u32;
        let ftext = Reflect::get(&f, &"text".into())
            .unwrap()
            .as_string()
            .unwrap();
        assert_eq!(
            String::from(s.slice(start, end)),
            ftext,
            "slice({start}, {end}) in {text:?}"
        );
        let fj = to_json(&f);
        for sug in fj["suggestions"].as_array().unwrap() {
            let (a, b) = (
                sug["start"].as_u64().unwrap() as u32,
                sug["end"].as_u64().unwrap() as u32,
            );
            assert!(a <= b && b <= len, "suggestion {a}..{b} outside 0..{len}");
        }
        out.push(fj);
    }
    out
}

fn find<'a>(findings: &'a [Value], rule_prefix: &str) -> &'a Value {
    findings
        .iter()
        .find(|f| f["rule"].as_str().unwrap().starts_with(rule_prefix))
        .unwrap_or_else(|| panic!("no {rule_prefix} finding in {findings:#?}"))
}

#[wasm_bindgen_test]
fn ascii_offsets_and_fields() {
    let text = "Dana should have checked the dashboard.";
    let report = check(text.into(), None).unwrap();
    let findings = assert_offsets(text, &report);
    let f = find(&findings, "counterfactual/");
    for key in [
        "rule",
        "category",
        "severity",
        "message",
        "help",
        "start",
        "end",
        "line",
        "column",
        "text",
        "suggestions",
        "data",
    ] {
        assert!(f.get(key).is_some(), "missing {key}");
    }
    assert_eq!(f["line"], 1);
    assert!(to_json(&report)["structure"].is_null());
}

#[wasm_bindgen_test]
fn utf16_offsets_after_emoji_cjk_combining_and_crlf() {
    let cases = [
        "🔥🔥 The on-call engineer should have rolled back sooner.",
        "事故の報告。The engineer should have checked. 日本語 clearly careless.",
        "Cafe\u{301} ☕ 😀 — the intern should have known; that was careless.",
        "Line one.\r\nThe engineer 👩\u{200d}💻 should have paged.\r\nIt was clearly human error.\r\n",
        "e\u{301}\u{301}\u{301} 🇺🇦 the engineer simply forgot to rotate the cert. A rookie mistake.",
    ];
    for text in cases {
        let report = check(text.into(), None).unwrap();
        let findings = assert_offsets(text, &report);
        assert!(!findings.is_empty(), "no findings in {text:?}");
        let utf16_len = text.encode_utf16().count() as u64;
        for f in &findings {
            assert!(f["end"].as_u64().unwrap() <= utf16_len);
        }
    }
    // An exact figure: "should have" after two emoji (2 UTF-16 units each, 4 bytes each).
    let text = "🔥🔥 The engineer should have rolled back.";
    let findings = assert_offsets(text, &check(text.into(), None).unwrap());
    let f = find(&findings, "counterfactual/");
    let expected =
        text.encode_utf16().count() - text[text.find("should").unwrap()..].encode_utf16().count();
    assert_eq!(f["start"].as_u64().unwrap() as usize, expected);
    assert_eq!(expected, 18);
}

#[wasm_bindgen_test]
fn linter_class_lint_fix_and_rules() {
    let linter = Linter::new(Some(js(json!({"select": ["judgment"]})))).unwrap();
    let text = "😀 The deploy was carelessly rushed and the engineer should have waited.";
    let report = linter.lint(text.into()).unwrap();
    let findings = assert_offsets(text, &report);
    assert!(
        findings.iter().all(|f| f["category"] == "judgment"),
        "{findings:#?}"
    );
    assert!(!findings.is_empty());
    let fixed = linter.fix(text.into(), None).unwrap();
    assert!(!fixed.contains("carelessly"), "{fixed}");
    assert!(fixed.starts_with("😀"));
    let all = to_json(&rules().unwrap());
    let ids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"structure/missing-section"));
    assert!(ids.iter().any(|i| i.starts_with("counterfactual/")));
    let sev = Linter::new(Some(js(json!({"severity": {"judgment": "error"}})))).unwrap();
    let r = to_json(&sev.rules().unwrap());
    assert!(r
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["category"] == "judgment")
        .all(|r| r["severity"] == "error"));
}

/// Each help text crosses into JS once per report and is set on every finding of its rule
/// there: every finding, of phrase, structure and suppression rules alike, several to a
/// rule, carries its own rule's help.
#[wasm_bindgen_test]
fn every_finding_carries_its_rules_help() {
    let text = "# Outage\n\nBob should have checked the config. Dave should have paged. \
                Alice should have known better.\n\
                The root cause was human error. Carol carelessly pushed the change.\n\n\
                <!-- unblame-disable-next-line judgment -->\nNothing here.\n";
    let linter = Linter::new(Some(js(json!({"structure": "on"})))).unwrap();
    let report = linter.lint(text.into()).unwrap();
    let findings = assert_offsets(text, &report);
    let all = to_json(&rules().unwrap());
    let help_of = |id: &str| {
        all.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["help"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no rule {id}"))
    };
    let mut rules_seen = std::collections::HashSet::new();
    for f in &findings {
        let rule = f["rule"].as_str().unwrap();
        rules_seen.insert(rule.to_string());
        let help = f["help"].as_str().expect("help is a string");
        assert!(!help.is_empty(), "{rule}");
        assert_eq!(help, help_of(rule), "{rule}");
    }
    assert!(rules_seen.len() >= 4, "{rules_seen:?}");
    assert!(
        findings.len() > rules_seen.len(),
        "some rule has two findings"
    );
    assert!(rules_seen.iter().any(|r| r.starts_with("structure/")));
    assert!(rules_seen.iter().any(|r| r.starts_with("suppression/")));
}

#[wasm_bindgen_test]
fn config_is_applied() {
    let text = "It was \"careless\" of Dana.";
    let off = to_json(&check(text.into(), None).unwrap());
    let on = to_json(&check(text.into(), Some(js(json!({"check_quotes": true})))).unwrap());
    assert!(on["findings"].as_array().unwrap().len() > off["findings"].as_array().unwrap().len());
    let structured = to_json(
        &check(
            "# Summary\n\nx\n".into(),
            Some(js(json!({"structure": "on"}))),
        )
        .unwrap(),
    );
    assert!(structured["structure"].is_object());
    assert!(structured["metrics"].is_object());
    let thr = check(
        "x".into(),
        Some(js(
            json!({"thresholds": {"late_days": 3, "factors_min": 2}}),
        )),
    );
    assert!(thr.is_ok(), "integer thresholds from JS numbers");
    // null and undefined mean "no config".
    assert!(check("x".into(), Some(JsValue::NULL)).is_ok());
    assert!(check("x".into(), Some(JsValue::UNDEFINED)).is_ok());
    assert!(Linter::new(None).is_ok());
}

fn error_message(e: JsValue) -> (String, String) {
    let err: js_sys::Error = e.dyn_into().expect("a JS Error instance");
    (String::from(err.name()), String::from(err.message()))
}

#[wasm_bindgen_test]
fn bad_arguments_throw_errors() {
    let (name, msg) = error_message(check(JsValue::from_f64(42.0), None).unwrap_err());
    assert_eq!(name, "TypeError");
    assert!(msg.contains("`text` must be a string, got number"), "{msg}");
    let (_, msg) = error_message(check(JsValue::NULL, None).unwrap_err());
    assert!(msg.contains("got null"), "{msg}");
    let (_, msg) = error_message(check(JsValue::UNDEFINED, None).unwrap_err());
    assert!(msg.contains("got undefined"), "{msg}");

    let e = check("x".into(), Some(js(json!({"colour": 1})))).unwrap_err();
    let key = Reflect::get(&e, &"key".into()).unwrap().as_string();
    let (name, msg) = error_message(e);
    assert_eq!(name, "ConfigError");
    assert!(msg.contains("colour"), "{msg}");
    // The key names the unknown field (core's from_json currently says `colour.colour`).
    assert!(
        key.as_deref().is_some_and(|k| k.starts_with("colour")),
        "{key:?}"
    );

    let (_, msg) = error_message(check("x".into(), Some(JsValue::from_f64(3.0))).unwrap_err());
    assert!(msg.contains("`config` must be an object"), "{msg}");
    let (_, msg) = error_message(check("x".into(), Some(js(json!(["blame"])))).unwrap_err());
    assert!(msg.contains("got an array"), "{msg}");
    let (_, msg) = error_message(
        check("x".into(), Some(js(json!({"select": ["no-such-rule"]})))).unwrap_err(),
    );
    assert!(
        msg.contains("select") && msg.contains("no-such-rule"),
        "{msg}"
    );
    let (_, msg) = error_message(
        check(
            "x".into(),
            Some(js(json!({"thresholds": {"late_days": "soon"}}))),
        )
        .unwrap_err(),
    );
    assert!(msg.contains("late_days"), "{msg}");
    let (_, msg) =
        error_message(check("x".into(), Some(js(json!({"structure": "sometimes"})))).unwrap_err());
    assert!(msg.contains("structure"), "{msg}");
    let (_, msg) = error_message(
        check("x".into(), Some(js(json!({"extra_lexicons": ["a.toml"]})))).unwrap_err(),
    );
    assert!(msg.contains("extra_lexicons"), "{msg}");

    let (_, msg) = error_message(
        Linter::new(Some(js(json!({"colour": 1}))))
            .err()
            .expect("an error"),
    );
    assert!(
        msg.starts_with("new Linter:") && msg.contains("colour"),
        "{msg}"
    );
    let linter = Linter::new(None).unwrap();
    let (_, msg) = error_message(linter.lint(JsValue::from_f64(1.0)).unwrap_err());
    assert!(msg.contains("Linter.lint"), "{msg}");
    let (_, msg) = error_message(
        linter
            .fix("x".into(), Some(JsValue::from_str("yes")))
            .unwrap_err(),
    );
    assert!(msg.contains("`unsafe` must be a boolean"), "{msg}");
}

#[wasm_bindgen_test]
fn empty_and_odd_inputs_never_panic() {
    for text in [
        "",
        "\r\n",
        "\u{feff}",
        "🔥",
        "\0",
        "#",
        "- [ ]",
        "|a|\n|-|",
        "```\nshould have\n",
    ] {
        let report = check(text.into(), None).unwrap();
        assert_offsets(text, &report);
        let _ = Linter::new(None)
            .unwrap()
            .fix(text.into(), Some(JsValue::TRUE))
            .unwrap();
    }
}
