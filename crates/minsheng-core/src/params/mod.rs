//! Dated, cited parameters (政策参数) and reforms laid over them.
//!
//! A parameter is a typed time series: each entry is in force from a date,
//! until a date or the next entry, and cites its legal source. An entry may
//! also say from when it was *known* (`known_from`): the 2023 rise of three
//! special additional deductions applies from 1 January 2023 but was only
//! announced in August, so payroll withholding before then used the old
//! amounts. [`ParamSet::lookup`] answers "the value in force on a date, as the
//! law was known on another date".
//!
//! Parameters are loaded from YAML files (see [`load_rules`]); a [`Reform`] replaces
//! values over a span of dates in a copy, leaving the baseline untouched.

mod carry;
mod domain;
mod load;
mod reform;
mod source;
mod value;

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::Date;
use rustc_hash::FxHashMap;

pub use carry::Carried;
pub use domain::Domain;
pub use load::{LoadError, ModelInfo, RuleFile, load_rules};
pub use reform::{Reform, ReformError};
pub use source::{Citation, Confidence, Document, Documents};
pub use value::{ParamKind, ParamValue, Unit};

use crate::label::Label;

/// Where a parameter value comes from.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "name")]
pub enum Origin {
    /// The law as it stands (现行政策).
    Baseline,
    /// A reform file, by name.
    Reform(String),
    /// The last value the rule book knows, in force from this day, carried
    /// forward where the value is not known ([`ParamSet::carried_forward`]).
    #[serde(rename = "carried_forward")]
    CarriedForward(Date),
}

/// One dated value of a parameter.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Entry {
    /// First day in force.
    pub from: Date,
    /// Last day in force, if it ends before the next entry.
    pub until: Option<Date>,
    /// First day on which the value was known and could be applied (for
    /// values announced after they took effect).
    pub known_from: Option<Date>,
    /// The value; `None` where the rule is explicitly not in force, or where
    /// its value is not known yet (`unknown`).
    pub value: Option<ParamValue>,
    /// The rule is in force but its value for these dates is not known (not
    /// yet published): a figure that reads it is unknown, never computed
    /// from a guess.
    pub unknown: bool,
    /// For an unknown value: the inputs that would supply the figures needing it.
    pub supplied_by: Vec<String>,
    /// The legal source.
    pub citation: Option<Citation>,
    /// Baseline law or a reform.
    pub origin: Origin,
}

/// A parameter: its metadata and its dated entries, ascending by `from`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Parameter {
    /// The dotted path, e.g. `iit.comprehensive.basic_deduction_annual`.
    pub path: String,
    /// Its name.
    pub label: Label,
    /// What it is for, in more words.
    pub description: Option<String>,
    /// Its type.
    pub kind: ParamKind,
    /// Its unit.
    pub unit: Unit,
    /// The file it was read from, relative to the rules folder.
    pub file: String,
    /// The values it may take (from its unit, narrowed by its file).
    pub domain: Domain,
    /// A parameter it may never exceed on a day both are in force.
    pub at_most: Option<String>,
    /// The dated entries.
    pub entries: Vec<Entry>,
}

impl Parameter {
    /// The last day entry `i` is in force (`None` if open-ended).
    pub fn effective_end(&self, i: usize) -> Option<Date> {
        let by_next = self.entries.get(i + 1).map(|n| n.from.yesterday().unwrap_or(n.from));
        match (self.entries[i].until, by_next) {
            (Some(u), Some(n)) => Some(u.min(n)),
            (u, n) => u.or(n),
        }
    }

    /// The entry in force on `on`, with full knowledge.
    pub(crate) fn entry_on(&self, on: Date) -> Option<&Entry> {
        let i = self.entries.iter().rposition(|e| e.from <= on)?;
        self.effective_end(i).is_none_or(|end| on <= end).then(|| &self.entries[i])
    }
}

/// Why a parameter could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// No parameter has this path.
    #[error("no parameter `{0}`")]
    Unknown(String),
    /// No value covers the date.
    #[error("parameter `{path}` has no value in force on {date}")]
    NotCovered {
        /// The parameter.
        path: String,
        /// The date asked for.
        date: Date,
    },
    /// The rule is explicitly not in force on the date.
    #[error("parameter `{path}` is not in force on {date}")]
    NotInForce {
        /// The parameter.
        path: String,
        /// The date asked for.
        date: Date,
    },
    /// The parameter is of another type than the rule expects.
    #[error("parameter `{path}` is a {found}, not a {expected}")]
    WrongKind {
        /// The parameter.
        path: String,
        /// What the rule expects.
        expected: ParamKind,
        /// What the file declares.
        found: ParamKind,
    },
}

/// The answer to a lookup: the parameter, the entry and the dates asked for.
#[derive(Clone, Debug)]
pub struct Found<'a> {
    /// The parameter.
    pub parameter: &'a Parameter,
    /// The entry that applies.
    pub entry: &'a Entry,
    /// The date asked for.
    pub date: Date,
    /// The knowledge date, if the lookup was as known on a date.
    pub known_at: Option<Date>,
}

/// All parameters of a rule book (baseline, or baseline with reforms).
#[derive(Clone, Debug, Default)]
pub struct ParamSet {
    /// The parameters, sorted by path.
    params: Vec<Parameter>,
    /// Where each path is in `params` (a hash lookup: formulas read parameters on every evaluation).
    index: FxHashMap<String, usize>,
    documents: Documents,
    model: ModelInfo,
    reforms: Vec<String>,
    /// Every distinct `known_from` of any entry, ascending (reforms carry
    /// none, so a reform keeps the baseline's).
    announcements: Vec<Date>,
}

impl ParamSet {
    /// The latest date on which a value became known after it took effect
    /// (`known_from`): knowing the law on or after it is knowing all of it.
    pub fn last_announcement(&self) -> Option<Date> {
        self.announcements.last().copied()
    }

    /// Every date on which a value became known after it took effect,
    /// ascending. Between two of them the law as known does not change.
    pub fn announcements(&self) -> &[Date] {
        &self.announcements
    }

    /// The parameter at `path`.
    pub fn get(&self, path: &str) -> Option<&Parameter> {
        self.index.get(path).map(|&i| &self.params[i])
    }

    /// The parameter at `path`, to change (reforms), with the model it is checked against.
    fn get_mut(&mut self, path: &str) -> Option<(&mut Parameter, &ModelInfo)> {
        self.index.get(path).map(|&i| (&mut self.params[i], &self.model))
    }

    /// All parameters, by path.
    pub fn iter(&self) -> impl Iterator<Item = &Parameter> {
        self.params.iter()
    }

    /// What the rule book covers.
    pub fn model(&self) -> &ModelInfo {
        &self.model
    }

    /// The names of the reforms laid over the baseline, in order.
    pub fn reforms(&self) -> &[String] {
        &self.reforms
    }

    /// The entry of `path` in force on `date`, as the law was known on
    /// `known_at` (full knowledge if `None`). If the entry in force was not yet
    /// known then, the value in force the day before it took effect applies,
    /// as payers applied the law they knew.
    pub fn lookup(&self, path: &str, date: Date, known_at: Option<Date>) -> Result<Found<'_>, ParamError> {
        let parameter = self.get(path).ok_or_else(|| ParamError::Unknown(path.to_string()))?;
        let mut on = date;
        loop {
            let entry =
                parameter.entry_on(on).ok_or_else(|| ParamError::NotCovered { path: path.to_string(), date })?;
            match (entry.known_from, known_at) {
                (Some(known_from), Some(k)) if k < known_from => {
                    on = entry.from.yesterday().map_err(|_| ParamError::NotCovered { path: path.to_string(), date })?;
                }
                _ => return Ok(Found { parameter, entry, date, known_at }),
            }
        }
    }

    /// The parameters whose value (with full knowledge) differs between two
    /// dates, with both values (`None` where not in force or not covered).
    pub fn diff(&self, d1: Date, d2: Date) -> Vec<ParamChange<'_>> {
        self.params
            .iter()
            .filter_map(|p| {
                let before = p.entry_on(d1);
                let after = p.entry_on(d2);
                let value = |e: Option<&Entry>| e.and_then(|e| e.value.clone());
                (value(before) != value(after)).then_some(ParamChange { parameter: p, before, after })
            })
            .collect()
    }

    /// The paths of the parameters whose entries differ from those of `base`
    /// (or that `base` lacks): what a reform changed.
    pub fn changed_from(&self, base: &ParamSet) -> Vec<&str> {
        self.params
            .iter()
            .filter(|p| base.get(&p.path).is_none_or(|b| b.entries != p.entries))
            .map(|p| p.path.as_str())
            .collect()
    }

    /// The paths of the parameters whose value in force (with full knowledge),
    /// or the date it became known, differs from `base`'s on some day from
    /// `first` to `last`: what a reform changes in that period. A reform whose
    /// changes all lie outside the period gives none.
    pub fn changed_within(&self, base: &ParamSet, first: Date, last: Date) -> Vec<&str> {
        fn state(p: Option<&Parameter>, on: Date) -> Option<(&Option<ParamValue>, Option<Date>)> {
            p.and_then(|p| p.entry_on(on)).map(|e| (&e.value, e.known_from))
        }
        self.changed_from(base)
            .into_iter()
            .filter(|path| {
                let (ours, theirs) = (self.get(path), base.get(path));
                // A value can change only on the first day of the period or where an entry starts or ends.
                let mut days = vec![first];
                for p in ours.into_iter().chain(theirs) {
                    for (i, e) in p.entries.iter().enumerate() {
                        days.push(e.from);
                        if let Some(next) = p.effective_end(i).and_then(|end| end.tomorrow().ok()) {
                            days.push(next);
                        }
                    }
                }
                days.into_iter().filter(|d| (first..=last).contains(d)).any(|d| state(ours, d) != state(theirs, d))
            })
            .collect()
    }

    /// The documents cited, by id.
    pub fn documents(&self) -> &Documents {
        &self.documents
    }

    fn from_parts(params: BTreeMap<String, Parameter>, documents: Documents, model: ModelInfo) -> ParamSet {
        let mut announcements: Vec<Date> =
            params.values().flat_map(|p| p.entries.iter().filter_map(|e| e.known_from)).collect();
        announcements.sort_unstable();
        announcements.dedup();
        let index = params.keys().enumerate().map(|(i, path)| (path.clone(), i)).collect();
        let params = params.into_values().collect();
        ParamSet { params, index, documents, model, reforms: Vec::new(), announcements }
    }
}

/// A parameter whose value differs between two dates.
#[derive(Debug)]
pub struct ParamChange<'a> {
    /// The parameter.
    pub parameter: &'a Parameter,
    /// The entry on the first date.
    pub before: Option<&'a Entry>,
    /// The entry on the second date.
    pub after: Option<&'a Entry>,
}

/// One day after `d`, saturating at the end of jiff's range.
fn next_day(d: Date) -> Date {
    d.checked_add(1.day()).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;
    use jiff::civil::date;

    fn entry(from: Date, until: Option<Date>, known_from: Option<Date>, yuan: i64) -> Entry {
        Entry {
            from,
            until,
            known_from,
            value: Some(ParamValue::Amount(Money::from_yuan(yuan))),
            unknown: false,
            supplied_by: Vec::new(),
            citation: None,
            origin: Origin::Baseline,
        }
    }

    fn set(entries: Vec<Entry>) -> ParamSet {
        let p = Parameter {
            path: "x".into(),
            label: Label::default(),
            description: None,
            kind: ParamKind::Amount,
            unit: Unit::Yuan,
            file: "x.yaml".into(),
            domain: Domain::of_unit(Unit::Yuan),
            at_most: None,
            entries,
        };
        let model = ModelInfo {
            covered_from: Some(date(2019, 1, 1)),
            covered_until: Some(date(2026, 12, 31)),
            ..ModelInfo::default()
        };
        ParamSet::from_parts(BTreeMap::from([("x".to_string(), p)]), Documents::new(), model)
    }

    fn amount(s: &ParamSet, on: Date, known: Option<Date>) -> Option<i64> {
        match s.lookup("x", on, known).ok()?.entry.value {
            Some(ParamValue::Amount(m)) => Some(m.fen() / 100),
            _ => None,
        }
    }

    #[test]
    fn lookup_applies_the_law_as_known() {
        let s = set(vec![
            entry(date(2019, 1, 1), None, None, 1000),
            entry(date(2023, 1, 1), None, Some(date(2023, 8, 28)), 2000),
        ]);
        assert_eq!(amount(&s, date(2023, 3, 1), None), Some(2000));
        assert_eq!(amount(&s, date(2023, 3, 1), Some(date(2023, 3, 31))), Some(1000));
        assert_eq!(amount(&s, date(2023, 3, 1), Some(date(2023, 8, 31))), Some(2000));
        assert_eq!(amount(&s, date(2018, 12, 31), None), None);
    }

    #[test]
    fn a_reform_replaces_a_span_and_keeps_what_surrounds_it() {
        let base = set(vec![entry(date(2019, 1, 1), None, None, 1000), entry(date(2023, 1, 1), None, None, 2000)]);
        let reform: Reform = serde_saphyr::from_str(
            "name: r\nlabel: {zh: 改, en: r}\nchanges:\n  - {parameter: x, from: 2022-07-01, until: 2023-06-30, amount: 5000}\n",
        )
        .unwrap();
        let r = reform.apply(&base).unwrap();
        assert_eq!(amount(&r, date(2022, 6, 30), None), Some(1000));
        assert_eq!(amount(&r, date(2022, 7, 1), None), Some(5000));
        assert_eq!(amount(&r, date(2023, 6, 30), None), Some(5000));
        assert_eq!(amount(&r, date(2023, 7, 1), None), Some(2000));
        assert_eq!(amount(&base, date(2022, 7, 1), None), Some(1000), "the baseline is untouched");
        assert_eq!(r.get("x").unwrap().entries[1].origin, Origin::Reform("r".into()));
        assert_eq!(r.changed_from(&base), vec!["x"]);
        assert!(base.changed_from(&base).is_empty());
        assert_eq!(r.diff(date(2022, 6, 30), date(2022, 7, 1)).len(), 1);
        let year = |y: i16| r.changed_within(&base, date(y, 1, 1), date(y, 12, 31));
        assert!(year(2021).is_empty(), "the reform starts in July 2022");
        assert_eq!(year(2022), vec!["x"]);
        assert_eq!(year(2023), vec!["x"]);
        assert!(year(2024).is_empty(), "the reform ends in June 2023");
        assert_eq!(r.changed_within(&base, date(2023, 6, 30), date(2023, 6, 30)), vec!["x"], "its last day");
        assert!(r.changed_within(&base, date(2023, 7, 1), date(2023, 7, 31)).is_empty(), "the day after");
    }

    #[test]
    fn an_open_ended_reform_inside_one_entry_keeps_its_start() {
        let base = set(vec![entry(date(2019, 1, 1), None, None, 1000)]);
        let reform: Reform = serde_saphyr::from_str(
            "name: r\nlabel: {zh: 改, en: r}\nchanges:\n  - {parameter: x, from: 2024-01-01, amount: 7000}\n",
        )
        .unwrap();
        let r = reform.apply(&base).unwrap();
        assert_eq!(amount(&r, date(2023, 12, 31), None), Some(1000));
        assert_eq!(amount(&r, date(2026, 12, 31), None), Some(7000));
    }
}
