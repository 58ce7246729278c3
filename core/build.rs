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
    for name in [
        "blame",
        "human-error",
        "counterfactual",
        "judgment",
        "root-cause",
        "punitive",
        "vague-action",
        "words",
        "names",
        "structure",
    ] {
        let path = dir.join(format!("{name}.toml"));
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let value: serde_json::Value = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", path.display()));
        let json = serde_json::to_string(&value).expect("a TOML value serialises to JSON");
        fs::write(out.join(format!("{name}.json")), json).expect("write to OUT_DIR");
    }
}
