//! `unblame check`: collect documents, resolve configs, lint in parallel, print.

use crate::inputs::{self, describe_io, Input};
use crate::output::{self, FileResult, Linted, Summary};
use crate::settings::{Overrides, Resolver};
use crate::{
    is_broken_pipe, report_error, CheckArgs, ColorWhen, StructureArg, EXIT_CLEAN, EXIT_ERROR,
    EXIT_FINDINGS,
};
use rayon::prelude::*;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use unblame::{Linter, StructureMode};

/// One document with the linter that applies to it.
struct Job {
    input: Input,
    shown: String,
    linter: Option<Arc<Linter>>,
}

/// Decodes UTF-8, naming the first bad byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()))
}

/// Writes `text` to `path` through a temporary file in the same directory, keeping the
/// file's permissions.
fn write_in_place(path: &Path, text: &str) -> io::Result<()> {
    // Write through a symlink to its target rather than replacing the link.
    let resolved = std::fs::canonicalize(path)?;
    let path = resolved.as_path();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let perms = std::fs::metadata(path)?.permissions();
    // Replacing the file by a rename needs only the directory to be writable: check the
    // file itself, so that --fix never gets around a read-only file (not even as root).
    if perms.readonly() {
        return Err(io::Error::other(
            "permission denied (the file is read-only)",
        ));
    }
    std::fs::OpenOptions::new().write(true).open(path)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), perms)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn unified_diff(old: &str, new: &str, shown: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string()
}

fn process(job: &Job, stdin: Option<&Result<String, String>>, args: &CheckArgs) -> FileResult {
    let mut result = FileResult {
        shown: job.shown.clone(),
        outcome: Err(String::new()),
    };
    let Some(linter) = &job.linter else {
        result.outcome = Err("skipped: its config could not be used".into());
        return result;
    };
    let text = match &job.input {
        Input::Stdin => stdin
            .cloned()
            .unwrap_or_else(|| Err("stdin was not read".into())),
        Input::File(p) => std::fs::read(p)
            .map_err(|e| describe_io(&e))
            .and_then(decode),
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            result.outcome = Err(e);
            return result;
        }
    };
    let report = match linter.try_lint(&text) {
        Ok(r) => r,
        Err(e) => {
            result.outcome = Err(e.to_string());
            return result;
        }
    };
    let mut linted = Linted {
        report,
        fixed: 0,
        diff: None,
        fixed_text: None,
        text: String::new(),
    };
    if args.fix || args.diff {
        let fixed = linter.fix(&text, args.unsafe_fixes);
        if fixed != text {
            let after = linter.lint(&fixed);
            linted.fixed = linted
                .report
                .findings
                .len()
                .saturating_sub(after.findings.len())
                .max(1);
            if args.diff {
                linted.diff = Some(unified_diff(&text, &fixed, &job.shown));
            } else {
                match &job.input {
                    Input::Stdin => linted.fixed_text = Some(fixed.clone()),
                    Input::File(p) => {
                        if let Err(e) = write_in_place(p, &fixed) {
                            result.outcome =
                                Err(format!("could not write the fixes: {}", describe_io(&e)));
                            return result;
                        }
                    }
                }
                linted.report = after;
                linted.text = fixed;
                result.outcome = Ok(linted);
                return result;
            }
        } else if args.fix && matches!(job.input, Input::Stdin) {
            linted.fixed_text = Some(fixed);
        }
    }
    linted.text = text;
    result.outcome = Ok(linted);
    result
}

/// Runs `unblame check`; returns the exit code.
pub fn run(mut args: CheckArgs) -> u8 {
    let choice = match args.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();

    if args.stdin_paths {
        if args.paths.iter().any(|p| p == "-") {
            report_error(
                "--stdin-paths reads the list of paths from stdin, so `-` cannot be a document too",
            );
            return EXIT_ERROR;
        }
        let mut list = Vec::new();
        if let Err(e) = io::stdin().lock().read_to_end(&mut list) {
            report_error(&format!("--stdin-paths: {}", describe_io(&e)));
            return EXIT_ERROR;
        }
        let list = String::from_utf8_lossy(&list);
        let found = inputs::filter_path_list(&list);
        // Deleted files are normal in a diff; say so only when nothing was left to lint,
        // which usually means the paths are relative to another directory.
        if found.paths.is_empty() && !found.missing.is_empty() && !args.quiet {
            let shown: Vec<&str> = found.missing.iter().take(3).map(String::as_str).collect();
            let more = found.missing.len().saturating_sub(shown.len());
            crate::report_warning(&format!(
                "--stdin-paths: nothing to lint; {} missing (deleted, or relative to another directory?): {}{}",
                if found.missing.len() == 1 { "1 path is".to_string() } else { format!("{} paths are", found.missing.len()) },
                shown.join(", "),
                if more > 0 { format!(" and {more} more") } else { String::new() }
            ));
        }
        args.paths.extend(found.paths);
    }
    if args.paths.is_empty() && !args.stdin_paths {
        report_error(
            "no paths given\n\nUsage: unblame check [OPTIONS] [PATH ...]\n\nGive files, directories or `-` for stdin, e.g. `unblame check postmortems/`.\nFor more information, try '--help'.",
        );
        return EXIT_ERROR;
    }
    if args.unsafe_fixes && !(args.fix || args.diff) {
        crate::report_warning("--unsafe-fixes does nothing without --fix or --diff");
    }

    let overrides = Overrides {
        select: args
            .select
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        ignore: args
            .ignore
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        structure: args.structure.map(|s| match s {
            StructureArg::Auto => StructureMode::Auto,
            StructureArg::On => StructureMode::On,
            StructureArg::Off => StructureMode::Off,
        }),
    };
    let mut resolver = match Resolver::new(args.config.as_deref(), overrides) {
        Ok(r) => r,
        Err(e) => {
            report_error(&e);
            return EXIT_ERROR;
        }
    };

    let collected = inputs::collect(&args.paths);
    let mut had_error = !collected.errors.is_empty();

    let stdin_name = args.stdin_filename.clone();
    let mut jobs = Vec::with_capacity(collected.inputs.len());
    for input in collected.inputs {
        let (shown, anchor) = match &input {
            Input::Stdin => match &stdin_name {
                Some(n) => (n.clone(), Some(PathBuf::from(n))),
                None => ("-".to_string(), None),
            },
            Input::File(p) => (p.display().to_string(), Some(p.clone())),
        };
        let linter = resolver.linter_for(anchor.as_deref());
        jobs.push(Job {
            input,
            shown,
            linter,
        });
    }
    resolver.ensure_checked();
    if !resolver.usage_errors.is_empty() {
        for e in &resolver.usage_errors {
            report_error(e);
        }
        return EXIT_ERROR;
    }
    for (path, message) in &collected.errors {
        report_error(&format!("{path}: {message}"));
    }
    for e in &resolver.errors {
        report_error(e);
        had_error = true;
    }
    let jobs: Vec<Job> = jobs.into_iter().filter(|j| j.linter.is_some()).collect();

    // With `--fix -` stdout carries the document (editors pipe it back into the buffer):
    // keep the bytes read, to print them unchanged when they cannot be linted.
    let mut stdin_raw = Vec::new();
    let stdin_text = if jobs.iter().any(|j| j.input == Input::Stdin) {
        let mut buf = Vec::new();
        let read = io::stdin().lock().read_to_end(&mut buf);
        if args.fix {
            stdin_raw = buf.clone();
        }
        Some(read.map_err(|e| describe_io(&e)).and_then(|_| decode(buf)))
    } else {
        None
    };

    let results: Vec<FileResult> = jobs
        .par_iter()
        .map(|j| process(j, stdin_text.as_ref(), &args))
        .collect();

    let mut summary = Summary::default();
    for r in &results {
        match &r.outcome {
            Err(e) => {
                report_error(&format!("{}: {e}", r.shown));
                had_error = true;
            }
            Ok(l) => summary.add(l, args.unsafe_fixes),
        }
    }

    let linters = resolver.built();
    let stdin_failed = args.fix
        && jobs
            .iter()
            .zip(&results)
            .any(|(j, r)| j.input == Input::Stdin && r.outcome.is_err());
    let written = if stdin_failed {
        let mut out = io::stdout().lock();
        out.write_all(&stdin_raw).and_then(|_| out.flush())
    } else {
        output::write(&args, &results, &summary, &linters)
    };
    if let Err(e) = written {
        if !is_broken_pipe(&e) {
            report_error(&format!("could not write the output: {e}"));
            return EXIT_ERROR;
        }
    }

    if had_error {
        EXIT_ERROR
    } else if args.diff {
        if summary.files_changed > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }
    } else if summary.findings > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
