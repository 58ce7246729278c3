//! Robustness of the `unblame` binary against hostile or unlucky inputs and environments:
//! unreadable files, broken symlinks, directory loops, files that change while they are
//! read, odd stdin, closed pipes, `--fix` on read-only files, interrupted and concurrent
//! `--fix` runs. The contract (SPEC.md): exit 0, 1 or 2, a message naming the file on 2,
//! never a panic, never a hang, and `--fix` never leaves a half-written file.
//!
//! Some cases need permissions to be enforced. Tests run as root in CI containers, where
//! they are not; there the test runs the binary as `nobody` through `setpriv` when it can,
//! and otherwise asserts what root gets (the file is readable, so it is linted).

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod support;
use support::*;

fn example() -> String {
    fs::read_to_string(repo_root().join("examples/search-outage-flawed.md")).unwrap()
}

/// Asserts the run ended the way the contract allows: an exit code (not a signal) of
/// 0, 1 or 2 and no panic message.
fn assert_no_crash(r: &Run, what: &str) {
    assert!(
        (0..=2).contains(&r.code),
        "{what}: exit {}\n{}",
        r.code,
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{what}: {}", r.stderr);
    assert!(!r.stderr.contains("RUST_BACKTRACE"), "{what}: {}", r.stderr);
}

/// Runs `cmd` and fails the test if it is still running after `limit` (a loop or a hang),
/// killing it first.
fn run_within(mut cmd: std::process::Command, limit: Duration) -> Run {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}: a loop or a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(t_out.join().unwrap()).expect("utf-8 stdout"),
        stderr: String::from_utf8(t_err.join().unwrap()).expect("utf-8 stderr"),
    }
}

/// A plain `std::process::Command` for the binary in `dir`, colour off.
fn std_cmd(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(bin());
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|e| e == "0"))
        })
        .unwrap_or(false)
}

const NOBODY: u32 = 65534;

/// How to run the binary so that file permissions are enforced: as this user when it is
/// not root, as `nobody` through `setpriv` when it is root, or `None` when root cannot
/// drop privileges here.
fn enforced(dir: &Path) -> Option<std::process::Command> {
    if !is_root() {
        return Some(std_cmd(dir));
    }
    let probe = std::process::Command::new("setpriv")
        .args([
            &format!("--reuid={NOBODY}"),
            &format!("--regid={NOBODY}"),
            "--clear-groups",
        ])
        .arg(bin())
        .arg("--version")
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        return None;
    }
    // `nobody` must reach the files: the temp dir is 0700 by default.
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = std::process::Command::new("setpriv");
    cmd.args([
        &format!("--reuid={NOBODY}"),
        &format!("--regid={NOBODY}"),
        "--clear-groups",
    ])
    .arg(bin())
    .current_dir(dir)
    .env("NO_COLOR", "1")
    .env_remove("CLICOLOR_FORCE");
    Some(cmd)
}

/// Every path under `dir` (relative), files and directories, hidden ones included.
fn tree(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            out.insert(p.strip_prefix(dir).unwrap().display().to_string());
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            }
        }
    }
    out
}

// ---------------------------------------------------------------- unreadable files

#[test]
fn unreadable_file_and_directory_inside_a_walked_directory() {
    // cli.rs covers an unreadable file named on the command line (as a non-root user);
    // this covers both kinds met while walking a directory, and root.
    let d = tmp();
    write(d.path(), "docs/a.md", CARELESS);
    let secret = write(d.path(), "docs/secret.md", BLAME);
    write(d.path(), "docs/locked/inner.md", BLAME);
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(
        d.path().join("docs/locked"),
        fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let Some(mut cmd) = enforced(d.path()) else {
        // Root without setpriv: permissions are not enforced, so the documented behaviour
        // is that every file is readable and linted.
        let r = run(unblame(d.path()).args(["check", "--format", "json", "docs"]));
        assert_no_crash(&r, "as root");
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert_eq!(
            paths_in(&json_of(&r)),
            ["docs/a.md", "docs/locked/inner.md", "docs/secret.md"]
        );
        eprintln!("running as root without setpriv: asserted that root lints every file");
        return;
    };
    cmd.args(["check", "--format", "json", "docs"]);
    let r = run_within(cmd, Duration::from_secs(60));
    assert_no_crash(&r, "unreadable");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("docs/secret.md: permission denied"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("docs/locked: permission denied"),
        "{}",
        r.stderr
    );
    // The readable file is still checked and reported.
    let v = json_of(&r);
    assert_eq!(paths_in(&v), ["docs/a.md"]);
    assert_eq!(v["files"][0]["findings"][0]["rule"], "judgment/careless");
}

#[test]
fn unreadable_file_named_on_the_command_line_even_as_root() {
    // cli.rs `unreadable_file_is_reported` skips as root; this one drops to `nobody`.
    let d = tmp();
    let p = write(d.path(), "secret.md", BLAME);
    write(d.path(), "a.md", CARELESS);
    fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
    match enforced(d.path()) {
        Some(mut cmd) => {
            cmd.args(["check", "secret.md", "a.md"]);
            let r = run_within(cmd, Duration::from_secs(60));
            assert_no_crash(&r, "unprivileged");
            assert_eq!(r.code, 2);
            assert!(
                r.stderr.contains("secret.md: permission denied"),
                "{}",
                r.stderr
            );
            assert!(r.stdout.contains("judgment/careless"), "{}", r.stdout);
        }
        None => {
            // Root without setpriv: the documented behaviour for a readable file.
            let r = run(unblame(d.path()).args(["check", "secret.md", "a.md"]));
            assert_eq!(r.code, 1, "root reads a 000 file: {}", r.stderr);
            assert!(r.stdout.contains("counterfactual/should-have"));
            eprintln!("running as root without setpriv: asserted that root lints the file");
        }
    }
}

// ---------------------------------------------------------------- symlinks

#[test]
fn broken_and_looping_symlinks() {
    let d = tmp();
    write(d.path(), "docs/a.md", CARELESS);
    std::os::unix::fs::symlink("gone.md", d.path().join("docs/dangling.md")).unwrap();
    std::os::unix::fs::symlink("loop2.md", d.path().join("docs/loop1.md")).unwrap();
    std::os::unix::fs::symlink("loop1.md", d.path().join("docs/loop2.md")).unwrap();

    // Inside a directory: skipped, the real file is linted.
    let r = run(unblame(d.path()).args(["check", "--format", "json", "docs"]));
    assert_no_crash(&r, "dir");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(paths_in(&json_of(&r)), ["docs/a.md"]);

    // Named on the command line: an input error naming each, the others still checked.
    let r = run(unblame(d.path()).args([
        "check",
        "--format",
        "json",
        "docs/dangling.md",
        "docs/loop1.md",
        "docs/a.md",
    ]));
    assert_no_crash(&r, "named");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("docs/dangling.md: no such file or directory"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("docs/loop1.md: ") && r.stderr.contains("symbolic links"),
        "{}",
        r.stderr
    );
    assert_eq!(paths_in(&json_of(&r)), ["docs/a.md"]);

    // --fix over the directory leaves the links alone.
    let r = run(unblame(d.path()).args(["check", "--fix", "docs"]));
    assert_no_crash(&r, "fix");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for link in ["dangling.md", "loop1.md", "loop2.md"] {
        let m = fs::symlink_metadata(d.path().join("docs").join(link)).unwrap();
        assert!(m.file_type().is_symlink(), "{link}");
    }
}

#[test]
fn directory_loop_terminates_and_lints_each_file_once() {
    let d = tmp();
    write(d.path(), "docs/a.md", CARELESS);
    write(d.path(), "docs/sub/b.md", BLAME);
    // A link to an ancestor, a link to itself and a link to the root of the walk.
    std::os::unix::fs::symlink("../..", d.path().join("docs/sub/up")).unwrap();
    std::os::unix::fs::symlink(".", d.path().join("docs/sub/self")).unwrap();
    std::os::unix::fs::symlink(d.path().join("docs"), d.path().join("docs/sub/root")).unwrap();

    let mut cmd = std_cmd(d.path());
    cmd.args(["check", "--format", "json", "docs"]);
    let r = run_within(cmd, Duration::from_secs(60));
    assert_no_crash(&r, "loop");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(paths_in(&json_of(&r)), ["docs/a.md", "docs/sub/b.md"]);

    // Walking from inside the loop (the link is followed as the root only).
    let mut cmd = std_cmd(d.path());
    cmd.args(["check", "--format", "json", "docs/sub/up"]);
    let r = run_within(cmd, Duration::from_secs(60));
    assert_no_crash(&r, "from the link");
    assert_eq!(r.code, 1, "{}", r.stderr);
    let paths = paths_in(&json_of(&r));
    assert_eq!(
        paths,
        ["docs/sub/up/docs/a.md", "docs/sub/up/docs/sub/b.md"],
        "each real file once"
    );

    // --fix over the loop rewrites the real file once and keeps the links.
    let mut cmd = std_cmd(d.path());
    cmd.args(["check", "--fix", "docs"]);
    let r = run_within(cmd, Duration::from_secs(60));
    assert_no_crash(&r, "fix");
    assert_eq!(
        fs::read_to_string(d.path().join("docs/a.md")).unwrap(),
        "Ana ran the migration on Friday.\n"
    );
    assert!(fs::symlink_metadata(d.path().join("docs/sub/up"))
        .unwrap()
        .file_type()
        .is_symlink());
}

// ---------------------------------------------------------------- a file changing under us

#[test]
fn file_rewritten_while_being_linted() {
    let d = tmp();
    let base = example();
    let path = write(d.path(), "docs/pm.md", &base);
    write(d.path(), "docs/other.md", CARELESS);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let path = path.clone();
        let dir = d.path().join("docs");
        // Multi-byte characters so that a read in the middle of a write can end inside one.
        let noisy = format!("# Été 🔥\n\n{base}\nDana 😀 should have known. é\n");
        std::thread::spawn(move || {
            let mut round = 0usize;
            while !stop.load(Ordering::Relaxed) {
                round += 1;
                match round % 5 {
                    // Truncate, then write in small chunks: readers see every prefix.
                    0 | 1 => {
                        if let Ok(mut f) = fs::File::create(&path) {
                            for chunk in noisy.as_bytes().chunks(97) {
                                let _ = f.write_all(chunk);
                            }
                        }
                    }
                    // Append a line.
                    2 => {
                        if let Ok(mut f) = fs::OpenOptions::new().append(true).open(&path) {
                            let _ = f.write_all(BLAME.as_bytes());
                        }
                    }
                    // Empty it.
                    3 => {
                        let _ = fs::File::create(&path);
                    }
                    // Replace it atomically, as an editor saving does.
                    _ => {
                        let tmp = dir.join(format!(".pm.{round}.swp"));
                        if fs::write(&tmp, &base).is_ok() {
                            let _ = fs::rename(&tmp, &path);
                        }
                    }
                }
            }
        })
    };
    let mut codes = BTreeSet::new();
    for i in 0..40 {
        let mut cmd = unblame(d.path());
        cmd.args(["check", "--format", "json"]);
        if i % 4 == 3 {
            cmd.arg("--fix");
        }
        if i % 2 == 1 {
            cmd.arg("docs");
        } else {
            cmd.arg("docs/pm.md");
        }
        let r = run(&mut cmd);
        assert_no_crash(&r, &format!("run {i}"));
        codes.insert(r.code);
        match r.code {
            0 | 1 => {
                let v = json_of(&r);
                for file in v["files"].as_array().unwrap() {
                    for f in file["findings"].as_array().unwrap() {
                        let (s, e) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
                        assert!(s <= e, "run {i}: {f}");
                        assert_eq!(
                            f["text"].as_str().unwrap().len() as u64,
                            e - s,
                            "run {i}: {f}"
                        );
                    }
                }
            }
            _ => {
                // An input error, named: e.g. the read ended inside a UTF-8 sequence.
                assert!(r.stderr.contains("pm.md: "), "run {i}: {}", r.stderr);
                if !r.stdout.is_empty() {
                    json_of(&r);
                }
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    eprintln!("exit codes seen: {codes:?}");
}

// ---------------------------------------------------------------- stdin

#[test]
fn empty_and_closed_stdin() {
    let d = tmp();
    // Empty stdin: one document with nothing in it.
    let r = run(unblame(d.path())
        .args(["check", "--format", "json", "-"])
        .write_stdin(""));
    assert_no_crash(&r, "empty");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json_of(&r);
    assert_eq!(paths_in(&v), ["-"]);
    assert_eq!(v["files"][0]["findings"], serde_json::json!([]));

    // Stdin closed (no pipe at all): the same.
    let mut cmd = std_cmd(d.path());
    cmd.args(["check", "--format", "json", "-"]);
    let r = run_within(cmd, Duration::from_secs(30));
    assert_no_crash(&r, "closed");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(paths_in(&json_of(&r)), ["-"]);

    // --fix on empty stdin prints the empty text.
    let r = run(unblame(d.path())
        .args(["check", "--fix", "-"])
        .write_stdin(""));
    assert_no_crash(&r, "fix");
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "");

    // --stdin-paths with nothing on stdin: nothing to lint, not an error.
    let mut cmd = std_cmd(d.path());
    cmd.args(["check", "--stdin-paths"]);
    let r = run_within(cmd, Duration::from_secs(30));
    assert_no_crash(&r, "stdin-paths");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn stdin_closed_early_mid_character() {
    let d = tmp();
    // The writer goes away after the first byte of "é": a truncated document.
    let mut child = std_cmd(d.path())
        .args(["check", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(CARELESS.as_bytes()).unwrap();
        stdin.write_all(b"caf\xc3").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let r = Run {
        code: out.status.code().expect("not a signal"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    assert_no_crash(&r, "truncated");
    assert_eq!(r.code, 2);
    let at = CARELESS.len() + 3;
    assert!(
        r.stderr
            .contains(&format!("-: not valid UTF-8 at byte {at}")),
        "{}",
        r.stderr
    );
    assert_eq!(paths_in(&json_of(&r)), Vec::<String>::new());
}

#[test]
fn stdin_not_utf8_in_the_middle_and_as_utf16() {
    // cli.rs covers invalid bytes at byte 0; here: Latin-1 after valid text, UTF-16 with
    // a BOM (what some Windows editors save), and both together with a good file.
    let d = tmp();
    write(d.path(), "a.md", CARELESS);
    let latin1 = b"The deploy was careless. Caf\xe9 \xfcber alles.\n";
    let r = run(unblame(d.path())
        .args(["check", "--format", "json", "-", "a.md"])
        .write_stdin(&latin1[..]));
    assert_no_crash(&r, "latin-1");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("-: not valid UTF-8 at byte 28"),
        "{}",
        r.stderr
    );
    assert_eq!(
        paths_in(&json_of(&r)),
        ["a.md"],
        "the file is still checked"
    );

    let utf16: Vec<u8> = "\u{feff}Ana carelessly ran it.\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let r = run(unblame(d.path()).args(["check", "-"]).write_stdin(utf16));
    assert_no_crash(&r, "utf-16");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-: not valid UTF-8"), "{}", r.stderr);

    // `--fix -` is a filter (editors replace the buffer with stdout): input it cannot
    // lint comes back unchanged, byte for byte, and nothing else is printed there.
    let out = unblame(d.path())
        .args(["check", "--fix", "-"])
        .write_stdin(&latin1[..])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(out.stdout, latin1.to_vec());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("-: not valid UTF-8 at byte 28"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn stdin_that_cannot_be_read() {
    // Stdin redirected from a directory (`unblame check - < somedir`): read() fails.
    let d = tmp();
    fs::create_dir(d.path().join("somedir")).unwrap();
    let dir = fs::File::open(d.path().join("somedir")).unwrap();
    let mut cmd = std_cmd(d.path());
    cmd.args(["check", "-"]);
    cmd.stdin(Stdio::from(dir));
    let out = cmd.output().unwrap();
    let r = Run {
        code: out.status.code().expect("not a signal"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    assert_no_crash(&r, "dir as stdin");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-: "), "{}", r.stderr);
    assert!(
        r.stderr.to_lowercase().contains("directory"),
        "{}",
        r.stderr
    );
}

#[test]
fn stdin_larger_than_the_document_limit_is_refused() {
    // The core lints at most unblame::MAX_DOCUMENT_BYTES (64 MiB) through `try_lint`;
    // the CLI reports a larger document as an input error instead of linting for minutes.
    let d = tmp();
    let big = "a".repeat(64 * 1024 * 1024 + 1);
    let mut cmd = unblame(d.path());
    cmd.args(["check", "-"]).write_stdin(big);
    let start = Instant::now();
    let r = run(&mut cmd);
    assert_no_crash(&r, "huge");
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("-: document is too large to lint"),
        "{}",
        r.stderr
    );
    assert!(start.elapsed() < Duration::from_secs(60));
}

// ---------------------------------------------------------------- closed pipes

#[test]
fn closed_pipe_for_every_other_output() {
    // cli.rs covers human, json and github; these are the remaining writers.
    let d = tmp();
    let example = example();
    for i in 0..80 {
        write(d.path(), &format!("docs/pm{i:03}.md"), &example);
    }
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", "--format", "sarif", "docs"],
        vec!["check", "--format", "gitlab", "docs"],
        vec!["check", "--statistics", "docs"],
        vec!["check", "--quiet", "--diff", "--unsafe-fixes", "docs"],
        vec!["rules"],
        vec!["rules", "--format", "json"],
        vec!["explain", "counterfactual"],
    ];
    for args in cases {
        // `| head -c 16`, and a reader gone before the first write.
        for read in [16, 0] {
            let mut cmd = std_cmd(d.path());
            cmd.args(&args);
            assert_quiet_when_the_reader_leaves(cmd, read, None, &format!("{args:?} read={read}"));
        }
    }
}

#[test]
fn closed_pipe_while_printing_fixed_stdin() {
    let d = tmp();
    let text = format!("{CARELESS}{}", example()).repeat(200);
    let mut cmd = std_cmd(d.path());
    cmd.args(["check", "--fix", "--quiet", "-"]);
    assert_quiet_when_the_reader_leaves(cmd, 0, Some(text), "--fix -");
}

// ---------------------------------------------------------------- --fix and permissions

#[test]
fn fix_refuses_a_read_only_file() {
    let d = tmp();
    let original = format!("{CARELESS}{BLAME}");
    let ro = write(d.path(), "ro.md", &original);
    let ok = write(d.path(), "ok.md", CARELESS);
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o444)).unwrap();
    let before = tree(d.path());
    // Run as this user, even as root: a file without write permission is not replaced
    // (the rename through a temp file would otherwise get around the permission).
    let r = run(unblame(d.path()).args(["check", "--fix", "ro.md", "ok.md"]));
    assert_no_crash(&r, "read-only");
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("ro.md: could not write the fixes: "),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("read-only"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&ro).unwrap(), original, "unchanged");
    assert_eq!(
        fs::metadata(&ro).unwrap().permissions().mode() & 0o777,
        0o444
    );
    // The other file is still fixed; no temp file is left behind.
    assert_eq!(
        fs::read_to_string(&ok).unwrap(),
        "Ana ran the migration on Friday.\n"
    );
    assert_eq!(tree(d.path()), before, "no temp file left behind");

    // Through a symlink to the read-only file: the same, and the link stays a link.
    std::os::unix::fs::symlink("ro.md", d.path().join("link.md")).unwrap();
    let r = run(unblame(d.path()).args(["check", "--fix", "link.md"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("link.md: could not write the fixes"));
    assert_eq!(fs::read_to_string(&ro).unwrap(), original);

    // --diff only reads: a read-only file is fine.
    let r = run(unblame(d.path()).args(["check", "--diff", "ro.md"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn fix_in_a_read_only_directory_or_on_someone_elses_file() {
    let d = tmp();
    let original = format!("{CARELESS}{BLAME}");
    let in_ro = write(d.path(), "frozen/pm.md", &original);
    let theirs = write(d.path(), "open/theirs.md", &original);
    let Some(_) = enforced(d.path()) else {
        eprintln!(
            "skipping: running as root and cannot drop privileges (setpriv), so directory \
             and ownership permissions are not enforced"
        );
        return;
    };
    fs::set_permissions(d.path().join("frozen"), fs::Permissions::from_mode(0o555)).unwrap();
    if is_root() {
        // `nobody` may write the file itself but not the directory around it.
        std::os::unix::fs::chown(&in_ro, Some(NOBODY), Some(NOBODY)).unwrap();
        // A world-writable directory, a file owned by root that `nobody` may only read:
        // replacing it by a rename would get around its permissions.
        fs::set_permissions(d.path().join("open"), fs::Permissions::from_mode(0o777)).unwrap();
        fs::set_permissions(&theirs, fs::Permissions::from_mode(0o644)).unwrap();
    }
    let before = tree(d.path());

    // `--fix` as `nobody` on `rel`: refused with exit 2, the file unchanged.
    let refused = |rel: &str, path: &Path, what: &str| {
        let mut cmd = enforced(d.path()).unwrap();
        cmd.args(["check", "--fix", rel]);
        let r = run_within(cmd, Duration::from_secs(60));
        assert_no_crash(&r, what);
        assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
        let message = format!("{rel}: could not write the fixes: permission denied");
        assert!(r.stderr.contains(&message), "{}", r.stderr);
        assert_eq!(fs::read_to_string(path).unwrap(), original);
    };
    refused("frozen/pm.md", &in_ro, "read-only dir");

    if is_root() {
        refused("open/theirs.md", &theirs, "someone else's file");
        assert_eq!(fs::metadata(&theirs).unwrap().uid_of(), 0, "still root's");
    }
    assert_eq!(tree(d.path()), before, "no temp file left behind");
    fs::set_permissions(d.path().join("frozen"), fs::Permissions::from_mode(0o755)).unwrap();
}

trait UidOf {
    fn uid_of(&self) -> u32;
}
impl UidOf for fs::Metadata {
    fn uid_of(&self) -> u32 {
        std::os::unix::fs::MetadataExt::uid(self)
    }
}

// ---------------------------------------------------------------- --fix: temp files, interruption, concurrency

/// `n` blameful documents in `dir/docs`, some nested, and their expected fixed text (from a
/// single `--fix` run on a fresh copy).
fn blameful_folder(dir: &Path, n: usize) -> Vec<(String, String)> {
    let sources = [
        fs::read_to_string(repo_root().join("examples/search-outage-flawed.md")).unwrap(),
        fs::read_to_string(repo_root().join("examples/cert-expiry-flawed.md")).unwrap(),
        fs::read_to_string(repo_root().join("examples/queue-backlog-flawed.md")).unwrap(),
        format!("# Notes 😀\n\n{CARELESS}{BLAME}{CLEAN}"),
    ];
    let mut files = Vec::new();
    for i in 0..n {
        let rel = if i % 3 == 0 {
            format!("docs/team{}/pm{i:03}.md", i % 4)
        } else {
            format!("docs/pm{i:03}.md")
        };
        let text = sources[i % sources.len()].clone();
        write(dir, &rel, &text);
        files.push((rel, text));
    }
    // The expected result of each source, from one --fix run on a fresh copy.
    let fresh = tmp();
    let mut expected = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        write(fresh.path(), &format!("s{i}.md"), s);
    }
    let r = run(unblame(fresh.path()).args(["check", "--fix", "."]));
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    for i in 0..sources.len() {
        expected.push(fs::read_to_string(fresh.path().join(format!("s{i}.md"))).unwrap());
    }
    let changed = (0..sources.len())
        .filter(|&i| sources[i] != expected[i])
        .count();
    assert!(changed >= 2, "the fixtures have something to fix");
    for (i, (_, text)) in files.iter_mut().enumerate() {
        *text = expected[i % sources.len()].clone();
    }
    files
}

#[test]
fn fix_leaves_no_temp_files_after_success_or_error() {
    let d = tmp();
    let files = blameful_folder(d.path(), 30);
    // One file that cannot be read (not UTF-8) makes the run an error; the others are fixed.
    write(d.path(), "docs/bad.md", b"caf\xe9 was careless\n");
    let before = tree(d.path());
    let r = run(unblame(d.path()).args(["check", "--fix", "docs"]));
    assert_no_crash(&r, "fix");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("docs/bad.md: not valid UTF-8"));
    for (rel, want) in &files {
        assert_eq!(
            &fs::read_to_string(d.path().join(rel)).unwrap(),
            want,
            "{rel}"
        );
    }
    assert_eq!(
        tree(d.path()),
        before,
        "no temp file left behind after an error"
    );

    fs::remove_file(d.path().join("docs/bad.md")).unwrap();
    let before = tree(d.path());
    let r = run(unblame(d.path()).args(["check", "--fix", "--unsafe-fixes", "docs"]));
    assert_no_crash(&r, "fix again");
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert_eq!(
        tree(d.path()),
        before,
        "no temp file left behind after success"
    );
}

#[test]
fn fix_killed_midway_never_leaves_a_half_written_file() {
    let example = example();
    let big = format!("{CARELESS}{example}").repeat(10);
    let fresh = tmp();
    write(fresh.path(), "pm.md", &big);
    run(unblame(fresh.path()).args(["check", "--fix", "pm.md"]));
    let fixed = fs::read_to_string(fresh.path().join("pm.md")).unwrap();
    assert_ne!(fixed, big);

    // How long a whole run takes here, to kill the next runs part-way through.
    let full = {
        let d = tmp();
        for i in 0..40 {
            write(d.path(), &format!("docs/pm{i:02}.md"), &big);
        }
        let start = Instant::now();
        run(unblame(d.path()).args(["check", "--fix", "--quiet", "docs"]));
        start.elapsed()
    };
    let mut partly = 0;
    for percent in [20u32, 45, 70, 90] {
        let delay_ms = full.as_millis() as u64 * u64::from(percent) / 100;
        let d = tmp();
        for i in 0..40 {
            write(d.path(), &format!("docs/pm{i:02}.md"), &big);
        }
        let mut child = std_cmd(d.path())
            .args(["check", "--fix", "--quiet", "docs"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no destructor runs
        let _ = child.wait();
        let mut done = 0;
        for i in 0..40 {
            let text = fs::read_to_string(d.path().join(format!("docs/pm{i:02}.md"))).unwrap();
            assert!(
                text == big || text == fixed,
                "killed after {delay_ms} ms: docs/pm{i:02}.md is neither the original nor the fixed text ({} bytes)",
                text.len()
            );
            done += usize::from(text == fixed);
        }
        // A temp file may survive SIGKILL; it is hidden and never linted.
        for name in tree(&d.path().join("docs")) {
            assert!(
                name.starts_with("pm") || name.starts_with(".tmp"),
                "unexpected {name}"
            );
        }
        let r = run(unblame(d.path()).args(["check", "--format", "json", "docs"]));
        assert_eq!(paths_in(&json_of(&r)).len(), 40, "{}", r.stderr);
        eprintln!("killed after {delay_ms} ms of {full:?}: {done}/40 fixed");
        partly += usize::from(done > 0 && done < 40);
    }
    if partly == 0 {
        eprintln!("note: no kill landed while files were being written (timing)");
    }
}

#[test]
fn two_fix_runs_in_parallel_on_the_same_folder() {
    for round in 0..3 {
        let d = tmp();
        let files = blameful_folder(d.path(), 50);
        let spawn = || {
            std_cmd(d.path())
                .args(["check", "--fix", "--quiet", "docs"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        for (name, child) in [("first", a), ("second", b)] {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("panicked"), "{name}: {stderr}");
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "round {round}, {name}: {:?} {stderr}",
                out.status
            );
        }
        for (rel, want) in &files {
            let got = fs::read_to_string(d.path().join(rel)).unwrap();
            assert_eq!(&got, want, "round {round}: {rel}");
        }
        let names = tree(&d.path().join("docs"));
        assert!(
            names.iter().all(|n| !n.contains(".tmp")),
            "round {round}: temp files left: {names:?}"
        );
    }
}
