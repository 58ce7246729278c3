//! User configuration: `unblame.toml`, a Python dict or a JS object, all with the same keys.

use crate::report::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// When the structure checks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StructureMode {
    /// Run when the document looks like a postmortem (a header block or two known sections).
    #[default]
    Auto,
    /// Always run.
    On,
    /// Never run.
    Off,
}

impl StructureMode {
    /// Parses `auto`, `on` or `off`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(Self::Auto),
            "on" => Some(Self::On),
            "off" => Some(Self::Off),
            _ => None,
        }
    }
}

/// Numbers the structure rules compare against.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// Fewest sentences a summary should have.
    pub summary_min: usize,
    /// Most sentences a summary should have.
    pub summary_max: usize,
    /// Fewest contributing factors.
    pub factors_min: usize,
    /// Most contributing factors.
    pub factors_max: usize,
    /// Fewest action items.
    pub actions_min: usize,
    /// Most action items.
    pub actions_max: usize,
    /// Days after the incident by which the review should be written.
    pub late_days: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            summary_min: 2,
            summary_max: 4,
            factors_min: 3,
            factors_max: 7,
            actions_min: 1,
            actions_max: 10,
            late_days: 7,
        }
    }
}

/// The whole configuration. Every key is optional.
///
/// ```
/// let config = unblame::Config::from_toml("select = [\"blame\"]\ncheck_quotes = true").unwrap();
/// assert!(config.check_quotes);
/// let err = unblame::Config::from_toml("colour = 1").unwrap_err();
/// assert!(err.to_string().contains("colour"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Rule ids or categories to run (all when empty).
    pub select: Vec<String>,
    /// Rule ids or categories never to run.
    pub ignore: Vec<String>,
    /// Severity overrides by rule id or category.
    pub severity: BTreeMap<String, Severity>,
    /// Paths of extra lexicon files (read by the front end, relative to the config file).
    pub extra_lexicons: Vec<String>,
    /// Words and phrases never flagged (case-insensitive).
    pub allow: Vec<String>,
    /// Extra names of people, for documents that mention colleagues by name.
    pub names: Vec<String>,
    /// Judge text inside quotation marks and block quotes too.
    pub check_quotes: bool,
    /// When the structure checks run.
    pub structure: StructureMode,
    /// Structure thresholds.
    pub thresholds: Thresholds,
}

/// A configuration that could not be used; names the key that is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The dotted path of the offending key, when known (`thresholds.late_days`).
    pub key: Option<String>,
    /// What is wrong and what is expected.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(k) => write!(f, "invalid config key `{k}`: {}", self.message),
            None => write!(f, "invalid config: {}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    pub(crate) fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError {
            key: Some(key.into()),
            message: message.into(),
        }
    }
}

fn from_path_error<E: fmt::Display>(err: serde_path_to_error::Error<E>) -> ConfigError {
    let path = err.path().to_string();
    let inner = err.into_inner().to_string();
    // serde reports an unknown field at the parent path; name the field itself.
    let key = match inner.split('`').nth(1) {
        Some(field) if inner.starts_with("unknown field") => {
            // Some deserializers already put the field in the path, some stop at its parent.
            if path == "." || path == field || path.ends_with(&format!(".{field}")) {
                if path == "." {
                    field.to_string()
                } else {
                    path
                }
            } else {
                format!("{path}.{field}")
            }
        }
        _ => path,
    };
    // TOML errors start with a "parse error at line N" header; keep the explanation too.
    let lines: Vec<&str> = inner
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with('|') && !l.chars().all(|c| c == '^' || c == ' ')
        })
        .collect();
    let message = match lines.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [first, .., last] => format!("{first}: {last}"),
    };
    ConfigError {
        key: if key == "." || key.is_empty() {
            None
        } else {
            Some(key)
        },
        message,
    }
}

impl Config {
    /// Parses `unblame.toml` text.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let de = toml::Deserializer::new(text);
        serde_path_to_error::deserialize(de).map_err(from_path_error)
    }

    /// Reads a config from a JSON value (what the Python and JS front ends pass).
    pub fn from_json(value: &serde_json::Value) -> Result<Config, ConfigError> {
        if value.is_null() {
            return Ok(Config::default());
        }
        if !value.is_object() {
            return Err(ConfigError {
                key: None,
                message: "expected an object (a dict) of config keys".into(),
            });
        }
        serde_path_to_error::deserialize(value).map_err(from_path_error)
    }
}
