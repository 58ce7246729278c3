//! The Python binding of unblame: conversion of types and offsets only.
//!
//! Every rule, heuristic and default lives in the `unblame` core crate. This crate turns
//! Python dicts into a [`unblame::Config`], runs the core linter (with the GIL released),
//! converts UTF-8 byte offsets to `str` indices with [`unblame::offsets::OffsetMap`], and
//! hands back frozen `Finding` / `Suggestion` objects. The `Report` class, HTML rendering
//! and record helpers are in the pure-Python package around this module (`unblame/`).

/// The allocator of the extension's Rust side: mimalloc for the small blocks a lint makes
/// by the thousand, the system allocator for large ones (see the `unblame-alloc` crate).
/// Python's objects keep Python's allocator.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: unblame_alloc::Hybrid = unblame_alloc::Hybrid;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::sync::Arc;
use unblame::offsets::{OffsetMap, Unit};

pyo3::create_exception!(
    unblame,
    ConfigError,
    PyValueError,
    "An invalid configuration. `key` names the offending key (dotted, e.g. `thresholds.late_days`), or is None."
);

fn config_error(py: Python<'_>, key: Option<&str>, message: &str) -> PyErr {
    let text = match key {
        Some(k) => format!("invalid config key `{k}`: {message}"),
        None => format!("invalid config: {message}"),
    };
    let err = ConfigError::new_err(text);
    let value = err.value(py);
    // Exception instances have a __dict__; these cannot fail in practice.
    let _ = value.setattr("key", key);
    let _ = value.setattr("message", message);
    err
}

// ---------------------------------------------------------------------------------------
// JSON <-> Python

fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let list = PyList::empty(py);
            for x in a {
                list.append(json_to_py(py, x)?)?;
            }
            list.into_any()
        }
        Value::Object(m) => map_to_py(py, m)?.into_any(),
    })
}

fn map_to_py<'py>(py: Python<'py>, m: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, x) in m {
        dict.set_item(k, json_to_py(py, x)?)?;
    }
    Ok(dict)
}

fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Converts a config value to JSON; anything that is not plain data is a ConfigError naming the key.
fn py_to_json(py: Python<'_>, obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(config_error(py, Some(path), "integer out of range"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(f.value())
            .map(Value::Number)
            .unwrap_or(Value::Null));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s
            .to_cow()
            .map_err(|_| config_error(py, Some(path), "string is not valid Unicode"))?;
        return Ok(Value::String(s.to_string()));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            out.push(py_to_json(
                py,
                &item?,
                &format!("{}[{i}]", if path.is_empty() { "" } else { path }),
            )?);
        }
        return Ok(Value::Array(out));
    }
    if let Ok(m) = obj.cast::<PyMapping>() {
        let mut out = Map::new();
        for item in m.items()?.iter() {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            let Ok(k) = k.extract::<String>() else {
                let what = k.repr().map(|r| r.to_string()).unwrap_or_default();
                return Err(config_error(
                    py,
                    Some(if path.is_empty() { "(top level)" } else { path }),
                    &format!("keys must be strings, got {what}"),
                ));
            };
            let value = py_to_json(py, &v, &join_key(path, &k))?;
            out.insert(k, value);
        }
        return Ok(Value::Object(out));
    }
    // os.PathLike (pathlib.Path in `extra_lexicons`).
    if obj.hasattr("__fspath__")? {
        let p = obj.call_method0("__fspath__")?;
        if let Ok(s) = p.extract::<String>() {
            return Ok(Value::String(s));
        }
    }
    let tname = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    Err(config_error(
        py,
        if path.is_empty() { None } else { Some(path) },
        &format!("unsupported value of type {tname}"),
    ))
}

fn build_linter(py: Python<'_>, config: Option<&Bound<'_, PyAny>>) -> PyResult<unblame::Linter> {
    let json = match config {
        None => Value::Null,
        Some(c) if c.is_none() => Value::Null,
        Some(c) => {
            if c.cast::<PyMapping>().is_err() {
                let tname = c
                    .get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                return Err(config_error(
                    py,
                    None,
                    &format!("expected a dict of config keys, got {tname}"),
                ));
            }
            py_to_json(py, c, "")?
        }
    };
    let config = unblame::Config::from_json(&json)
        .map_err(|e| config_error(py, e.key.as_deref(), &e.message))?;
    let mut extra = Vec::new();
    for path in &config.extra_lexicons {
        let text = std::fs::read_to_string(path).map_err(|e| {
            config_error(
                py,
                Some("extra_lexicons"),
                &format!("cannot read `{path}`: {e}"),
            )
        })?;
        extra.push((path.clone(), text));
    }
    unblame::Linter::with_lexicons(config, &extra).map_err(|e| match e {
        unblame::Error::Config(c) => config_error(py, c.key.as_deref(), &c.message),
        unblame::Error::Lexicon(l) => config_error(py, Some("extra_lexicons"), &l.to_string()),
    })
}

// ---------------------------------------------------------------------------------------
// Output types

/// Python's own `repr()` of a string (quotes and escapes as Python users expect).
fn py_repr(py: Python<'_>, s: &str) -> PyResult<String> {
    Ok(PyString::new(py, s).repr()?.to_cow()?.into_owned())
}

/// A proposed edit: replace `text[start:end]` with `replacement` (str indices).
#[pyclass(frozen, eq, module = "unblame")]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Suggestion {
    /// The text to put in place of the range.
    #[pyo3(get)]
    replacement: String,
    /// Start of the replaced range (str index).
    #[pyo3(get)]
    start: usize,
    /// End of the replaced range (str index).
    #[pyo3(get)]
    end: usize,
    /// Mechanical and meaning-preserving, so `fixed()` applies it.
    #[pyo3(get)]
    safe: bool,
    /// What the edit does.
    #[pyo3(get)]
    description: String,
}

#[pymethods]
impl Suggestion {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Suggestion(replacement={}, start={}, end={}, safe={})",
            py_repr(py, &self.replacement)?,
            self.start,
            self.end,
            if self.safe { "True" } else { "False" }
        ))
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.hash(&mut h);
        h.finish()
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("replacement", &self.replacement)?;
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("safe", self.safe)?;
        d.set_item("description", &self.description)?;
        Ok(d)
    }
}

/// One problem found in a document; `start`/`end` are str indices, so
/// `text[f.start:f.end] == f.text`.
#[pyclass(frozen, eq, module = "unblame")]
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Rule id, `<category>/<name>`.
    #[pyo3(get)]
    rule: String,
    /// Category.
    #[pyo3(get)]
    category: String,
    /// `error`, `warning` or `info`.
    #[pyo3(get)]
    severity: String,
    /// One line: what is wrong here.
    #[pyo3(get)]
    message: String,
    /// Why it harms learning and how to rewrite.
    #[pyo3(get)]
    help: String,
    /// Start of the flagged span (str index).
    #[pyo3(get)]
    start: usize,
    /// End of the flagged span (str index).
    #[pyo3(get)]
    end: usize,
    /// 1-based line.
    #[pyo3(get)]
    line: usize,
    /// 1-based column in code points.
    #[pyo3(get)]
    column: usize,
    /// The flagged text.
    #[pyo3(get)]
    text: String,
    suggestions: Vec<Suggestion>,
    data: Map<String, Value>,
}

#[pymethods]
impl Finding {
    /// Proposed edits, safest first.
    #[getter]
    fn suggestions(&self) -> Vec<Suggestion> {
        self.suggestions.clone()
    }

    /// Rule-specific extras (a new dict on each access).
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        map_to_py(py, &self.data)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Finding(rule={}, severity={}, start={}, end={}, line={}, column={}, text={})",
            py_repr(py, &self.rule)?,
            py_repr(py, &self.severity)?,
            self.start,
            self.end,
            self.line,
            self.column,
            py_repr(py, &self.text)?
        ))
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            &self.rule,
            self.start,
            self.end,
            &self.message,
            &self.suggestions,
        )
            .hash(&mut h);
        h.finish()
    }

    /// The fields as a plain dict (suggestions as dicts), the shape of the CLI's JSON
    /// with str indices.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("rule", &self.rule)?;
        d.set_item("category", &self.category)?;
        d.set_item("severity", &self.severity)?;
        d.set_item("message", &self.message)?;
        d.set_item("help", &self.help)?;
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("line", self.line)?;
        d.set_item("column", self.column)?;
        d.set_item("text", &self.text)?;
        let list = PyList::empty(py);
        for s in &self.suggestions {
            list.append(s.to_dict(py)?)?;
        }
        d.set_item("suggestions", list)?;
        d.set_item("data", map_to_py(py, &self.data)?)?;
        Ok(d)
    }
}

/// A core report with offsets converted, before it becomes Python objects.
struct Converted {
    findings: Vec<Finding>,
    structure: Option<Value>,
    metrics: Option<Value>,
}

/// Lints (refusing a document over [`unblame::MAX_DOCUMENT_BYTES`]) and converts every
/// byte offset to a code-point index through the core's OffsetMap (one sweep to build, a
/// binary search per offset).
fn lint_converted(linter: &unblame::Linter, text: &str) -> Result<Converted, unblame::LintError> {
    let report = linter.try_lint(text)?;
    let map = OffsetMap::new(text);
    let conv = |b: usize| map.convert(b, Unit::Chars);
    let findings = report
        .findings
        .into_iter()
        .map(|f| Finding {
            start: conv(f.start),
            end: conv(f.end),
            suggestions: f
                .suggestions
                .into_iter()
                .map(|s| Suggestion {
                    start: conv(s.start),
                    end: conv(s.end),
                    replacement: s.replacement,
                    safe: s.safe,
                    description: s.description,
                })
                .collect(),
            rule: f.rule.into(),
            category: f.category.into(),
            severity: f.severity.as_str().to_string(),
            message: f.message.into(),
            help: f.help.into(),
            line: f.line,
            column: f.column,
            text: f.text,
            data: f.data,
        })
        .collect();
    Ok(Converted {
        findings,
        structure: report.structure.and_then(|s| serde_json::to_value(s).ok()),
        metrics: report.metrics.and_then(|m| serde_json::to_value(m).ok()),
    })
}

/// The core's refusal as a `ValueError`, prefixed with what was being checked.
fn lint_error(what: &str, e: unblame::LintError) -> PyErr {
    PyValueError::new_err(format!("{what}: {e}"))
}

/// (findings, structure, metrics) as Python objects.
fn to_python<'py>(py: Python<'py>, c: Converted) -> PyResult<Bound<'py, PyTuple>> {
    let findings = PyList::empty(py);
    for f in c.findings {
        findings.append(Bound::new(py, f)?)?;
    }
    let opt = |v: &Option<Value>| -> PyResult<Bound<'py, PyAny>> {
        match v {
            Some(v) => json_to_py(py, v),
            None => Ok(py.None().into_bound(py)),
        }
    };
    PyTuple::new(
        py,
        [findings.into_any(), opt(&c.structure)?, opt(&c.metrics)?],
    )
}

fn text_arg<'a>(s: &'a Bound<'_, PyString>, what: &str) -> PyResult<std::borrow::Cow<'a, str>> {
    s.to_cow().map_err(|e| {
        let py = s.py();
        let index = e
            .value(py)
            .getattr("start")
            .ok()
            .and_then(|v| v.extract::<usize>().ok());
        let at = index.map(|i| format!(" at index {i}")).unwrap_or_default();
        let err = PyValueError::new_err(format!(
            "{what} contains a lone surrogate{at}, which is not valid Unicode text; \
             decode the source with errors='replace' (or fix it) before checking"
        ));
        err.set_cause(py, Some(e));
        err
    })
}

/// The compiled core linter. Immutable and `Send + Sync`: share it across threads.
#[pyclass(frozen, module = "unblame._unblame", name = "Linter")]
pub struct PyLinter {
    inner: Arc<unblame::Linter>,
}

#[pymethods]
impl PyLinter {
    #[new]
    #[pyo3(signature = (config=None))]
    fn new(py: Python<'_>, config: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        Ok(PyLinter {
            inner: Arc::new(build_linter(py, config)?),
        })
    }

    /// Lints one text: `(findings, structure, metrics)`. Releases the GIL while linting.
    fn check<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let s = text.cast::<PyString>().map_err(|_| {
            let tname = text
                .get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default();
            PyTypeError::new_err(format!("check() expects a str, got {tname}"))
        })?;
        let text = text_arg(s, "text")?;
        let linter = &self.inner;
        let converted = py
            .detach(|| lint_converted(linter, &text))
            .map_err(|e| lint_error("check()", e))?;
        to_python(py, converted)
    }

    /// Lints many texts in parallel (rayon) with the GIL released: a list of
    /// `(text, findings, structure, metrics)`. Accepts any iterable of str.
    fn check_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let iter = texts.try_iter().map_err(|_| {
            let tname = texts
                .get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default();
            PyTypeError::new_err(format!(
                "check_many() expects an iterable of str, got {tname}"
            ))
        })?;
        let mut originals: Vec<Bound<'py, PyString>> = Vec::new();
        let mut backed: Vec<PyBackedStr> = Vec::new();
        for (i, item) in iter.enumerate() {
            let item = item?;
            let s = item.cast_into::<PyString>().map_err(|e| {
                let obj = e.into_inner();
                let tname = obj
                    .get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                PyTypeError::new_err(format!("check_many(): item {i} is {tname}, expected str"))
            })?;
            let b: PyBackedStr = match s.extract::<PyBackedStr>() {
                Ok(b) => b,
                Err(_) => {
                    text_arg(&s, &format!("item {i}"))?;
                    unreachable!("text_arg fails when extraction fails")
                }
            };
            originals.push(s);
            backed.push(b);
        }
        let linter = &self.inner;
        let results: Vec<Result<Converted, unblame::LintError>> = py.detach(|| {
            backed
                .par_iter()
                .map(|t| lint_converted(linter, t))
                .collect()
        });
        let out = PyList::empty(py);
        for (i, (s, c)) in originals.into_iter().zip(results).enumerate() {
            let c = c.map_err(|e| lint_error(&format!("check_many(): item {i}"), e))?;
            let t = to_python(py, c)?;
            let (f, st, m) = (t.get_item(0)?, t.get_item(1)?, t.get_item(2)?);
            out.append(PyTuple::new(py, [s.into_any(), f, st, m])?)?;
        }
        Ok(out)
    }

    /// The text with suggestions applied, re-linting until stable: the same as the
    /// CLI's `--fix` (`unsafe`: also apply the first unsafe suggestion of each finding).
    #[pyo3(signature = (text, r#unsafe=false))]
    fn fix(&self, py: Python<'_>, text: &Bound<'_, PyString>, r#unsafe: bool) -> PyResult<String> {
        let text = text_arg(text, "text")?;
        if text.len() > unblame::MAX_DOCUMENT_BYTES {
            let e = unblame::LintError::TooLarge {
                bytes: text.len(),
                limit: unblame::MAX_DOCUMENT_BYTES,
            };
            return Err(lint_error("fix()", e));
        }
        let linter = &self.inner;
        Ok(py.detach(|| linter.fix(&text, r#unsafe)))
    }

    /// Every rule as a list of dicts: id, category, severity, summary, help, flag, pass, fix.
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = serde_json::to_value(self.inner.rules())
            .map_err(|e| PyValueError::new_err(format!("cannot serialise rules: {e}")))?;
        json_to_py(py, &v)
    }
}

/// The compiled part of the `unblame` package.
#[pymodule]
fn _unblame(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyLinter>()?;
    m.add_class::<Finding>()?;
    m.add_class::<Suggestion>()?;
    m.add("ConfigError", m.py().get_type::<ConfigError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
