//! The `unblame` command line: lint incident postmortems for blame language and missing
//! structure.
//!
//! ```text
//! unblame check [PATH ...]     lint files, directories or stdin (-)
//! git diff --name-only | unblame check --stdin-paths
//! unblame rules [--format json]
//! unblame explain RULE
//! unblame lsp                 a language server over stdio, for editors
//! ```
//!
//! Exit codes: 0 nothing found, 1 findings (or, with `--diff`, a diff), 2 a usage,
//! config or input error.

#![warn(missing_docs)]

mod check;
mod inputs;
mod lsp;
mod output;
mod rules_cmd;
mod settings;

/// The process allocator: mimalloc for the small blocks a lint makes by the thousand, the
/// system allocator for large ones (see the `unblame-alloc` crate).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: unblame_alloc::Hybrid = unblame_alloc::Hybrid;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{self, Write};
use std::process::ExitCode;

/// Exit code: nothing found.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings (or a diff).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: a usage, config or input error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "unblame",
    version,
    about = "Find blame language and missing structure in incident postmortems",
    after_help = "Exit codes: 0 nothing found, 1 findings, 2 usage, config or input error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Output formats of `unblame check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc/ruff-style diagnostics with the source line underlined.
    Human,
    /// One JSON object: `{"version": 1, "files": [...]}`.
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab code quality report (a CodeClimate JSON array).
    Gitlab,
}

/// Output formats of `unblame rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// An aligned table.
    Human,
    /// A JSON array of rule objects.
    Json,
}

/// When to colour the human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `--structure` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StructureArg {
    /// When the document looks like a postmortem.
    Auto,
    /// Always.
    On,
    /// Never.
    Off,
}

/// Options of `unblame check`.
#[derive(clap::Args, Debug, Clone)]
pub struct CheckArgs {
    /// Files, directories (searched for .md, .markdown, .txt) or `-` for stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Use this config file instead of the nearest unblame.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,
    /// Only these rule ids or categories (comma-separated); replaces the config's `select`.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Never these rule ids or categories (comma-separated); added to the config's `ignore`.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Apply safe suggestions in place.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// With --fix or --diff: apply unsafe suggestions too (review the result).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and change nothing; exit 1 if there is a diff.
    #[arg(long)]
    pub diff: bool,
    /// Run the structure checks: auto (when it looks like a postmortem), on or off.
    #[arg(long, value_enum)]
    pub structure: Option<StructureArg>,
    /// Print findings only: no per-document or final summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print a count per rule instead of each finding.
    #[arg(long)]
    pub statistics: bool,
    /// The file name to show (and to find unblame.toml from) when reading stdin.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    /// Read paths to lint from stdin, one a line (or NUL-separated), e.g.
    /// `git diff --name-only | unblame check --stdin-paths`. Paths that no longer exist
    /// and files that are not Markdown or text (.md, .markdown, .txt) are skipped.
    #[arg(long, conflicts_with = "stdin_filename")]
    pub stdin_paths: bool,
    /// When to colour the human output.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Lint files, directories or stdin (-).
    Check(CheckArgs),
    /// List every rule: id, category, severity, fix, summary.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        /// Use this config file (for severity overrides and extra lexicons).
        #[arg(long, value_name = "FILE")]
        config: Option<String>,
    },
    /// Explain a rule: why it matters, what it flags and what it passes.
    Explain {
        /// A rule id such as `counterfactual/should-have` (or a category).
        rule: String,
        /// Use this config file (for extra lexicons).
        #[arg(long, value_name = "FILE")]
        config: Option<String>,
    },
    /// Run a Language Server Protocol server over stdin/stdout (for editors).
    Lsp {
        /// Accepted and ignored: stdio is the only transport (some clients pass it).
        #[arg(long, hide = true)]
        stdio: bool,
    },
}

/// Writes an error line to stderr, ignoring failures (stderr may be closed too).
pub fn report_error(message: &str) {
    let mut err = anstream::stderr();
    let style = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Red.into()));
    let _ = writeln!(err, "{style}error{style:#}: {message}");
}

/// Writes a warning line to stderr, ignoring failures.
pub fn report_warning(message: &str) {
    let mut err = anstream::stderr();
    let style = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Yellow.into()));
    let _ = writeln!(err, "{style}warning{style:#}: {message}");
}

/// `true` for a write error that means the reader went away (`unblame check | head`).
pub fn is_broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules { format, config } => rules_cmd::rules(format, config.as_deref()),
        Command::Explain { rule, config } => rules_cmd::explain(&rule, config.as_deref()),
        Command::Lsp { stdio: _ } => lsp::run_stdio(),
    };
    ExitCode::from(code)
}
