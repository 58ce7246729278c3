//! Finding `unblame.toml`, reading it with its extra lexicons, and building linters.

use crate::inputs::describe_io;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use unblame::{Config, Linter, StructureMode};

/// The name of the config file looked for upward from each document.
pub const CONFIG_NAME: &str = "unblame.toml";

/// What the command line adds to every config.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Replaces the config's `select` when non-empty.
    pub select: Vec<String>,
    /// Added to the config's `ignore`.
    pub ignore: Vec<String>,
    /// Replaces the config's `structure`.
    pub structure: Option<StructureMode>,
}

impl Overrides {
    fn is_empty(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty() && self.structure.is_none()
    }

    fn apply(&self, config: &mut Config) {
        if !self.select.is_empty() {
            config.select = self.select.clone();
        }
        for id in &self.ignore {
            if !config.ignore.contains(id) {
                config.ignore.push(id.clone());
            }
        }
        if let Some(s) = self.structure {
            config.structure = s;
        }
    }
}

/// Shows `path` relative to the working directory when it lies below it.
pub fn display_path(path: &Path) -> String {
    if let Ok(cwd) = std::env::current_dir() {
        if let Ok(rel) = path.strip_prefix(&cwd) {
            if !rel.as_os_str().is_empty() {
                return rel.display().to_string();
            }
        }
    }
    path.display().to_string()
}

/// Why a linter could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
enum BuildError {
    /// The config file or a lexicon is broken; the message names the file.
    Config(String),
    /// `--select`/`--ignore` names something no rule or category is called.
    Usage(String),
}

/// Checks the command line's rule ids against what `linter` knows.
fn check_overrides(linter: &Linter, overrides: &Overrides) -> Result<(), BuildError> {
    let known = known_ids(linter);
    for (flag, list) in [
        ("--select", &overrides.select),
        ("--ignore", &overrides.ignore),
    ] {
        for id in list {
            if !known.iter().any(|k| k == id) {
                let hint = did_you_mean(id, &known, " (`unblame rules` lists them)");
                return Err(BuildError::Usage(format!(
                    "{flag}: unknown rule or category `{id}`{hint}"
                )));
            }
        }
    }
    Ok(())
}

/// Reads a config file and its extra lexicons and builds a linter; errors name the file
/// (and the key or lexicon entry).
fn build(config_path: Option<&Path>, overrides: &Overrides) -> Result<Linter, BuildError> {
    let (config, extra, shown) = read_config(config_path).map_err(BuildError::Config)?;
    let prefix = |e: unblame::Error| match &shown {
        Some(s) => BuildError::Config(format!("{s}: {e}")),
        None => BuildError::Config(e.to_string()),
    };
    let base = Linter::with_lexicons(config.clone(), &extra).map_err(prefix)?;
    if overrides.is_empty() {
        return Ok(base);
    }
    check_overrides(&base, overrides)?;
    let mut config = config;
    overrides.apply(&mut config);
    Linter::with_lexicons(config, &extra).map_err(prefix)
}

/// The config at `config_path` (defaults for `None`), its extra lexicons as
/// (shown path, text), and the config path as shown.
#[allow(clippy::type_complexity)]
fn read_config(
    config_path: Option<&Path>,
) -> Result<(Config, Vec<(String, String)>, Option<String>), String> {
    let Some(path) = config_path else {
        return Ok((Config::default(), Vec::new(), None));
    };
    let shown = display_path(path);
    let text = std::fs::read(path).map_err(|e| format!("{shown}: {}", describe_io(&e)))?;
    let text = String::from_utf8(text).map_err(|e| {
        format!(
            "{shown}: not valid UTF-8 at byte {}",
            e.utf8_error().valid_up_to()
        )
    })?;
    let config = Config::from_toml(&text).map_err(|e| format!("{shown}: {e}"))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut extra = Vec::new();
    for lex in &config.extra_lexicons {
        let lex_path = base.join(lex);
        let lex_shown = display_path(&lex_path);
        let bytes = std::fs::read(&lex_path)
            .map_err(|e| format!("{shown}: extra_lexicons: {lex_shown}: {}", describe_io(&e)))?;
        let lex_text = String::from_utf8(bytes).map_err(|e| {
            format!(
                "{shown}: extra_lexicons: {lex_shown}: not valid UTF-8 at byte {}",
                e.utf8_error().valid_up_to()
            )
        })?;
        extra.push((lex_shown, lex_text));
    }
    Ok((config, extra, Some(shown)))
}

/// Resolves the config of each document and builds one linter per config file.
#[derive(Debug)]
pub struct Resolver {
    explicit: Option<PathBuf>,
    overrides: Overrides,
    /// Directory → the nearest config at or above it.
    dirs: HashMap<PathBuf, Option<PathBuf>>,
    /// Config path (None: defaults) → linter, or the error that stopped it.
    linters: HashMap<Option<PathBuf>, Result<Arc<Linter>, String>>,
    /// Config errors met while building, in the order met.
    pub errors: Vec<String>,
    /// Usage errors (unknown ids on the command line), deduplicated.
    pub usage_errors: Vec<String>,
}

impl Resolver {
    /// `explicit` is `--config FILE` (it must exist).
    pub fn new(explicit: Option<&str>, overrides: Overrides) -> Result<Resolver, String> {
        let explicit = match explicit {
            None => None,
            Some(p) => {
                let path = PathBuf::from(p);
                match std::fs::metadata(&path) {
                    Ok(m) if m.is_file() => Some(std::path::absolute(&path).unwrap_or(path)),
                    Ok(_) => return Err(format!("--config {p}: not a file")),
                    Err(e) => return Err(format!("--config {p}: {}", describe_io(&e))),
                }
            }
        };
        Ok(Resolver {
            explicit,
            overrides,
            dirs: HashMap::new(),
            linters: HashMap::new(),
            errors: Vec::new(),
            usage_errors: Vec::new(),
        })
    }

    /// The nearest `unblame.toml` at or above `dir` (absolute), cached per directory.
    fn discover(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.dirs.get(dir) {
            return found.clone();
        }
        let candidate = dir.join(CONFIG_NAME);
        let found = if candidate.is_file() {
            Some(candidate)
        } else {
            match dir.parent() {
                Some(parent) => self.discover(parent),
                None => None,
            }
        };
        self.dirs.insert(dir.to_path_buf(), found.clone());
        found
    }

    /// The linter for a document at `file` (or, for stdin without a name, the working
    /// directory); `None` when its config is broken (the error is in `errors`).
    pub fn linter_for(&mut self, file: Option<&Path>) -> Option<Arc<Linter>> {
        let config = self.config_for(file);
        self.linter_at(config)
    }

    /// The config file that applies to a document at `file` (or, for `None`, the
    /// working directory): `--config`, else the nearest `unblame.toml` upward, else
    /// `None` for the defaults.
    pub fn config_for(&mut self, file: Option<&Path>) -> Option<PathBuf> {
        match &self.explicit {
            Some(p) => Some(p.clone()),
            None => {
                let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
                let dir = match file {
                    Some(f) => {
                        let abs = std::path::absolute(f).unwrap_or_else(|_| cwd.join(f));
                        abs.parent().map(Path::to_path_buf).unwrap_or(cwd)
                    }
                    None => cwd,
                };
                self.discover(&dir)
            }
        }
    }

    fn linter_at(&mut self, config: Option<PathBuf>) -> Option<Arc<Linter>> {
        self.linter_or_error(config).ok()
    }

    /// The linter of the config at `config` (`None`: the defaults), built once, or the
    /// message that says why it could not be built.
    pub fn linter_or_error(&mut self, config: Option<PathBuf>) -> Result<Arc<Linter>, String> {
        if let Some(done) = self.linters.get(&config) {
            return done.clone();
        }
        let built = build(config.as_deref(), &self.overrides)
            .map(Arc::new)
            .map_err(|e| match e {
                BuildError::Config(m) => {
                    self.errors.push(m.clone());
                    m
                }
                BuildError::Usage(m) => {
                    if !self.usage_errors.contains(&m) {
                        self.usage_errors.push(m.clone())
                    }
                    m
                }
            });
        self.linters.insert(config, built.clone());
        built
    }

    /// Builds the default-config linter if nothing was built yet, so that command-line
    /// rule ids are checked even when no document could be read.
    pub fn ensure_checked(&mut self) {
        if self.linters.is_empty() {
            let config = self.explicit.clone();
            self.linter_at(config);
        }
    }

    /// Every linter built so far (for the SARIF rule table).
    pub fn built(&self) -> Vec<Arc<Linter>> {
        let mut keys: Vec<&Option<PathBuf>> = self.linters.keys().collect();
        keys.sort();
        keys.into_iter()
            .filter_map(|k| self.linters[k].as_ref().ok().cloned())
            .collect()
    }
}

/// Builds a linter for `rules`/`explain`: `--config FILE`, else the nearest config
/// upward from the working directory, else the defaults.
pub fn linter_for_listing(config: Option<&str>) -> Result<Arc<Linter>, String> {
    let mut resolver = Resolver::new(config, Overrides::default())?;
    match resolver.linter_for(None) {
        Some(l) => Ok(l),
        None => Err(resolver
            .errors
            .into_iter()
            .chain(resolver.usage_errors)
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

/// Every id and category a linter knows, for checking `--select`/`--ignore`.
pub fn known_ids(linter: &Linter) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for r in linter.rules() {
        if !ids.contains(&r.category) {
            ids.push(r.category.clone());
        }
        ids.push(r.id);
    }
    ids
}

/// "; did you mean `a`, `b`?" for the known ids closest to `wanted`, or `otherwise`.
pub fn did_you_mean(wanted: &str, known: &[String], otherwise: &str) -> String {
    let near = closest(wanted, known);
    if near.is_empty() {
        return otherwise.to_string();
    }
    let list: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
    format!("; did you mean {}?", list.join(", "))
}

/// Up to three known ids closest to `wanted`, best first.
pub fn closest<'a>(wanted: &str, known: &'a [String]) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = known
        .iter()
        .map(|k| {
            let full = strsim::jaro_winkler(&wanted, k);
            let tail = k
                .rsplit('/')
                .next()
                .map(|t| strsim::jaro_winkler(&wanted, t))
                .unwrap_or(0.0);
            let contains = if k.contains(wanted.as_str()) && !wanted.is_empty() {
                0.9
            } else {
                0.0
            };
            (full.max(tail).max(contains), k.as_str())
        })
        .filter(|(s, _)| *s >= 0.7)
        .collect();
    scored.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.1.cmp(b.1))
    });
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos() {
        let known = vec![
            "counterfactual/should-have".to_string(),
            "blame".to_string(),
            "judgment/careless".to_string(),
        ];
        assert_eq!(
            closest("counterfactual/shuld-have", &known)[0],
            "counterfactual/should-have"
        );
        assert_eq!(closest("careles", &known)[0], "judgment/careless");
        assert!(closest("zzzzzz", &known).is_empty());
    }
}
