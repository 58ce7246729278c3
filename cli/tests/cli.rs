//! Integration tests: run the built `unblame` binary on files in a temp dir.

use serde_json::Value;
use std::fs;

mod support;
use support::*;

fn rules_in(v: &Value) -> Vec<String> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["rule"].as_str().unwrap().to_string())
        })
        .collect()
}

// ---------------------------------------------------------------- exit codes, human

#[test]
fn no_paths_is_a_usage_error() {
    let d = tmp();
    let r = run(unblame(d.path()).arg("check"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no paths given"), "{}", r.stderr);
    assert!(r.stderr.contains("Usage: unblame check"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn unknown_flag_is_exit_2() {
    let d = tmp();
    let r = run(unblame(d.path()).args(["check", "--frobnicate", "x.md"]));
    assert_eq!(r.code, 2);
    let r = run(unblame(d.path()).args(["check", "--format", "xml", "x.md"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("xml"), "{}", r.stderr);
}

#[test]
fn clean_file_exits_0() {
    let d = tmp();
    write(d.path(), "ok.md", CLEAN);
    let r = run(unblame(d.path()).args(["check", "ok.md"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("0 findings in 1 file"), "{}", r.stdout);
}

#[test]
fn human_output_has_location_snippet_help_and_suggestion() {
    let d = tmp();
    write(d.path(), "pm.md", format!("# Notes\n\n{BLAME}"));
    let r = run(unblame(d.path()).args(["check", "pm.md"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("pm.md:3:6: warning[counterfactual/should-have] "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("3 | Dana should have checked the replica lag"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("  |      ^^^^^^^^^^^"), "{}", r.stdout);
    assert!(r.stdout.contains("= help: "), "{}", r.stdout);
    assert!(
        r.stdout.contains(
            r#"= suggestion: replace "should have checked" with "did not check" (unsafe)"#
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("1 finding in 1 file (1 more with --unsafe-fixes)"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains('\x1b'), "no colour when piped");
}

#[test]
fn safe_fix_counts_in_summary() {
    let d = tmp();
    write(d.path(), "a.md", CARELESS);
    write(d.path(), "b.md", CLEAN);
    let r = run(unblame(d.path()).args(["check", "a.md", "b.md"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains(r#"= suggestion: remove "carelessly " (safe)"#),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("1 finding in 2 files (1 fixable with --fix)"),
        "{}",
        r.stdout
    );
}

#[test]
fn colour_is_forced_with_color_always_and_off_with_no_color() {
    let d = tmp();
    write(d.path(), "a.md", CARELESS);
    let r = run(unblame(d.path()).args(["check", "--color", "always", "a.md"]));
    assert!(r.stdout.contains('\x1b'), "{}", r.stdout);
    let r = run(unblame(d.path()).args(["check", "a.md"]));
    assert!(!r.stdout.contains('\x1b'));
}

#[test]
fn quiet_and_statistics() {
    let d = tmp();
    write(
        d.path(),
        "a.md",
        format!("{CARELESS}{BLAME}Bob carelessly restarted it.\n"),
    );
    let r = run(unblame(d.path()).args(["check", "-q", "a.md"]));
    assert_eq!(r.code, 1);
    assert!(!r.stdout.contains("findings in"), "{}", r.stdout);
    assert!(r.stdout.contains("judgment/careless"));
    let r = run(unblame(d.path()).args(["check", "--statistics", "a.md"]));
    assert_eq!(r.code, 1);
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("judgment/careless"))
        .expect("a row for careless");
    assert!(line.trim_start().starts_with('2'), "{line}");
    assert!(line.ends_with("[*]"), "{line}");
    assert!(
        !r.stdout.contains("= help"),
        "statistics replace the findings"
    );
    assert!(r.stdout.contains("3 findings in 1 file"), "{}", r.stdout);
}

// ---------------------------------------------------------------- input errors

#[test]
fn missing_file_is_named_and_others_still_checked() {
    let d = tmp();
    write(d.path(), "a.md", BLAME);
    let r = run(unblame(d.path()).args(["check", "nope.md", "a.md"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("nope.md: no such file or directory"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout
            .contains("a.md:1:6: warning[counterfactual/should-have]"),
        "{}",
        r.stdout
    );
}

#[test]
fn non_utf8_file_is_reported_and_skipped() {
    let d = tmp();
    write(d.path(), "bad.md", b"caf\xe9 should have\n");
    write(d.path(), "a.md", BLAME);
    let r = run(unblame(d.path()).args(["check", "--format", "json", "bad.md", "a.md"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.md: not valid UTF-8 at byte 3"),
        "{}",
        r.stderr
    );
    let v = json_of(&r);
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a.md"]);
}

#[test]
fn directory_without_markdown_says_so() {
    let d = tmp();
    write(d.path(), "empty/notes.rs", "fn main() {}");
    let r = run(unblame(d.path()).args(["check", "empty"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("empty: directory contains no Markdown"),
        "{}",
        r.stderr
    );
}

#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let d = tmp();
    let p = write(d.path(), "secret.md", BLAME);
    write(d.path(), "a.md", CARELESS);
    fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&p).is_ok() {
        eprintln!("running as root: permissions are not enforced, skipping");
        return;
    }
    let r = run(unblame(d.path()).args(["check", "secret.md", "a.md"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("secret.md: permission denied"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("judgment/careless"));
}

#[test]
fn directory_with_only_a_directory_as_file_input() {
    // Reading a directory path given as a "file" through a symlink-free path must not panic.
    let d = tmp();
    fs::create_dir_all(d.path().join("dir.md")).unwrap();
    write(d.path(), "dir.md/inner.md", CARELESS);
    let r = run(unblame(d.path()).args(["check", "dir.md"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("dir.md/inner.md:1:5"), "{}", r.stdout);
}

// ---------------------------------------------------------------- directory walking

#[test]
fn directories_are_walked_sorted_skipping_hidden_and_build_dirs() {
    let d = tmp();
    write(d.path(), "docs/b.md", CARELESS);
    write(d.path(), "docs/a/z.markdown", CARELESS);
    write(d.path(), "docs/c.txt", CARELESS);
    write(d.path(), "docs/d.rst", CARELESS);
    write(d.path(), "docs/.hidden/x.md", CARELESS);
    write(d.path(), "docs/.git/y.md", CARELESS);
    write(d.path(), "docs/node_modules/pkg/readme.md", CARELESS);
    write(d.path(), "docs/target/doc.md", CARELESS);
    let r = run(unblame(d.path()).args(["check", "--format", "json", "docs"]));
    assert_eq!(r.code, 1);
    let v = json_of(&r);
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["docs/a/z.markdown", "docs/b.md", "docs/c.txt"]);
    // A file given explicitly is linted whatever its extension, and duplicates collapse.
    let r = run(unblame(d.path()).args([
        "check",
        "--format",
        "json",
        "docs/d.rst",
        "docs/b.md",
        "docs/b.md",
    ]));
    let v = json_of(&r);
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["docs/b.md", "docs/d.rst"]);
}

// ---------------------------------------------------------------- config

#[test]
fn config_is_found_upward_and_cached_per_directory() {
    let d = tmp();
    write(
        d.path(),
        "team/unblame.toml",
        "ignore = [\"counterfactual\"]\n",
    );
    write(d.path(), "team/2026/q1/pm.md", BLAME);
    write(d.path(), "team/2026/q1/pm2.md", BLAME);
    write(d.path(), "other/pm.md", BLAME);
    let r = run(unblame(d.path()).args(["check", "--format", "json", "team", "other"]));
    assert_eq!(r.code, 1);
    let v = json_of(&r);
    for f in v["files"].as_array().unwrap() {
        let n = f["findings"].as_array().unwrap().len();
        if f["path"].as_str().unwrap().starts_with("team/") {
            assert_eq!(n, 0, "ignored by team/unblame.toml: {f}");
        } else {
            assert_eq!(n, 1, "{f}");
        }
    }
    // From inside the tree too.
    let r = run(unblame(&d.path().join("team/2026")).args(["check", "q1/pm.md"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn explicit_config_wins() {
    let d = tmp();
    write(d.path(), "unblame.toml", "ignore = [\"counterfactual\"]\n");
    write(
        d.path(),
        "strict.toml",
        "[severity]\ncounterfactual = \"error\"\n",
    );
    write(d.path(), "pm.md", BLAME);
    let r = run(unblame(d.path()).args(["check", "pm.md"]));
    assert_eq!(r.code, 0);
    let r = run(unblame(d.path()).args(["check", "--config", "strict.toml", "pm.md"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("error[counterfactual/should-have]"),
        "{}",
        r.stdout
    );
    let r = run(unblame(d.path()).args(["check", "--config", "missing.toml", "pm.md"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.toml"), "{}", r.stderr);
}

#[test]
fn invalid_config_key_names_file_and_key() {
    let d = tmp();
    write(d.path(), "sub/unblame.toml", "colour = 1\n");
    write(d.path(), "sub/pm.md", BLAME);
    write(d.path(), "pm.md", BLAME);
    let r = run(unblame(d.path()).args(["check", "sub/pm.md", "pm.md"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("sub/unblame.toml"), "{}", r.stderr);
    assert!(r.stderr.contains("colour"), "{}", r.stderr);
    // The file outside that config is still checked.
    assert!(r.stdout.contains("pm.md:1:6"), "{}", r.stdout);
    assert!(!r.stdout.contains("sub/pm.md"), "{}", r.stdout);

    write(
        d.path(),
        "sub/unblame.toml",
        "[thresholds]\nlate_days = \"soon\"\n",
    );
    let r = run(unblame(d.path()).args(["check", "sub/pm.md"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("thresholds.late_days"), "{}", r.stderr);
}

const LEXICON: &str = r#"category = "house"
description = "House style."

[[rule]]
name = "ninja"
severity = "error"
message = "\"{text}\" is not how we describe colleagues"
help = "Say what the person did."
triggers = ["ninja"]
fix = { action = "replace", with = "engineer", safe = true }
flag = ["The ninja fixed it."]
pass = ["The engineer fixed it."]
"#;

#[test]
fn extra_lexicons_are_read_relative_to_the_config() {
    let d = tmp();
    write(
        d.path(),
        "cfg/unblame.toml",
        "extra_lexicons = [\"lex/house.toml\"]\n",
    );
    write(d.path(), "cfg/lex/house.toml", LEXICON);
    write(d.path(), "cfg/docs/pm.md", "The ninja fixed it.\n");
    let r = run(unblame(d.path()).args(["check", "cfg/docs/pm.md"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("error[house/ninja]"), "{}", r.stdout);
    // --select accepts ids from the extra lexicon.
    let r = run(unblame(d.path()).args(["check", "--select", "house/ninja", "cfg/docs/pm.md"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    // rules and explain see it through --config.
    let r = run(unblame(d.path()).args(["explain", "house/ninja", "--config", "cfg/unblame.toml"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("The ninja fixed it."));
}

#[test]
fn invalid_extra_lexicon_names_file_and_entry() {
    let d = tmp();
    write(
        d.path(),
        "unblame.toml",
        "extra_lexicons = [\"house.toml\"]\n",
    );
    write(
        d.path(),
        "house.toml",
        LEXICON.replace("triggers = [\"ninja\"]", "triggers = []"),
    );
    write(d.path(), "pm.md", "The ninja fixed it.\n");
    let r = run(unblame(d.path()).args(["check", "pm.md"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("house.toml"), "{}", r.stderr);
    assert!(r.stderr.contains("ninja"), "{}", r.stderr);

    write(
        d.path(),
        "unblame.toml",
        "extra_lexicons = [\"gone.toml\"]\n",
    );
    let r = run(unblame(d.path()).args(["check", "pm.md"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("gone.toml: no such file or directory"),
        "{}",
        r.stderr
    );
}

// ---------------------------------------------------------------- select / ignore / structure

#[test]
fn select_and_ignore() {
    let d = tmp();
    write(d.path(), "pm.md", format!("{BLAME}{CARELESS}"));
    let all = rules_in(&json_of(&run(
        unblame(d.path()).args(["check", "--format", "json", "pm.md"])
    )));
    assert!(
        all.contains(&"counterfactual/should-have".to_string())
            && all.contains(&"judgment/careless".to_string())
    );

    let only =
        rules_in(&json_of(&run(unblame(d.path()).args([
            "check", "--format", "json", "--select", "judgment", "pm.md",
        ]))));
    assert_eq!(only, ["judgment/careless"]);

    let r = run(unblame(d.path()).args([
        "check",
        "--format",
        "json",
        "--select",
        "judgment/careless,counterfactual",
        "pm.md",
    ]));
    assert_eq!(rules_in(&json_of(&r)).len(), 2);

    let r = run(unblame(d.path()).args([
        "check",
        "--format",
        "json",
        "--ignore",
        "counterfactual/should-have,judgment",
        "pm.md",
    ]));
    assert_eq!(r.code, 0);
    assert!(rules_in(&json_of(&r)).is_empty());
}

#[test]
fn unknown_rule_in_select_is_exit_2_with_a_suggestion() {
    let d = tmp();
    write(d.path(), "pm.md", BLAME);
    let r = run(unblame(d.path()).args(["check", "--select", "judgement", "pm.md"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown rule or category `judgement`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("`judgment`"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "nothing is linted: {}", r.stdout);
    let r = run(unblame(d.path()).args(["check", "--ignore", "blame/nobody", "pm.md"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--ignore"), "{}", r.stderr);
    // Even when no file could be read.
    let r = run(unblame(d.path()).args(["check", "--select", "zzz", "missing.md"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`zzz`"), "{}", r.stderr);
}

#[test]
fn structure_off_gives_null_structure() {
    let d = tmp();
    let text =
        fs::read_to_string(repo_root().join("tests/fixtures/docs/blameless-complete.md")).unwrap();
    write(d.path(), "pm.md", text);
    let r =
        run(unblame(d.path()).args(["check", "--format", "json", "--structure", "off", "pm.md"]));
    let v = json_of(&r);
    assert!(v["files"][0]["structure"].is_null());
    assert!(v["files"][0]["metrics"].is_null());
    assert!(!rules_in(&v).iter().any(|r| r.starts_with("structure/")));
    let r =
        run(unblame(d.path()).args(["check", "--format", "json", "--structure", "on", "pm.md"]));
    let v = json_of(&r);
    let s = &v["files"][0]["structure"];
    assert!(s.is_null() || s.is_object(), "{s}");
    let r = run(unblame(d.path()).args(["check", "--structure", "sometimes", "pm.md"]));
    assert_eq!(r.code, 2);
}

// ---------------------------------------------------------------- formats

#[test]
fn json_has_every_field_and_span() {
    let d = tmp();
    let text = format!("# Review\n\n🔥 {BLAME}{CARELESS}");
    write(d.path(), "pm.md", &text);
    let r = run(unblame(d.path()).args(["check", "--format", "json", "pm.md"]));
    assert_eq!(r.code, 1);
    let v = json_of(&r);
    assert_eq!(v["version"], 1);
    let file = &v["files"][0];
    assert_eq!(file["path"], "pm.md");
    assert!(file.get("structure").is_some() && file.get("metrics").is_some());
    let findings = file["findings"].as_array().unwrap();
    assert!(findings.len() >= 2);
    for f in findings {
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
            "span",
        ] {
            assert!(f.get(key).is_some(), "missing {key} in {f}");
        }
        let (s, e) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(f["span"]["start"].as_u64().unwrap() as usize, s);
        assert_eq!(f["span"]["end"].as_u64().unwrap() as usize, e);
        assert_eq!(
            &text.as_bytes()[s..e],
            f["text"].as_str().unwrap().as_bytes(),
            "byte offsets"
        );
        assert!(["error", "warning", "info"].contains(&f["severity"].as_str().unwrap()));
        assert!(f["rule"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/", f["category"].as_str().unwrap())));
        assert!(f["data"].is_object());
    }
    let should = findings
        .iter()
        .find(|f| f["rule"] == "counterfactual/should-have")
        .unwrap();
    assert_eq!(should["line"], 3);
    assert_eq!(should["column"], 8, "columns count characters, not bytes");
    assert_eq!(should["suggestions"][0]["replacement"], "did not check");
    assert_eq!(should["suggestions"][0]["safe"], false);
}

#[test]
fn json_offsets_hold_on_every_fixture() {
    let dir = repo_root().join("tests/fixtures/docs");
    let r = run(unblame(&repo_root())
        .args(["check", "--format", "json"])
        .arg(&dir));
    assert_ne!(r.code, 2, "{}", r.stderr);
    let v = json_of(&r);
    let files = v["files"].as_array().unwrap();
    assert!(files.len() >= 10);
    for file in files {
        let text = fs::read_to_string(file["path"].as_str().unwrap()).unwrap();
        for f in file["findings"].as_array().unwrap() {
            let (s, e) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(text.get(s..e), f["text"].as_str(), "{}", file["path"]);
            let line = text[..s].matches('\n').count() + 1;
            let col = text[..s].rsplit('\n').next().unwrap().chars().count() + 1;
            assert_eq!(
                (
                    f["line"].as_u64().unwrap() as usize,
                    f["column"].as_u64().unwrap() as usize
                ),
                (line, col)
            );
        }
    }
}

#[test]
fn sarif_shape() {
    let d = tmp();
    write(d.path(), "my docs/pm.md", format!("{BLAME}{CARELESS}"));
    let r = run(unblame(d.path()).args(["check", "--format", "sarif", "my docs/pm.md"]));
    assert_eq!(r.code, 1);
    let v = json_of(&r);
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif"));
    let run0 = &v["runs"][0];
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "unblame");
    let rules = driver["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "judgment/careless"));
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "my%20docs/pm.md");
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(loc["region"][k].as_u64().unwrap() >= 1, "{k}");
        }
    }
    let careless = results
        .iter()
        .find(|r| r["ruleId"] == "judgment/careless")
        .unwrap();
    let region = &careless["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(2), Some(5))
    );
    assert_eq!(
        (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        (Some(2), Some(15))
    );
    let fix = &careless["fixes"][0];
    assert_eq!(
        fix["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        ""
    );
}

#[test]
fn github_annotations_are_escaped() {
    let d = tmp();
    write(d.path(), "a,b:c.md", format!("{CLEAN}{CARELESS}"));
    let r = run(unblame(d.path()).args(["check", "--format", "github", "a,b:c.md"]));
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    assert_eq!(
        lines[0],
        "::warning file=a%2Cb%3Ac.md,line=2,col=5,endLine=2,endColumn=15,title=unblame judgment/careless::\"carelessly\" grades a person instead of describing what happened"
    );
}

// ---------------------------------------------------------------- fix and diff

#[test]
fn fix_rewrites_in_place_keeps_permissions_and_is_idempotent() {
    use std::os::unix::fs::PermissionsExt;
    let d = tmp();
    let p = write(d.path(), "pm.md", format!("{CARELESS}{BLAME}"));
    fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
    let r = run(unblame(d.path()).args(["check", "--fix", "pm.md"]));
    assert_eq!(r.code, 1, "the unsafe finding remains: {}", r.stdout);
    let text = fs::read_to_string(&p).unwrap();
    assert!(
        text.starts_with("Ana ran the migration on Friday.\n"),
        "{text}"
    );
    assert!(
        text.contains("should have checked"),
        "unsafe fixes are not applied"
    );
    assert_eq!(
        fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(
        fs::read_dir(d.path()).unwrap().count(),
        1,
        "no temp file left behind"
    );
    // A second run finds nothing safe to fix.
    let v = json_of(&run(
        unblame(d.path()).args(["check", "--format", "json", "pm.md"])
    ));
    for f in v["files"][0]["findings"].as_array().unwrap() {
        assert!(
            f["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["safe"] == false),
            "{f}"
        );
    }
    let r = run(unblame(d.path()).args(["check", "--diff", "pm.md"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    // --unsafe-fixes applies the rest.
    run(unblame(d.path()).args(["check", "--fix", "--unsafe-fixes", "pm.md"]));
    let text = fs::read_to_string(&p).unwrap();
    assert!(
        text.contains("Dana did not check the replica lag"),
        "{text}"
    );
}

#[test]
fn diff_shows_the_fix_and_changes_nothing() {
    let d = tmp();
    let original = format!("# Notes\n\n{CARELESS}");
    let p = write(d.path(), "pm.md", &original);
    let r = run(unblame(d.path()).args(["check", "--diff", "pm.md"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("--- a/pm.md\n+++ b/pm.md\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("\n-Ana carelessly ran the migration on Friday.\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("\n+Ana ran the migration on Friday.\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("Would fix 1 finding in 1 file"),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read_to_string(&p).unwrap(), original);

    write(d.path(), "ok.md", CLEAN);
    let r = run(unblame(d.path()).args(["check", "--diff", "ok.md"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.is_empty());

    write(d.path(), "cf.md", BLAME);
    let r = run(unblame(d.path()).args(["check", "--diff", "cf.md"]));
    assert_eq!(r.code, 0, "only unsafe fixes: no diff");
    let r = run(unblame(d.path()).args(["check", "--diff", "--unsafe-fixes", "cf.md"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("+Dana did not check the replica lag"),
        "{}",
        r.stdout
    );
}

#[test]
fn fix_through_a_symlink_edits_the_target() {
    let d = tmp();
    let target = write(d.path(), "real/pm.md", CARELESS);
    std::os::unix::fs::symlink("real/pm.md", d.path().join("link.md")).unwrap();
    let r = run(unblame(d.path()).args(["check", "--fix", "link.md"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(fs::symlink_metadata(d.path().join("link.md"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_to_string(target).unwrap(),
        "Ana ran the migration on Friday.\n"
    );
}

#[test]
fn fix_and_diff_conflict() {
    let d = tmp();
    write(d.path(), "pm.md", CARELESS);
    let r = run(unblame(d.path()).args(["check", "--fix", "--diff", "pm.md"]));
    assert_eq!(r.code, 2);
}

// ---------------------------------------------------------------- stdin

#[test]
fn stdin_is_linted() {
    let d = tmp();
    let r = run(unblame(d.path()).args(["check", "-"]).write_stdin(CARELESS));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("-:1:5: warning[judgment/careless]"),
        "{}",
        r.stdout
    );

    let r = run(unblame(d.path())
        .args([
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "notes/pm.md",
            "-",
        ])
        .write_stdin(CARELESS));
    assert_eq!(json_of(&r)["files"][0]["path"], "notes/pm.md");

    let r = run(unblame(d.path()).args(["check", "-"]).write_stdin(CLEAN));
    assert_eq!(r.code, 0);

    let r = run(unblame(d.path())
        .args(["check", "-"])
        .write_stdin(&b"\xff\xfe"[..]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("-: not valid UTF-8 at byte 0"),
        "{}",
        r.stderr
    );
}

#[test]
fn stdin_uses_config_from_stdin_filename() {
    let d = tmp();
    write(d.path(), "team/unblame.toml", "ignore = [\"judgment\"]\n");
    let r = run(unblame(d.path())
        .args(["check", "--stdin-filename", "team/pm.md", "-"])
        .write_stdin(CARELESS));
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn stdin_fix_prints_the_fixed_text() {
    let d = tmp();
    let r = run(unblame(d.path())
        .args(["check", "--fix", "-"])
        .write_stdin(CARELESS));
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "Ana ran the migration on Friday.\n");
}

// ---------------------------------------------------------------- broken pipe

#[test]
fn broken_pipe_exits_quietly() {
    let d = tmp();
    let example = fs::read_to_string(repo_root().join("examples/search-outage-flawed.md")).unwrap();
    for i in 0..80 {
        write(d.path(), &format!("docs/pm{i:03}.md"), &example);
    }
    for format in ["human", "json", "github"] {
        let mut cmd = std::process::Command::new(bin());
        cmd.current_dir(d.path())
            .args(["check", "--format", format, "docs"]);
        assert_quiet_when_the_reader_leaves(cmd, 16, None, format);
    }
}

// ---------------------------------------------------------------- rules and explain

#[test]
fn rules_table_and_json_agree() {
    let d = tmp();
    let r = run(unblame(d.path()).arg("rules"));
    assert_eq!(r.code, 0);
    let header = r.stdout.lines().next().unwrap();
    for col in ["id", "category", "severity", "fix", "summary"] {
        assert!(header.contains(col), "{header}");
    }
    let r2 = run(unblame(d.path()).args(["rules", "--format", "json"]));
    assert_eq!(r2.code, 0);
    let v: Value = serde_json::from_str(&r2.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), r.stdout.lines().count() - 1);
    for rule in arr {
        for k in [
            "id", "category", "severity", "summary", "help", "flag", "pass", "fix",
        ] {
            assert!(rule.get(k).is_some(), "{k} in {rule}");
        }
        let id = rule["id"].as_str().unwrap();
        assert!(
            r.stdout.lines().any(|l| l.starts_with(&format!("{id} "))),
            "{id} in the table"
        );
    }
    for id in [
        "judgment/careless",
        "counterfactual/should-have",
        "structure/missing-section",
        "suppression/unused",
    ] {
        assert!(arr.iter().any(|r| r["id"] == id), "{id}");
    }
}

#[test]
fn explain_a_rule() {
    let d = tmp();
    let r = run(unblame(d.path()).args(["explain", "judgment/careless"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("judgment/careless\n"), "{}", r.stdout);
    assert!(r.stdout.contains("category: judgment"));
    assert!(r.stdout.contains("severity: warning"));
    assert!(r.stdout.contains("Flags:\n  - "), "{}", r.stdout);
    assert!(r.stdout.contains("Passes:\n  - "), "{}", r.stdout);
    // Every flagged example really is flagged by that rule, and no pass example is.
    let v: Value =
        serde_json::from_str(&run(unblame(d.path()).args(["rules", "--format", "json"])).stdout)
            .unwrap();
    let rule = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "judgment/careless")
        .unwrap();
    for ex in rule["flag"].as_array().unwrap() {
        assert!(r.stdout.contains(ex.as_str().unwrap()));
    }
}

#[test]
fn explain_a_category_lists_its_rules() {
    let d = tmp();
    let r = run(unblame(d.path()).args(["explain", "judgment"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("judgment/careless"));
}

#[test]
fn explain_unknown_rule_suggests_close_ids() {
    let d = tmp();
    let r = run(unblame(d.path()).args(["explain", "counterfactual/shuld-have"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("unknown rule `counterfactual/shuld-have`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("`counterfactual/should-have`"),
        "{}",
        r.stderr
    );
    let r = run(unblame(d.path()).args(["explain", "careles"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`judgment/careless`"), "{}", r.stderr);
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_are_flagged_and_never_crash() {
    let root = repo_root();
    let r = run(unblame(&root).args(["check", "--format", "json", "examples"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json_of(&r);
    for f in v["files"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        let n = f["findings"].as_array().unwrap().len();
        if path.contains("flawed") {
            assert!(n >= 3, "{path} has {n} findings");
        }
    }
    // Every format runs on every example and fixture.
    for format in ["human", "sarif", "github"] {
        let r = run(unblame(&root).args([
            "check",
            "--format",
            format,
            "examples",
            "tests/fixtures/docs",
        ]));
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
    }
}
