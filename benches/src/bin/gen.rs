//! Writes generated postmortem Markdown.
//!
//! ```text
//! gen BYTES [SEED]                 one document of about BYTES bytes to stdout
//! gen --plain BYTES [SEED]         the same without any trigger word
//! gen --one BYTES [SEED]           a single postmortem of about BYTES bytes
//! gen --dir DIR COUNT BYTES        COUNT documents of about BYTES bytes, seeds 0..COUNT
//! ```

use std::io::Write;
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: gen [--plain | --one] BYTES [SEED] | gen --dir DIR COUNT BYTES");
    ExitCode::from(2)
}

fn num(s: Option<&String>) -> Option<usize> {
    s.and_then(|s| s.replace('_', "").parse().ok())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--dir") {
        let (Some(dir), Some(count), Some(bytes)) =
            (args.get(1), num(args.get(2)), num(args.get(3)))
        else {
            return usage();
        };
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("gen: {dir}: {e}");
            return ExitCode::FAILURE;
        }
        for i in 0..count {
            let path = std::path::Path::new(dir).join(format!("postmortem-{i:04}.md"));
            if let Err(e) = std::fs::write(&path, unblame_benches::generate(i as u64, bytes)) {
                eprintln!("gen: {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
    }
    let flag = args.first().map(String::as_str);
    let (plain, one) = (flag == Some("--plain"), flag == Some("--one"));
    let rest = &args[usize::from(plain || one)..];
    let Some(bytes) = num(rest.first()) else {
        return usage();
    };
    let seed = num(rest.get(1)).unwrap_or(1) as u64;
    let text = if plain {
        unblame_benches::generate_plain(seed, bytes)
    } else if one {
        unblame_benches::generate_one(seed, bytes)
    } else {
        unblame_benches::generate(seed, bytes)
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
