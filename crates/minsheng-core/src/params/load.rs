//! Reading and validating a rules folder.
//!
//! A rules folder holds `model.yaml` (what the rule book covers),
//! `sources.yaml` (the documents cited) and parameter files under `params/`.
//! A file `params/iit/comprehensive.yaml` with a key `basic_deduction_annual`
//! defines the parameter `iit.comprehensive.basic_deduction_annual`:
//!
//! ```yaml
//! basic_deduction_annual:
//!   label: {zh: 基本减除费用, en: Basic deduction}
//!   type: amount
//!   unit: yuan_per_year
//!   values:
//!     - from: 2019-01-01
//!       amount: 60000
//!       source: {document: iit-law-2018, article: 第六条第一款第一项}
//! ```
//!
//! Every value must cite a registered document, values must not overlap, and
//! together they must cover the whole period the model covers. Errors name the
//! file, the key and what is wrong.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::source::{Citation, Confidence, Document, Documents};
use super::value::{ParamKind, ParamValue, Unit};
use super::{Entry, Origin, ParamSet, Parameter};
use crate::label::Label;
use crate::money::Money;
use crate::rate::Rate;
use crate::scale::{Bracket, Scale};

/// One file of a rules folder: its path relative to the folder, and its text.
#[derive(Clone, Debug)]
pub struct RuleFile {
    /// Relative path with `/` separators, e.g. `params/iit/bonus.yaml`.
    pub path: String,
    /// The YAML text.
    pub text: String,
}

/// What a rule book is and which dates it covers.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelInfo {
    /// The rule book's name.
    pub name: Label,
    /// First day covered: every parameter has a value from here.
    pub covered_from: Option<Date>,
    /// Last day covered: every parameter has a value up to here.
    pub covered_until: Option<Date>,
}

impl ModelInfo {
    /// Whether `d` lies within the covered dates.
    pub fn covers(&self, d: Date) -> bool {
        self.covered_from.is_none_or(|f| f <= d) && self.covered_until.is_none_or(|u| d <= u)
    }
}

/// A rules folder that could not be read: the file, the key and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}{}: {message}", key.as_ref().map(|k| format!(", `{k}`")).unwrap_or_default())]
pub struct LoadError {
    /// The file, relative to the rules folder.
    pub file: String,
    /// The parameter or document key, where the problem is in one.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    label: Label,
    #[serde(default)]
    description: Option<String>,
    #[serde(rename = "type")]
    kind: ParamKind,
    unit: Unit,
    /// Narrower bounds than the unit's (`{min: 1}` for a divisor).
    #[serde(default)]
    domain: Option<super::Domain>,
    /// A parameter this one may never exceed.
    #[serde(default)]
    at_most: Option<String>,
    values: Vec<RawEntry>,
}

/// One dated value as written in a parameter or reform file. The value is
/// given under the key of its type (`amount`, `rate`, …), or `in_force: false`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEntry {
    /// Reform files only: the parameter changed.
    #[serde(default)]
    pub parameter: Option<String>,
    pub from: Date,
    #[serde(default)]
    pub until: Option<Date>,
    #[serde(default)]
    pub known_from: Option<Date>,
    #[serde(default)]
    amount: Option<Decimal>,
    #[serde(default)]
    rate: Option<Decimal>,
    #[serde(default)]
    count: Option<i64>,
    #[serde(default)]
    flag: Option<bool>,
    #[serde(default)]
    scale: Option<Vec<RawBracket>>,
    #[serde(default)]
    table: Option<BTreeMap<String, Decimal>>,
    #[serde(default)]
    counts: Option<BTreeMap<String, i64>>,
    #[serde(default)]
    rates: Option<BTreeMap<String, Decimal>>,
    #[serde(default)]
    in_force: Option<bool>,
    /// The rule is in force but its value is not known yet.
    #[serde(default)]
    pub unknown: Option<bool>,
    /// With `unknown: true`: the inputs that supply the figures needing it.
    #[serde(default)]
    pub supplied_by: Option<Vec<String>>,
    #[serde(default)]
    pub source: Option<RawCitation>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBracket {
    #[serde(default)]
    up_to: Option<Decimal>,
    rate: Decimal,
    quick_deduction: Decimal,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCitation {
    document: String,
    #[serde(default)]
    article: Option<String>,
    #[serde(default)]
    confidence: Option<Confidence>,
    #[serde(default)]
    note: Option<String>,
}

impl RawEntry {
    /// The typed value, checked against the parameter's declared kind.
    pub(super) fn value(&self, kind: ParamKind) -> Result<Option<ParamValue>, String> {
        let given: Vec<ParamKind> = [
            (self.amount.is_some(), ParamKind::Amount),
            (self.rate.is_some(), ParamKind::Rate),
            (self.count.is_some(), ParamKind::Count),
            (self.flag.is_some(), ParamKind::Flag),
            (self.scale.is_some(), ParamKind::Scale),
            (self.table.is_some(), ParamKind::Table),
            (self.counts.is_some(), ParamKind::Counts),
            (self.rates.is_some(), ParamKind::Rates),
        ]
        .into_iter()
        .filter_map(|(present, k)| present.then_some(k))
        .collect();
        match (self.unknown, &self.supplied_by) {
            (Some(true), _) if self.in_force.is_some() || !given.is_empty() => {
                return Err("an entry with `unknown: true` has neither a value nor `in_force`".into());
            }
            (Some(true), _) => return Ok(None),
            (Some(false), _) => return Err("`unknown` may only be `true` (give the value instead)".into()),
            (None, Some(_)) => return Err("`supplied_by` goes with `unknown: true`".into()),
            (None, None) => {}
        }
        match (self.in_force, given.as_slice()) {
            (Some(false), []) => return Ok(None),
            (Some(true), _) => return Err("`in_force` may only be `false` (give the value instead)".into()),
            (Some(false), _) => return Err("an entry with `in_force: false` has no value".into()),
            (None, [k]) if *k == kind => {}
            (None, [k]) => return Err(format!("the parameter's type is {kind}, but this entry gives a {k}")),
            (None, []) => {
                return Err(format!(
                    "the entry gives no value: add `{kind}:` (or `in_force: false`, or `unknown: true`)"
                ));
            }
            (None, _) => return Err("the entry gives more than one value".into()),
        }
        let amount = |d: Decimal| Money::from_decimal(d).map_err(|e| e.to_string());
        let rate = |d: Decimal| Rate::from_decimal(d).map_err(|e| e.to_string());
        Ok(Some(match kind {
            ParamKind::Amount => ParamValue::Amount(amount(self.amount.unwrap_or_default())?),
            ParamKind::Rate => ParamValue::Rate(rate(self.rate.unwrap_or_default())?),
            ParamKind::Count => ParamValue::Count(self.count.unwrap_or_default()),
            ParamKind::Flag => ParamValue::Flag(self.flag.unwrap_or_default()),
            ParamKind::Scale => {
                let mut brackets = Vec::new();
                for b in self.scale.iter().flatten() {
                    brackets.push(Bracket {
                        up_to: b.up_to.map(amount).transpose()?,
                        rate: rate(b.rate)?,
                        quick_deduction: amount(b.quick_deduction)?,
                    });
                }
                ParamValue::Scale(Arc::new(Scale::new(brackets).map_err(|e| e.to_string())?))
            }
            ParamKind::Table => {
                let mut table = BTreeMap::new();
                for (k, v) in self.table.iter().flatten() {
                    table.insert(k.clone(), amount(*v)?);
                }
                if table.is_empty() {
                    return Err("a table needs at least one row".into());
                }
                ParamValue::Table(Arc::new(table))
            }
            ParamKind::Counts => {
                let counts = self.counts.clone().unwrap_or_default();
                if counts.is_empty() {
                    return Err("a counts table needs at least one row".into());
                }
                ParamValue::Counts(Arc::new(counts))
            }
            ParamKind::Rates => {
                let mut rates = BTreeMap::new();
                for (k, v) in self.rates.iter().flatten() {
                    rates.insert(k.clone(), rate(*v)?);
                }
                if rates.is_empty() {
                    return Err("a rates table needs at least one row".into());
                }
                ParamValue::Rates(Arc::new(rates))
            }
        }))
    }
}

impl RawCitation {
    pub(super) fn resolve(&self, documents: &Documents) -> Result<Citation, String> {
        let document = documents
            .get(&self.document)
            .ok_or_else(|| format!("cites `{}`, which is not in sources.yaml", self.document))?;
        Ok(Citation {
            document_id: self.document.clone(),
            document: Arc::clone(document),
            article: self.article.clone(),
            confidence: self.confidence.unwrap_or(document.confidence),
            note: self.note.clone(),
        })
    }
}

fn parse<T: serde::de::DeserializeOwned>(file: &RuleFile) -> Result<T, LoadError> {
    serde_saphyr::from_str(&file.text).map_err(|e| LoadError {
        file: file.path.clone(),
        key: None,
        message: e.to_string(),
    })
}

/// Reads a whole rules folder into a [`ParamSet`].
pub fn load_rules(files: &[RuleFile]) -> Result<ParamSet, LoadError> {
    let find = |name: &str| {
        files.iter().find(|f| f.path == name).ok_or_else(|| LoadError {
            file: name.to_string(),
            key: None,
            message: "missing from the rules folder".into(),
        })
    };
    let model: ModelInfo = parse(find("model.yaml")?)?;
    let raw_docs: BTreeMap<String, Document> = parse(find("sources.yaml")?)?;
    let documents: Documents = raw_docs.into_iter().map(|(k, d)| (k, Arc::new(d))).collect();

    let mut params: BTreeMap<String, Parameter> = BTreeMap::new();
    for file in files {
        let Some(rest) = file.path.strip_prefix("params/") else { continue };
        let Some(stem) = rest.strip_suffix(".yaml") else {
            return Err(LoadError {
                file: file.path.clone(),
                key: None,
                message: "parameter files end in .yaml".into(),
            });
        };
        if stem.split('/').any(|part| part.is_empty() || part.contains('.')) {
            return Err(LoadError {
                file: file.path.clone(),
                key: None,
                message:
                    "a parameter file's path is its folders and name, without dots (params/iit/comprehensive.yaml)"
                        .into(),
            });
        }
        let prefix = stem.replace('/', ".");
        let raw: BTreeMap<String, RawParam> = parse(file)?;
        for (key, raw) in raw {
            let err = |message: String| LoadError { file: file.path.clone(), key: Some(key.clone()), message };
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                return Err(err("parameter keys use lowercase letters, digits and `_`".into()));
            }
            let param = build_param(format!("{prefix}.{key}"), raw, &file.path, &documents, &model).map_err(err)?;
            if let Some(earlier) = params.get(&param.path) {
                let message =
                    format!("`{}` is also defined in {}: a parameter is defined once", param.path, earlier.file);
                return Err(err(message));
            }
            params.insert(param.path.clone(), param);
        }
    }
    let set = ParamSet::from_parts(params, documents, model);
    super::domain::check_relations(&set).map_err(|(path, message)| LoadError {
        file: set.get(&path).map_or_else(String::new, |p| p.file.clone()),
        key: Some(path),
        message,
    })?;
    Ok(set)
}

fn build_param(
    path: String,
    raw: RawParam,
    file: &str,
    documents: &Documents,
    model: &ModelInfo,
) -> Result<Parameter, String> {
    let unit_fits = match raw.kind {
        ParamKind::Amount | ParamKind::Scale | ParamKind::Table => {
            matches!(raw.unit, Unit::Yuan | Unit::YuanPerMonth | Unit::YuanPerYear)
        }
        ParamKind::Rate | ParamKind::Rates => raw.unit == Unit::Ratio,
        ParamKind::Count | ParamKind::Counts => {
            matches!(raw.unit, Unit::Months | Unit::Persons | Unit::Years | Unit::CalendarYear | Unit::Decimals)
        }
        ParamKind::Flag => raw.unit == Unit::Boolean,
    };
    if !unit_fits {
        return Err(format!("unit `{}` does not fit a {}", raw.unit, raw.kind));
    }
    if raw.values.is_empty() {
        return Err("`values` is empty".into());
    }
    let mut entries = Vec::with_capacity(raw.values.len());
    for (i, v) in raw.values.iter().enumerate() {
        let at = |m: String| format!("value {} (from {}): {m}", i + 1, v.from);
        if v.parameter.is_some() {
            return Err(at("`parameter` belongs in reform files only".into()));
        }
        let value = v.value(raw.kind).map_err(at)?;
        let source = v.source.as_ref().ok_or_else(|| at("every value needs a `source`".into()))?;
        let citation = source.resolve(documents).map_err(at)?;
        if v.until.is_some_and(|u| u < v.from) {
            return Err(at("`until` is before `from`".into()));
        }
        entries.push(Entry {
            from: v.from,
            until: v.until,
            known_from: v.known_from,
            value,
            unknown: v.unknown == Some(true),
            supplied_by: v.supplied_by.clone().unwrap_or_default(),
            citation: Some(citation),
            origin: Origin::Baseline,
        });
    }
    let domain = super::Domain::of_unit(raw.unit).narrowed(raw.domain.unwrap_or_default())?;
    let param = Parameter {
        path,
        label: raw.label,
        description: raw.description,
        kind: raw.kind,
        unit: raw.unit,
        file: file.to_string(),
        domain,
        at_most: raw.at_most,
        entries,
    };
    check_timeline(&param, model)?;
    super::domain::check_entries(&param)?;
    Ok(param)
}

/// Entries ascend, do not overlap, leave no gap, and span the covered dates.
pub(super) fn check_timeline(param: &Parameter, model: &ModelInfo) -> Result<(), String> {
    let e = &param.entries;
    for i in 1..e.len() {
        if e[i].from <= e[i - 1].from {
            return Err(format!("values must ascend by `from`: {} comes after {}", e[i].from, e[i - 1].from));
        }
        if let Some(u) = e[i - 1].until {
            if u >= e[i].from {
                return Err(format!(
                    "the value from {} runs until {u}, past the next value's start {}",
                    e[i - 1].from,
                    e[i].from
                ));
            }
            if super::next_day(u) != e[i].from {
                return Err(format!(
                    "no value covers {} to {} (mark gaps with `in_force: false`)",
                    super::next_day(u),
                    e[i].from.yesterday().unwrap_or(e[i].from)
                ));
            }
        }
    }
    if let Some(start) = model.covered_from
        && e[0].from > start
    {
        return Err(format!("the first value starts on {}, after the model's coverage starts on {start}", e[0].from));
    }
    if let Some(end) = model.covered_until
        && e.last().and_then(|l| l.until).is_some_and(|u| u < end)
    {
        return Err(format!("the last value ends before the model's coverage ends on {end}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(param_yaml: &str) -> Vec<RuleFile> {
        vec![
            RuleFile {
                path: "model.yaml".into(),
                text: "name: {zh: 测试, en: Test}\ncovered_from: 2019-01-01\ncovered_until: 2026-12-31\n".into(),
            },
            RuleFile {
                path: "sources.yaml".into(),
                text: "law:\n  number: 主席令第九号\n  title: 个人所得税法\n  title_en: IIT Law\n  confidence: high\n"
                    .into(),
            },
            RuleFile { path: "params/iit/test.yaml".into(), text: param_yaml.into() },
        ]
    }

    const GOOD: &str = "basic:\n  label: {zh: 基本减除费用, en: Basic deduction}\n  type: amount\n  unit: yuan_per_year\n  values:\n    - from: 2019-01-01\n      amount: 60000\n      source: {document: law, article: 第六条}\n";

    #[test]
    fn loads_and_looks_up() {
        let set = load_rules(&files(GOOD)).unwrap();
        let found = set.lookup("iit.test.basic", jiff::civil::date(2023, 5, 1), None).unwrap();
        assert_eq!(found.entry.value, Some(ParamValue::Amount(Money::from_yuan(60_000))));
        assert_eq!(found.entry.citation.as_ref().unwrap().article.as_deref(), Some("第六条"));
    }

    #[test]
    fn errors_name_file_key_and_problem() {
        let cases = [
            (GOOD.replace("amount: 60000", "amount: 60000.001"), "more than two decimal places"),
            (GOOD.replace("amount: 60000", "rate: 0.03"), "type is amount, but this entry gives a rate"),
            (GOOD.replace("document: law", "document: nope"), "not in sources.yaml"),
            (GOOD.replace("2019-01-01", "2020-01-01"), "after the model's coverage starts"),
            (GOOD.replace("unit: yuan_per_year", "unit: ratio"), "does not fit"),
            (GOOD.replace("      amount", "      amout"), "unknown field"),
        ];
        for (yaml, expected) in cases {
            let err = load_rules(&files(&yaml)).unwrap_err();
            assert_eq!(err.file, "params/iit/test.yaml");
            assert!(err.to_string().contains(expected), "{err} lacks {expected}");
        }
    }
}
