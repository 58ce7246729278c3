//! Helpers shared by the CLI integration tests (`cli.rs`, `robustness.rs`,
//! `integrations.rs`): run the built `unblame` binary in a temp dir and read its output.
#![allow(dead_code)] // each test crate uses a subset

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub const BLAME: &str = "Dana should have checked the replica lag before the failover.\n";
pub const CARELESS: &str = "Ana carelessly ran the migration on Friday.\n";
pub const CLEAN: &str = "The deploy finished at 10:02 and the error rate recovered.\n";

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_unblame"))
}

/// A command running in `dir`, with colour off and no inherited config surprises.
pub fn unblame(dir: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

pub fn tmp() -> TempDir {
    tempfile::tempdir().expect("temp dir")
}

pub fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A finished run: exit code (not a signal), stdout and stderr as UTF-8.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("runs");
    Run {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

pub fn json_of(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", r.stdout))
}

/// The `path` of every file in a JSON report, in order.
pub fn paths_in(v: &Value) -> Vec<String> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

/// Runs `cmd` with its stdout read by a reader that leaves early, as `| head -c 16`
/// does (after `read` bytes; 0: before the first write), feeding it `stdin` when given,
/// and asserts the binary then exits quietly: no panic, nothing on stderr, an exit code
/// of 0, 1 or 2.
pub fn assert_quiet_when_the_reader_leaves(
    mut cmd: std::process::Command,
    read: usize,
    stdin: Option<String>,
    what: &str,
) {
    use std::io::{Read, Write};
    use std::process::Stdio;
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A thread feeds stdin, so a binary that stops reading cannot block the test.
    let feeder = stdin.map(|text| {
        let mut pipe = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = pipe.write_all(text.as_bytes());
        })
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut first = vec![0u8; read];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    if let Some(f) = feeder {
        f.join().unwrap();
    }
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert!(stderr.is_empty(), "{what}: quiet, got {stderr}");
    assert!(matches!(status.code(), Some(0..=2)), "{what}: {status:?}");
}
