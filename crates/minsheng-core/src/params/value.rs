//! Typed parameter values.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::money::Money;
use crate::rate::Rate;
use crate::scale::Scale;

/// The type of a parameter, declared in its file as `type:`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamKind {
    /// An amount of money.
    Amount,
    /// A rate.
    Rate,
    /// A whole number (months, persons).
    Count,
    /// Yes or no: whether an option of the law is available.
    Flag,
    /// A bracket scale with quick deductions.
    Scale,
    /// Amounts keyed by a category (city tier, hospital level).
    Table,
    /// Whole numbers keyed by a category (months by age).
    Counts,
    /// Rates keyed by a category (work-injury rates by industry class).
    Rates,
}

impl fmt::Display for ParamKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParamKind::Amount => "amount",
            ParamKind::Rate => "rate",
            ParamKind::Count => "count",
            ParamKind::Flag => "flag",
            ParamKind::Scale => "scale",
            ParamKind::Table => "table",
            ParamKind::Counts => "counts",
            ParamKind::Rates => "rates",
        })
    }
}

/// The unit a parameter is expressed in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Yuan, once.
    Yuan,
    /// Yuan per month.
    YuanPerMonth,
    /// Yuan per year.
    YuanPerYear,
    /// A fraction (0.03 = 3%).
    Ratio,
    /// A number of months.
    Months,
    /// A number of persons.
    Persons,
    /// A number of years (an age).
    Years,
    /// A calendar year (2030).
    CalendarYear,
    /// Decimal places a figure is rounded to.
    Decimals,
    /// Yes or no.
    Boolean,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unit::Yuan => "yuan",
            Unit::YuanPerMonth => "yuan/month",
            Unit::YuanPerYear => "yuan/year",
            Unit::Ratio => "ratio",
            Unit::Months => "months",
            Unit::Persons => "persons",
            Unit::Years => "years",
            Unit::CalendarYear => "calendar year",
            Unit::Decimals => "decimals",
            Unit::Boolean => "yes/no",
        })
    }
}

/// A parameter's value on one date.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// An amount.
    Amount(Money),
    /// A rate.
    Rate(Rate),
    /// A whole number.
    Count(i64),
    /// Yes or no.
    Flag(bool),
    /// A scale.
    Scale(Arc<Scale>),
    /// Amounts by category.
    Table(Arc<BTreeMap<String, Money>>),
    /// Whole numbers by category.
    Counts(Arc<BTreeMap<String, i64>>),
    /// Rates by category.
    Rates(Arc<BTreeMap<String, Rate>>),
}

impl ParamValue {
    /// The kind of this value.
    pub fn kind(&self) -> ParamKind {
        match self {
            ParamValue::Amount(_) => ParamKind::Amount,
            ParamValue::Rate(_) => ParamKind::Rate,
            ParamValue::Count(_) => ParamKind::Count,
            ParamValue::Flag(_) => ParamKind::Flag,
            ParamValue::Scale(_) => ParamKind::Scale,
            ParamValue::Table(_) => ParamKind::Table,
            ParamValue::Counts(_) => ParamKind::Counts,
            ParamValue::Rates(_) => ParamKind::Rates,
        }
    }
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Amount(m) => f.write_str(&m.grouped()),
            ParamValue::Rate(r) => r.fmt(f),
            ParamValue::Count(n) => n.fmt(f),
            ParamValue::Flag(b) => f.write_str(if *b { "yes" } else { "no" }),
            ParamValue::Scale(s) => s.fmt(f),
            ParamValue::Table(t) => {
                for (i, (k, v)) in t.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{k}: {}", v.grouped())?;
                }
                Ok(())
            }
            ParamValue::Rates(t) => {
                for (i, (k, v)) in t.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                Ok(())
            }
            ParamValue::Counts(t) => {
                for (i, (k, v)) in t.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                Ok(())
            }
        }
    }
}
