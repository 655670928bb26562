//! The law as last known, carried forward (沿用最新已知政策): for a span the
//! rule book does not know yet (a projection, or a payroll month before its
//! notice), each value marked unknown takes the last value the rule book
//! knows for it, or, for a parameter indexed by rule (the average wage that
//! sets contribution bounds), that value raised by a stated growth a year.
//! Every value so filled says so: its origin is
//! [`Origin::CarriedForward`] and the list returned names it.

use jiff::civil::Date;

use super::{Entry, Origin, ParamSet, ParamValue, next_day};
use crate::{Money, Rate};

/// One value carried forward.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Carried {
    /// The parameter.
    pub path: String,
    /// The first and last day the carried value now covers.
    pub from: Date,
    pub until: Date,
    /// The day the value carried took effect (the last the rule book knows).
    pub known_since: Date,
    /// For an indexed parameter: the growth a year it was raised by, and the years.
    pub raised: Option<(Rate, i64)>,
    /// The value now in force.
    pub value: ParamValue,
}

impl ParamSet {
    /// This set with every value unknown between `first` and `last` carried
    /// forward from the last known one (amounts of parameters matching an
    /// `indexed` pattern raised by its growth for each year between the two
    /// entries' starts, to the yuan), and the list of what was carried. A
    /// value with no known one before it stays unknown; outside the span
    /// nothing changes.
    ///
    /// # Example
    ///
    /// ```
    /// use minsheng_core::params::{RuleFile, load_rules};
    /// let files = vec![
    ///     RuleFile { path: "sources.yaml".into(), text: "d: {number: X, title: T, title_en: T, confidence: high}".into() },
    ///     RuleFile { path: "model.yaml".into(), text: "name: {zh: 测试, en: Test}\ncovered_from: 2024-01-01\ncovered_until: 2026-12-31".into() },
    ///     RuleFile { path: "params/a.yaml".into(), text: "w:\n  label: {zh: 工资, en: Wage}\n  type: amount\n  unit: yuan_per_year\n  values:\n    - {from: 2024-01-01, amount: 100000, source: {document: d}}\n    - {from: 2026-01-01, unknown: true, source: {document: d}}\n".into() },
    /// ];
    /// let params = load_rules(&files).unwrap();
    /// let first = jiff::civil::date(2026, 1, 1);
    /// let growth = minsheng_core::Rate::from_percent(3);
    /// let (carried, list) = params.carried_forward(first, jiff::civil::date(2026, 12, 31), &[("a.w", growth)]);
    /// let found = carried.lookup("a.w", first, None).unwrap();
    /// assert_eq!(found.entry.value, Some(minsheng_core::params::ParamValue::Amount(minsheng_core::Money::from_yuan(106090))));
    /// assert_eq!(list[0].raised, Some((growth, 2)));
    /// ```
    pub fn carried_forward(&self, first: Date, last: Date, indexed: &[(&str, Rate)]) -> (ParamSet, Vec<Carried>) {
        let mut set = self.clone();
        let mut carried = Vec::new();
        for param in &mut set.params {
            let growth = indexed.iter().find(|(p, _)| crate::variable::matches_path(p, &param.path)).map(|(_, g)| *g);
            let mut entries: Vec<Entry> = Vec::with_capacity(param.entries.len() + 2);
            let mut last_known: Option<Entry> = None;
            for (i, e) in param.entries.iter().enumerate() {
                let end = param.effective_end(i);
                let (from, until) = (e.from.max(first), end.map_or(last, |end| end.min(last)));
                let Some(known) = last_known.as_ref().filter(|_| e.unknown && from <= until) else {
                    if e.value.is_some() && !e.unknown {
                        last_known = Some(e.clone());
                    }
                    entries.push(e.clone());
                    continue;
                };
                let Some(known_value) = known.value.clone() else {
                    entries.push(e.clone());
                    continue;
                };
                if e.from < from {
                    entries.push(Entry { until: from.yesterday().ok(), ..e.clone() });
                }
                // An indexed amount rises once a year, on the anniversary of the unknown entry's start
                // (a contribution year); anything else holds its value over the whole span.
                let years = i64::from(e.from.year() - known.from.year()).max(1);
                let mut k = 0;
                let mut start = e.from;
                while start <= until {
                    let next = match growth {
                        Some(_) => start.checked_add(jiff::Span::new().years(1)).unwrap_or(Date::MAX),
                        None => Date::MAX,
                    };
                    let (seg_from, seg_until) = (start.max(from), next.yesterday().unwrap_or(until).min(until));
                    if seg_from <= seg_until {
                        let (value, raised) = match (&known_value, growth) {
                            (ParamValue::Amount(m), Some(g)) => {
                                (ParamValue::Amount(raise(*m, g, years + k)), Some((g, years + k)))
                            }
                            (v, _) => (v.clone(), None),
                        };
                        entries.push(Entry {
                            from: seg_from,
                            until: Some(seg_until),
                            known_from: None,
                            value: Some(value.clone()),
                            unknown: false,
                            supplied_by: Vec::new(),
                            citation: known.citation.clone(),
                            origin: Origin::CarriedForward(known.from),
                        });
                        carried.push(Carried {
                            path: param.path.clone(),
                            from: seg_from,
                            until: seg_until,
                            known_since: known.from,
                            raised,
                            value,
                        });
                    }
                    k += 1;
                    start = next;
                }
                if end.is_none_or(|end| end > until) {
                    entries.push(Entry { from: next_day(until), ..e.clone() });
                }
            }
            param.entries = entries;
        }
        (set, carried)
    }
}

/// `m` raised by `growth` a year for `years` years, to the yuan.
fn raise(m: Money, growth: Rate, years: i64) -> Money {
    let factor = Rate::ONE.plus(growth);
    let fen = (0..years).fold(m, |v, _| v.mul_rate(factor)).fen();
    // Half away from zero, as 四舍五入.
    Money::from_fen((fen + fen.signum() * 50) / 100 * 100)
}
