//! `--stdin-paths` (lint only the files a diff names) and `--format gitlab`.

use serde_json::Value;
use std::fs;
use std::path::Path;

mod support;
use support::*;

fn files(dir: &Path) {
    fs::create_dir_all(dir.join("docs")).unwrap();
    fs::write(dir.join("docs/blame.md"), BLAME).unwrap();
    fs::write(dir.join("docs/clean.md"), CLEAN).unwrap();
    fs::write(dir.join("notes.txt"), BLAME).unwrap();
    fs::write(dir.join("main.rs"), "// Dana should have checked.\n").unwrap();
}

fn json_paths(stdout: &[u8]) -> Vec<String> {
    paths_in(&serde_json::from_slice(stdout).unwrap())
}

#[test]
fn stdin_paths_lints_listed_markdown_and_text_only() {
    let dir = tempfile::tempdir().unwrap();
    files(dir.path());
    // As `git diff --name-only` prints them: a deleted file, a non-Markdown file,
    // a blank line and CRLF line ends included.
    let list = "docs/clean.md\r\nmain.rs\ndocs/deleted.md\n\nnotes.txt\n";
    let out = unblame(dir.path())
        .args(["check", "--stdin-paths", "--format", "json"])
        .write_stdin(list)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(json_paths(&out.stdout), ["docs/clean.md", "notes.txt"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Only clean files: exit 0.
    let out = unblame(dir.path())
        .args(["check", "--stdin-paths", "--format", "json"])
        .write_stdin("docs/clean.md\nmain.rs\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(json_paths(&out.stdout), ["docs/clean.md"]);

    // NUL-separated (`git diff -z --name-only`), together with a path argument.
    let out = unblame(dir.path())
        .args([
            "check",
            "--stdin-paths",
            "--format",
            "json",
            "docs/clean.md",
        ])
        .write_stdin("docs/blame.md\0main.rs\0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(json_paths(&out.stdout), ["docs/blame.md", "docs/clean.md"]);
}

#[test]
fn stdin_paths_with_nothing_to_lint_passes_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    files(dir.path());
    let out = unblame(dir.path())
        .args(["check", "--stdin-paths"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 findings in 0 files"));

    // Paths relative to another directory: a warning, still exit 0.
    let out = unblame(&dir.path().join("docs"))
        .args(["check", "--stdin-paths"])
        .write_stdin("docs/blame.md\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nothing to lint") && stderr.contains("docs/blame.md"),
        "{stderr}"
    );

    // `-` cannot be both the list and a document.
    let out = unblame(dir.path())
        .args(["check", "--stdin-paths", "-"])
        .write_stdin("docs/blame.md\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[test]
fn gitlab_format_is_a_code_quality_report() {
    let dir = tempfile::tempdir().unwrap();
    files(dir.path());
    fs::write(
        dir.path().join("docs/two.md"),
        format!("# T\n\n{BLAME}{BLAME}"),
    )
    .unwrap();
    let out = unblame(dir.path())
        .args(["check", "--format", "gitlab", "docs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let issues = v.as_array().expect("a JSON array");
    assert_eq!(issues.len(), 3, "{v:#}");
    for i in issues {
        assert!(i["description"].as_str().unwrap().contains("should have"));
        assert_eq!(i["check_name"], "counterfactual/should-have");
        assert_eq!(i["severity"], "minor");
        assert_eq!(i["fingerprint"].as_str().unwrap().len(), 32);
        assert!(i["location"]["path"].as_str().unwrap().starts_with("docs/"));
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let two: Vec<&Value> = issues
        .iter()
        .filter(|i| i["location"]["path"] == "docs/two.md")
        .collect();
    assert_eq!(two[0]["location"]["lines"]["begin"], 3);
    assert_eq!(two[1]["location"]["lines"]["begin"], 4);
    // The same text twice in one file: distinct fingerprints.
    assert_ne!(two[0]["fingerprint"], two[1]["fingerprint"]);

    // Stable when lines are inserted above.
    fs::write(
        dir.path().join("docs/two.md"),
        format!("# T\n\nIntro.\n\n{BLAME}{BLAME}"),
    )
    .unwrap();
    let out = unblame(dir.path())
        .args(["check", "--format", "gitlab", "docs/two.md"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["fingerprint"], two[0]["fingerprint"]);
    assert_eq!(v[0]["location"]["lines"]["begin"], 5);

    // Clean: an empty array, exit 0.
    let out = unblame(dir.path())
        .args(["check", "--format", "gitlab", "docs/clean.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, Value::Array(Vec::new()));
}
