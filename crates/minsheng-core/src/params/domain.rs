//! The domain of a parameter's values (取值范围): the least and greatest value
//! a rule can take, from the parameter's unit (a ratio lies in [0, 1], an age
//! in years in [0, 120], an amount is not negative) or written in its file
//! (`domain: {min: 1}` for a divisor, `{max: 5}` for a multiple given as a
//! ratio), and the relations between parameters
//! (`at_most: …`, a floor never above its ceiling). They are checked when the
//! rule book, a rules folder or a reform loads, so no value outside them
//! reaches a formula.

use rust_decimal::Decimal;

use super::value::{ParamValue, Unit};
use super::{Entry, ParamSet, Parameter};

/// The least and greatest value a parameter may take (each row of a table,
/// each rate of a scale).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// The least value allowed.
    #[serde(default)]
    pub min: Option<Decimal>,
    /// The greatest value allowed.
    #[serde(default)]
    pub max: Option<Decimal>,
}

impl Domain {
    /// What every parameter of `unit` may take, before its file narrows it.
    pub fn of_unit(unit: Unit) -> Domain {
        let (min, max): (i64, Option<i64>) = match unit {
            Unit::Ratio => (0, Some(1)),
            Unit::Years => (0, Some(120)),
            Unit::Months => (0, Some(1_440)),
            Unit::CalendarYear => (1_900, Some(2_200)),
            Unit::Persons => (0, Some(1_000_000)),
            Unit::Decimals => (0, Some(10)),
            Unit::Yuan | Unit::YuanPerMonth | Unit::YuanPerYear => (0, Some(crate::money::MAX_INPUT_YUAN)),
            Unit::Boolean => return Domain::default(),
        };
        Domain { min: Some(Decimal::from(min)), max: max.map(Decimal::from) }
    }

    /// This domain with the bounds that `other` (the file's own) gives in
    /// place of the unit's: narrower (a divisor of at least 1), or, for a
    /// ratio that is a multiple (three times the average wage), wider.
    pub fn narrowed(self, other: Domain) -> Result<Domain, String> {
        let (min, max) = (other.min.or(self.min), other.max.or(self.max));
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            return Err(format!("`domain.min` {lo} is above `domain.max` {hi}"));
        }
        Ok(Domain { min, max })
    }

    /// Checks one number; the error says which bound it breaks.
    fn check(&self, what: &str, v: Decimal) -> Result<(), String> {
        if let Some(min) = self.min
            && v < min
        {
            return Err(format!("{what} {v} is below the least value allowed, {min}"));
        }
        if let Some(max) = self.max
            && v > max
        {
            return Err(format!("{what} {v} is above the greatest value allowed, {max}"));
        }
        Ok(())
    }

    /// Checks every number of a value: an amount, a rate, a count, each row
    /// of a table, and each rate of a scale (which lies in [0, 1] whatever the
    /// scale's unit, its thresholds and quick deductions not negative).
    pub fn check_value(&self, value: &ParamValue) -> Result<(), String> {
        match value {
            ParamValue::Amount(m) => self.check("the amount", m.to_decimal()),
            ParamValue::Rate(r) => self.check("the rate", r.to_decimal()),
            ParamValue::Count(n) => self.check("the count", Decimal::from(*n)),
            ParamValue::Flag(_) => Ok(()),
            ParamValue::Table(t) => t.iter().try_for_each(|(k, m)| self.check(&format!("row `{k}`"), m.to_decimal())),
            ParamValue::Counts(t) => {
                t.iter().try_for_each(|(k, n)| self.check(&format!("row `{k}`"), Decimal::from(*n)))
            }
            ParamValue::Rates(t) => t.iter().try_for_each(|(k, r)| self.check(&format!("row `{k}`"), r.to_decimal())),
            ParamValue::Scale(s) => {
                let rates = Domain::of_unit(Unit::Ratio);
                for (i, b) in s.brackets().iter().enumerate() {
                    rates.check(&format!("the rate of bracket {}", i + 1), b.rate.to_decimal())?;
                    self.check(&format!("the quick deduction of bracket {}", i + 1), b.quick_deduction.to_decimal())?;
                    if let Some(up_to) = b.up_to {
                        self.check(&format!("the top of bracket {}", i + 1), up_to.to_decimal())?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// Checks every entry of `param` against its domain.
pub(super) fn check_entries(param: &Parameter) -> Result<(), String> {
    for e in &param.entries {
        if let Some(v) = &e.value {
            param.domain.check_value(v).map_err(|m| format!("the value from {}: {m}", e.from))?;
        }
    }
    Ok(())
}

/// A single number of a value, for comparing two parameters.
fn number(v: &ParamValue) -> Option<Decimal> {
    match v {
        ParamValue::Amount(m) => Some(m.to_decimal()),
        ParamValue::Rate(r) => Some(r.to_decimal()),
        ParamValue::Count(n) => Some(Decimal::from(*n)),
        _ => None,
    }
}

/// Checks the relations of the set: every parameter declaring `at_most:
/// other` is at most `other` on every day both are in force. Returns the
/// first parameter that breaks one, and why.
pub(super) fn check_relations(set: &ParamSet) -> Result<(), (String, String)> {
    for p in set.iter() {
        let Some(other_path) = &p.at_most else { continue };
        let Some(other) = set.get(other_path) else {
            return Err((p.path.clone(), format!("`at_most` names `{other_path}`, which is not a parameter")));
        };
        // A value can change only where an entry of either starts.
        let days = p.entries.iter().chain(&other.entries).map(|e: &Entry| e.from);
        for day in days {
            let (Some(a), Some(b)) = (p.entry_on(day), other.entry_on(day)) else { continue };
            if let (Some(x), Some(y)) = (a.value.as_ref().and_then(number), b.value.as_ref().and_then(number))
                && x > y
            {
                return Err((
                    p.path.clone(),
                    format!("on {day} it is {x}, above `{other_path}` ({y}): it is at most that"),
                ));
            }
        }
    }
    Ok(())
}
