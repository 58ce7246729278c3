//! `unblame rules` and `unblame explain`.

use crate::settings::{did_you_mean, known_ids, linter_for_listing};
use crate::{is_broken_pipe, report_error, ListFormat, EXIT_CLEAN, EXIT_ERROR};
use anstyle::Style;
use std::io::{self, Write};
use unblame::RuleInfo;

fn finish(result: io::Result<()>) -> u8 {
    match result {
        Ok(()) => EXIT_CLEAN,
        Err(e) if is_broken_pipe(&e) => EXIT_CLEAN,
        Err(e) => {
            report_error(&format!("could not write the output: {e}"));
            EXIT_ERROR
        }
    }
}

/// Prints every rule as a table or a JSON array.
pub fn rules(format: ListFormat, config: Option<&str>) -> u8 {
    let linter = match linter_for_listing(config) {
        Ok(l) => l,
        Err(e) => {
            report_error(&e);
            return EXIT_ERROR;
        }
    };
    let rules = linter.rules();
    let mut out = anstream::stdout().lock();
    let result = (|| -> io::Result<()> {
        match format {
            ListFormat::Json => {
                serde_json::to_writer_pretty(&mut out, &rules)?;
                writeln!(out)?;
            }
            ListFormat::Human => {
                let bold = Style::new().bold();
                let w_id = rules.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
                let w_cat = rules
                    .iter()
                    .map(|r| r.category.len())
                    .max()
                    .unwrap_or(8)
                    .max(8);
                writeln!(
                    out,
                    "{bold}{:<w_id$}  {:<w_cat$}  {:<8}  {:<6}  summary{bold:#}",
                    "id", "category", "severity", "fix"
                )?;
                for r in &rules {
                    writeln!(
                        out,
                        "{:<w_id$}  {:<w_cat$}  {:<8}  {:<6}  {}",
                        r.id,
                        r.category,
                        r.severity.as_str(),
                        r.fix,
                        r.summary.replace('\n', " ")
                    )?;
                }
            }
        }
        out.flush()
    })();
    finish(result)
}

fn print_rule(out: &mut impl Write, r: &RuleInfo) -> io::Result<()> {
    let bold = Style::new().bold();
    writeln!(out, "{bold}{}{bold:#}", r.id)?;
    writeln!(
        out,
        "category: {}   severity: {}   fix: {}",
        r.category, r.severity, r.fix
    )?;
    writeln!(out)?;
    writeln!(out, "{}", r.summary)?;
    writeln!(out)?;
    writeln!(out, "{}", r.help.trim())?;
    if !r.flag.is_empty() {
        writeln!(out)?;
        writeln!(out, "{bold}Flags:{bold:#}")?;
        for ex in &r.flag {
            writeln!(out, "  - {}", ex.replace('\n', "\n    "))?;
        }
    }
    if !r.pass.is_empty() {
        writeln!(out)?;
        writeln!(out, "{bold}Passes:{bold:#}")?;
        for ex in &r.pass {
            writeln!(out, "  - {}", ex.replace('\n', "\n    "))?;
        }
    }
    Ok(())
}

/// Explains one rule; a category lists its rules; anything else is an error with the
/// closest ids.
pub fn explain(wanted: &str, config: Option<&str>) -> u8 {
    let linter = match linter_for_listing(config) {
        Ok(l) => l,
        Err(e) => {
            report_error(&e);
            return EXIT_ERROR;
        }
    };
    let rules = linter.rules();
    let wanted = wanted.trim();
    let mut out = anstream::stdout().lock();
    if let Some(r) = rules.iter().find(|r| r.id.eq_ignore_ascii_case(wanted)) {
        return finish(print_rule(&mut out, r).and_then(|_| out.flush()));
    }
    let in_category: Vec<&RuleInfo> = rules
        .iter()
        .filter(|r| r.category.eq_ignore_ascii_case(wanted))
        .collect();
    if !in_category.is_empty() {
        let result = (|| -> io::Result<()> {
            writeln!(
                out,
                "`{wanted}` is a category with {} rules:",
                in_category.len()
            )?;
            let w = in_category.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in &in_category {
                writeln!(out, "  {:<w$}  {}", r.id, r.summary)?;
            }
            writeln!(out, "\nRun `unblame explain RULE` for one of them.")?;
            out.flush()
        })();
        return finish(result);
    }
    let known = known_ids(&linter);
    let hint = did_you_mean(wanted, &known, "; `unblame rules` lists every rule");
    report_error(&format!("unknown rule `{wanted}`{hint}"));
    EXIT_ERROR
}
