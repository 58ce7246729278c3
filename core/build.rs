//! Converts the built-in lexicon (`lexicon/en/*.toml`) to JSON at build time.
//!
//! The TOML files stay the source of truth (and what users copy for their own
//! lexicons); `Linter::new` deserialises the same data from JSON, which parses several
//! times faster than TOML, to keep construction within a few milliseconds. A test checks
//! that the TOML and the JSON give the same lexicon.

use std::{env, fs, path::PathBuf};

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"))
        .join("..")
        .join("lexicon")
        .join("en");
    let out = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for path in files {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 file name")
            .to_string();
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let value: serde_json::Value = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", path.display()));
        let json = serde_json::to_string(&value).expect("a TOML value serialises to JSON");
        fs::write(out.join(format!("{name}.json")), json).expect("write to OUT_DIR");
    }
}
