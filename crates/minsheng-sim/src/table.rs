//! Result tables: per-household and per-person results as named, typed
//! columns. The CSV writer here and the Parquet writer of `parquet_io` both
//! take a [`Table`], so the two formats carry the same columns and values.

use std::fmt::Write;

use minsheng_core::Money;

use crate::run::{HouseholdResult, Outcome, PersonOutcome, Programme};

/// One column's values.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// Whole numbers: ids, sizes, ages.
    Count(Vec<u64>),
    /// Weights (households or persons represented).
    Weight(Vec<f64>),
    /// Yes or no (`1`/`0` in CSV).
    Flag(Vec<bool>),
    /// Words from a closed list.
    Word(Vec<&'static str>),
    /// Amounts in fen, written as yuan with two decimals.
    Amount(Vec<i64>),
}

impl Column {
    fn cell(&self, row: usize, out: &mut String) {
        let _ = match self {
            Column::Count(v) => write!(out, "{}", v[row]),
            Column::Weight(v) => write!(out, "{}", v[row]),
            Column::Flag(v) => write!(out, "{}", u8::from(v[row])),
            Column::Word(v) => write!(out, "{}", v[row]),
            Column::Amount(v) => write!(out, "{}", Money::from_fen(v[row])),
        };
    }
}

/// Named columns of equal length.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The columns, in order.
    pub columns: Vec<(String, Column)>,
    /// The number of rows.
    pub rows: usize,
}

impl Table {
    /// The table as CSV, with a header line.
    pub fn to_csv(&self) -> String {
        let mut out = self.csv_header();
        out.push_str(&self.csv_rows());
        out
    }

    /// The CSV header line.
    pub fn csv_header(&self) -> String {
        let mut out = self.columns.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(",");
        out.push('\n');
        out
    }

    /// The rows as CSV lines, without the header (for a table written a batch at a time).
    pub fn csv_rows(&self) -> String {
        let mut out = String::new();
        for row in 0..self.rows {
            for (i, (_, column)) in self.columns.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                column.cell(row, &mut out);
            }
            out.push('\n');
        }
        out
    }
}

/// An amount column written per scenario: its name and how to read the figure (fen).
type AmountColumn<T> = (&'static str, fn(&T) -> i64);

/// A household's amounts written per scenario.
const HOUSEHOLD_AMOUNTS: [AmountColumn<Outcome>; 4] = [
    ("disposable_income", |o| o.disposable),
    ("other_income", |o| o.other),
    ("income_tax", |o| o.programmes[Programme::IncomeTax]),
    ("dibao", |o| o.programmes[Programme::Dibao]),
];

/// A person's amounts written per scenario.
const PERSON_AMOUNTS: [AmountColumn<PersonOutcome>; 5] = [
    ("market_income", |p| p.market),
    ("income_tax", |p| p.income_tax),
    ("contributions", |p| p.contributions),
    ("benefits", |p| p.benefits),
    ("disposable_income", |p| p.disposable),
];

/// One row per household: its number, weight, size, area, the imputed
/// transfers (the same in every scenario, not in the disposable income the
/// rules compute) and, per scenario, disposable income, other income
/// (business, informal and flexible earnings, property income), income tax
/// and 低保: a household's disposable income is its persons' plus its other
/// income plus its 低保.
pub fn households(scenarios: &[String], results: &[HouseholdResult]) -> Table {
    let mut columns = vec![
        ("household".to_string(), Column::Count((0..results.len() as u64).collect())),
        ("weight".to_string(), Column::Weight(results.iter().map(|r| r.weight).collect())),
        ("size".to_string(), Column::Count(results.iter().map(|r| u64::from(r.size)).collect())),
        ("urban".to_string(), Column::Flag(results.iter().map(|r| r.urban).collect())),
        ("imputed_transfers".to_string(), Column::Amount(results.iter().map(|r| r.imputed_transfers).collect())),
    ];
    for (s, scenario) in scenarios.iter().enumerate() {
        for (what, amount) in HOUSEHOLD_AMOUNTS {
            let values = results.iter().map(|r| r.outcomes.get(s).map_or(0, amount)).collect();
            columns.push((format!("{what}[{scenario}]"), Column::Amount(values)));
        }
    }
    Table { columns, rows: results.len() }
}

/// One row per person of the households kept with their members: the
/// household's number and weight, the person's number in it, age, sex,
/// area and activity, and per scenario the person's statement.
pub fn persons(scenarios: &[String], results: &[HouseholdResult]) -> Table {
    let rows: Vec<(usize, usize)> =
        results.iter().enumerate().flat_map(|(h, r)| (0..r.members.len()).map(move |p| (h, p))).collect();
    let member = |&(h, p): &(usize, usize)| &results[h].members[p];
    let mut columns = vec![
        ("household".to_string(), Column::Count(rows.iter().map(|(h, _)| *h as u64).collect())),
        ("person".to_string(), Column::Count(rows.iter().map(|(_, p)| *p as u64).collect())),
        ("weight".to_string(), Column::Weight(rows.iter().map(|(h, _)| results[*h].weight).collect())),
        ("age".to_string(), Column::Count(rows.iter().map(|r| u64::from(member(r).age)).collect())),
        ("sex".to_string(), Column::Word(rows.iter().map(|r| if member(r).male { "M" } else { "F" }).collect())),
        ("urban".to_string(), Column::Flag(rows.iter().map(|(h, _)| results[*h].urban).collect())),
        ("activity".to_string(), Column::Word(rows.iter().map(|r| member(r).activity).collect())),
    ];
    for (s, scenario) in scenarios.iter().enumerate() {
        for (what, amount) in PERSON_AMOUNTS {
            let values = rows
                .iter()
                .map(|&(h, p)| results[h].outcomes.get(s).and_then(|o| o.persons.get(p)).map_or(0, amount))
                .collect();
            columns.push((format!("{what}[{scenario}]"), Column::Amount(values)));
        }
    }
    Table { columns, rows: rows.len() }
}
