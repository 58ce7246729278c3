//! The `unblame` command line.

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use unblame::{Config, Linter, StructureMode};

#[derive(Parser)]
#[command(name = "unblame", version, about = "Find blame language and missing structure in incident postmortems")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint files, directories or stdin (-).
    Check {
        paths: Vec<String>,
        #[arg(long, default_value = "human")]
        format: String,
        #[arg(long)]
        structure: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { paths, format, structure } => {
            let mut config = Config::default();
            if let Some(s) = structure {
                config.structure = StructureMode::parse(&s).unwrap_or_default();
            }
            let linter = Linter::new(config).expect("config");
            let mut files = Vec::new();
            let mut any = false;
            for p in paths {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                let report = linter.lint(&text);
                any |= !report.findings.is_empty();
                let findings: Vec<serde_json::Value> = report
                    .findings
                    .iter()
                    .map(|f| {
                        let mut v = serde_json::to_value(f).unwrap();
                        v["span"] = serde_json::json!({"start": f.start, "end": f.end});
                        v
                    })
                    .collect();
                files.push(serde_json::json!({"path": p, "findings": findings, "structure": report.structure, "metrics": report.metrics}));
            }
            if format == "json" {
                println!("{}", serde_json::json!({"version": 1, "files": files}));
            }
            if any { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
    }
}
