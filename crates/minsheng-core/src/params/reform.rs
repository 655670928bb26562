//! Reforms (改革方案): parameter values laid over the baseline from a date.
//!
//! ```yaml
//! name: basic-deduction-6000
//! label: {zh: 基本减除费用提高至每月6000元, en: Basic deduction raised to 6,000 a month}
//! changes:
//!   - parameter: iit.comprehensive.basic_deduction_annual
//!     from: 2024-01-01
//!     amount: 72000
//! ```
//!
//! Each change replaces the parameter's values from `from` to `until` (or for
//! good) in a copy of the parameter set; values before and after are kept.

use jiff::civil::Date;

use super::load::{RawEntry, check_timeline};
use super::{Entry, Origin, ParamSet};
use crate::label::Label;

/// A reform file.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reform {
    /// A short name, used in reports.
    pub name: String,
    /// What the reform does.
    pub label: Label,
    /// More words, if needed.
    #[serde(default)]
    pub description: Option<String>,
    changes: Vec<RawEntry>,
}

/// A reform that could not be read or applied: which change and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", if *change == 0 { message.clone() } else { format!("reform `{reform}`, change {change}: {message}") })]
pub struct ReformError {
    /// The reform's name.
    pub reform: String,
    /// The change (1-based), 0 for the file as a whole.
    pub change: usize,
    /// What is wrong.
    pub message: String,
}

impl Reform {
    /// Reads a reform file.
    pub fn from_yaml(text: &str) -> Result<Reform, ReformError> {
        serde_saphyr::from_str(text).map_err(|e| ReformError { reform: "?".into(), change: 0, message: e.to_string() })
    }

    /// The baseline with this reform's changes laid over it.
    pub fn apply(&self, base: &ParamSet) -> Result<ParamSet, ReformError> {
        let mut set = base.clone();
        for (i, change) in self.changes.iter().enumerate() {
            let err = |message: String| ReformError { reform: self.name.clone(), change: i + 1, message };
            let path = change.parameter.as_deref().ok_or_else(|| err("every change names its `parameter`".into()))?;
            let (param, model) = set.get_mut(path).ok_or_else(|| err(format!("no parameter `{path}`")))?;
            if change.until.is_some_and(|u| u < change.from) {
                return Err(err("`until` is before `from`".into()));
            }
            if change.known_from.is_some() {
                return Err(err("`known_from` describes the baseline law, not a reform".into()));
            }
            if change.unknown.is_some() || change.supplied_by.is_some() {
                return Err(err("`unknown` describes the baseline law; a reform gives values".into()));
            }
            let value = change.value(param.kind).map_err(|m| err(format!("`{path}`: {m}")))?;
            // Only a rule the law itself switches off at times (an entry `in_force: false`) can be
            // switched off: the formulas need a value of every other one.
            if value.is_none() && !param.entries.iter().any(|e| e.value.is_none() && !e.unknown) {
                return Err(err(format!(
                    "`{path}`: this rule is always in force, so a reform gives it a value rather than `in_force: false`"
                )));
            }
            let citation = match &change.source {
                Some(s) => Some(s.resolve(base.documents()).map_err(&err)?),
                None => None,
            };
            let new = Entry {
                from: change.from,
                until: change.until,
                known_from: None,
                value,
                unknown: false,
                supplied_by: Vec::new(),
                citation,
                origin: Origin::Reform(self.name.clone()),
            };
            param.entries = splice(param, new);
            check_timeline(param, model).map_err(err)?;
            super::domain::check_entries(param).map_err(|m| err(format!("`{path}`: {m}")))?;
        }
        super::domain::check_relations(&set).map_err(|(path, m)| ReformError {
            reform: self.name.clone(),
            change: 0,
            message: format!("`{path}`: {m}"),
        })?;
        set.reforms.push(self.name.clone());
        Ok(set)
    }
}

/// The entries of `param` with `new` replacing whatever was in force over its span.
fn splice(param: &super::Parameter, new: Entry) -> Vec<Entry> {
    let (start, stop): (Date, Option<Date>) = (new.from, new.until);
    let mut out = Vec::with_capacity(param.entries.len() + 2);
    for (i, e) in param.entries.iter().enumerate() {
        let end = param.effective_end(i);
        if e.from < start {
            let mut before = e.clone();
            if end.is_none_or(|t| t >= start) {
                before.until = start.yesterday().ok();
            }
            out.push(before);
        }
        if let Some(stop) = stop
            && end.is_none_or(|t| t > stop)
        {
            let mut after = e.clone();
            after.from = after.from.max(super::next_day(stop));
            out.push(after);
        }
    }
    out.push(new);
    out.sort_by_key(|e| e.from);
    out
}
