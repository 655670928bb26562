//! Values of variables (inputs and computed figures).

use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::money::Money;
use crate::period::Month;
use crate::rate::Rate;

/// The type of a variable's values.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// An amount of money, never negative when given as input.
    Money,
    /// A whole number, never negative when given as input.
    Count,
    /// Yes or no.
    Bool,
    /// One of a closed list of words.
    Choice(&'static [&'static str]),
    /// Free text, such as the name of an employer.
    Text,
    /// A calendar date.
    Date,
    /// A calendar month.
    Month,
    /// Shares held by persons of the situation, in whole percent.
    Shares,
    /// An exact decimal number that is not money: an index, a divisor.
    Number,
    /// Amounts by category, the categories from a closed list (a deductible by hospital level).
    AmountsBy(&'static [&'static str]),
    /// Rates by category, from a closed list (a reimbursement rate by hospital level).
    RatesBy(&'static [&'static str]),
    /// Rates by tier: each rate applies from an amount up to the next tier's.
    RateTiers,
    /// A record by calendar year: for each year given, figures in the
    /// columns of a closed list (a career: each year's contribution base and
    /// months).
    ByYear(&'static [Column]),
}

/// A column of a record by year ([`ValueType::ByYear`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The column's name in situations (`base`, `months`).
    pub name: &'static str,
    /// What the column holds.
    pub kind: ColumnKind,
    /// What it is, in Chinese.
    pub label_zh: &'static str,
    /// What it is, in English.
    pub label_en: &'static str,
}

/// What a [`Column`] holds; each is read as an exact decimal.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// Yuan, not negative, to the fen.
    Money,
    /// Months of a year, a whole number from 0 to 12.
    Months,
    /// A rate from 0 to 1.
    Rate,
}

impl ColumnKind {
    /// The kind's name in the JSON schema.
    pub fn name(self) -> &'static str {
        match self {
            ColumnKind::Money => "money",
            ColumnKind::Months => "months",
            ColumnKind::Rate => "rate",
        }
    }
}

/// One year of a record by year: the figures given, by column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearRow {
    /// The calendar year.
    pub year: i32,
    /// The figures given, by column name; a column not given is absent.
    pub cells: Arc<[(&'static str, Decimal)]>,
}

impl YearRow {
    /// The figure of column `name`, `None` where not given.
    pub fn get(&self, name: &str) -> Option<Decimal> {
        self.cells.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }
}

impl ValueType {
    /// The type's name in the JSON schema (`money`, `count`, `choice`, …).
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Money => "money",
            ValueType::Count => "count",
            ValueType::Bool => "boolean",
            ValueType::Choice(_) => "choice",
            ValueType::Text => "text",
            ValueType::Date => "date",
            ValueType::Month => "month",
            ValueType::Shares => "shares",
            ValueType::Number => "number",
            ValueType::AmountsBy(_) => "amounts_by",
            ValueType::RatesBy(_) => "rates_by",
            ValueType::RateTiers => "rate_tiers",
            ValueType::ByYear(_) => "by_year",
        }
    }

    /// The words a value may take (a choice) or the categories it is given
    /// by (amounts or rates by category); empty for other types.
    pub fn allowed(self) -> &'static [&'static str] {
        match self {
            ValueType::Choice(options) | ValueType::AmountsBy(options) | ValueType::RatesBy(options) => options,
            _ => &[],
        }
    }

    /// The unit shown beside values of this type.
    pub fn unit(self) -> &'static str {
        match self {
            ValueType::Money => "yuan",
            ValueType::Count => "count",
            ValueType::Bool => "yes/no",
            ValueType::Choice(_) => "choice",
            ValueType::Text => "text",
            ValueType::Date => "date",
            ValueType::Month => "month",
            ValueType::Shares => "percent by person",
            ValueType::Number => "number",
            ValueType::AmountsBy(_) => "yuan by category",
            ValueType::RatesBy(_) => "rate by category",
            ValueType::RateTiers => "rate by tier",
            ValueType::ByYear(_) => "record by year",
        }
    }
}

/// Rates by tier: (amount the tier starts from, rate), ascending.
pub type Tiers = Arc<[(Money, Rate)]>;

/// A value of a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// An amount.
    Money(Money),
    /// A whole number.
    Count(i64),
    /// Yes or no.
    Bool(bool),
    /// A word from a closed list.
    Choice(&'static str),
    /// Free text.
    Text(Arc<str>),
    /// A date.
    Date(Date),
    /// A month.
    Month(Month),
    /// Shares: (person index in the situation, share).
    Shares(Arc<[(usize, Rate)]>),
    /// An exact decimal number.
    Number(Decimal),
    /// Amounts by category.
    AmountsBy(Arc<[(&'static str, Money)]>),
    /// Rates by category.
    RatesBy(Arc<[(&'static str, Rate)]>),
    /// Rates by tier, ascending by the amount each starts from.
    RateTiers(Tiers),
    /// A record by year, ascending by year, each year once.
    ByYear(Arc<[YearRow]>),
    /// No value: an optional input that was not given.
    Absent,
    /// A figure that cannot be computed: something it needs is not known.
    Unknown(Arc<crate::unknown::Unknown>),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Money(m) => f.write_str(&m.grouped()),
            Value::Count(n) => n.fmt(f),
            Value::Bool(b) => f.write_str(if *b { "yes" } else { "no" }),
            Value::Choice(c) => f.write_str(c),
            Value::Text(t) => f.write_str(t),
            Value::Date(d) => d.fmt(f),
            Value::Month(m) => m.fmt(f),
            Value::Shares(s) => {
                for (i, (p, r)) in s.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "#{p}: {r}")?;
                }
                Ok(())
            }
            Value::Number(d) => d.normalize().fmt(f),
            Value::AmountsBy(t) => {
                let parts: Vec<String> = t.iter().map(|(k, v)| format!("{k}: {}", v.grouped())).collect();
                f.write_str(&parts.join(", "))
            }
            Value::RatesBy(t) => {
                let parts: Vec<String> = t.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                f.write_str(&parts.join(", "))
            }
            Value::RateTiers(t) => {
                let parts: Vec<String> = t.iter().map(|(from, r)| format!("from {}: {r}", from.grouped())).collect();
                f.write_str(&parts.join("; "))
            }
            Value::ByYear(rows) => {
                for (i, row) in rows.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{}:", row.year)?;
                    for (k, v) in row.cells.iter() {
                        write!(f, " {k} {}", v.normalize())?;
                    }
                }
                Ok(())
            }
            Value::Absent => f.write_str("(not given)"),
            Value::Unknown(_) => f.write_str("unknown 未知"),
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Money(m) => m.serialize(s),
            Value::Count(n) => s.serialize_i64(*n),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Choice(c) => s.serialize_str(c),
            Value::Text(t) => s.serialize_str(t),
            Value::Date(d) => s.collect_str(d),
            Value::Month(m) => s.collect_str(m),
            Value::Shares(_) | Value::AmountsBy(_) | Value::RatesBy(_) | Value::RateTiers(_) | Value::ByYear(_) => {
                s.collect_str(self)
            }
            Value::Number(d) => s.collect_str(&d.normalize()),
            Value::Absent | Value::Unknown(_) => s.serialize_none(),
        }
    }
}
