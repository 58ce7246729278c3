//! Turning the command line's paths into a sorted list of documents to lint.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// Extensions searched for inside directories.
pub const EXTENSIONS: [&str; 3] = ["md", "markdown", "txt"];

/// Directory names never descended into (besides hidden ones).
const SKIP_DIRS: [&str; 2] = ["node_modules", "target"];

/// One document to lint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file, with the path as shown to the user.
    File(PathBuf),
}

/// The documents to lint and the problems found while collecting them.
#[derive(Debug, Default)]
pub struct Collected {
    /// Deduplicated, stdin first, then files in path order.
    pub inputs: Vec<Input>,
    /// `(path, message)` for paths that could not be used.
    pub errors: Vec<(String, String)>,
}

/// Describes an I/O error the way the rest of the messages read.
pub fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            // Drop the " (os error N)" tail.
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// `true` for a path with one of the [`EXTENSIONS`].
pub fn is_searched(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn is_skipped_dir(name: &str) -> bool {
    (name.starts_with('.') && name != "." && name != "..") || SKIP_DIRS.contains(&name)
}

/// Expands paths: files as given, directories walked (skipping hidden directories,
/// `node_modules` and `target`), `-` as stdin.
pub fn collect(paths: &[String]) -> Collected {
    let mut out = Collected::default();
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    let mut stdin = false;
    for p in paths {
        if p == "-" {
            stdin = true;
            continue;
        }
        let path = PathBuf::from(p);
        match std::fs::metadata(&path) {
            Err(e) => out.errors.push((p.clone(), describe_io(&e))),
            Ok(meta) if meta.is_dir() => {
                let mut found_any = false;
                let walker = walkdir::WalkDir::new(&path)
                    .follow_links(false)
                    .sort_by_file_name()
                    .into_iter();
                let walker = walker.filter_entry(|e| {
                    e.depth() == 0
                        || !e.file_type().is_dir()
                        || !e.file_name().to_str().is_some_and(is_skipped_dir)
                });
                for entry in walker {
                    match entry {
                        Ok(e) => {
                            let is_file = e.file_type().is_file()
                                || (e.file_type().is_symlink()
                                    && e.path().metadata().is_ok_and(|m| m.is_file()));
                            if is_file && is_searched(e.path()) {
                                found_any = true;
                                files.insert(e.into_path());
                            }
                        }
                        Err(e) => {
                            let where_ = e
                                .path()
                                .map(|p| p.display().to_string())
                                .unwrap_or_else(|| p.clone());
                            let msg = e
                                .io_error()
                                .map(describe_io)
                                .unwrap_or_else(|| e.to_string());
                            out.errors.push((where_, msg));
                        }
                    }
                }
                if !found_any {
                    out.errors.push((
                        p.clone(),
                        "directory contains no Markdown or text files (.md, .markdown, .txt)"
                            .into(),
                    ));
                }
            }
            Ok(_) => {
                files.insert(path);
            }
        }
    }
    if stdin {
        out.inputs.push(Input::Stdin);
    }
    out.inputs.extend(files.into_iter().map(Input::File));
    out
}

/// What `--stdin-paths` found in a list of paths.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PathList {
    /// Existing Markdown or text files, and directories, in the order given.
    pub paths: Vec<String>,
    /// Paths that do not exist (deleted in the diff, or relative to another directory).
    pub missing: Vec<String>,
    /// Existing files that are not Markdown or text.
    pub other: usize,
}

/// Splits a list of paths (NUL-separated when it has a NUL, else one a line) and keeps
/// the ones to lint.
pub fn filter_path_list(list: &str) -> PathList {
    let mut out = PathList::default();
    let items: Vec<&str> = if list.contains('\0') {
        list.split('\0').collect()
    } else {
        list.lines().map(|l| l.trim_end_matches('\r')).collect()
    };
    for item in items {
        if item.trim().is_empty() {
            continue;
        }
        let path = Path::new(item);
        match std::fs::metadata(path) {
            Err(_) => out.missing.push(item.to_string()),
            Ok(m) if m.is_dir() => out.paths.push(item.to_string()),
            Ok(_) if is_searched(path) => out.paths.push(item.to_string()),
            Ok(_) => out.other += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searched_extensions() {
        assert!(is_searched(Path::new("a/b.md")));
        assert!(is_searched(Path::new("a/b.MARKDOWN")));
        assert!(is_searched(Path::new("b.txt")));
        assert!(!is_searched(Path::new("b.rs")));
        assert!(!is_searched(Path::new("md")));
    }

    #[test]
    fn skipped_dirs() {
        assert!(is_skipped_dir(".git"));
        assert!(is_skipped_dir("node_modules"));
        assert!(is_skipped_dir("target"));
        assert!(!is_skipped_dir("docs"));
        assert!(!is_skipped_dir("."));
    }
}
