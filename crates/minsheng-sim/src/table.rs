//! Result tables: per-household and per-person results as named, typed
//! columns, each with its unit and labels. The CSV writer here and the
//! Parquet writer of `parquet_io` both take a [`Table`], so the two formats
//! carry the same columns and values.
//!
//! A table is wide (one row per household or person, a column per figure
//! and scenario: `income_tax[baseline]`) or long (one row per household or
//! person and scenario, the scenario a column: tidy data for a group-by).
//! Numbers are exact by default: amounts are whole fen, written as yuan with
//! two decimals (`Decimal128(18, 2)` in Parquet), and weights are written to
//! 10⁻⁹ (`Decimal128(19, 9)`), so that an amount times a weight is exact in
//! pandas, polars and DuckDB alike without a cast; or floating (`Float64`
//! yuan and weights), for plotting.

use std::fmt::Write;
use std::sync::Arc;

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
    /// Names given by the user (the scenario of a long table).
    Text(Vec<Arc<str>>),
    /// Amounts in fen, written as yuan with two decimals.
    Amount(Vec<i64>),
}

/// The decimals a weight is written with in exact numbers.
pub const WEIGHT_DECIMALS: u32 = 9;

/// A weight in units of 10⁻⁹, as exact numbers write it.
pub fn weight_units(w: f64) -> i128 {
    (w * 10f64.powi(WEIGHT_DECIMALS as i32)).round() as i128
}

impl Column {
    fn cell(&self, row: usize, numbers: Numbers, out: &mut String) {
        let _ = match self {
            Column::Count(v) => write!(out, "{}", v[row]),
            Column::Weight(v) => match numbers {
                Numbers::Exact => {
                    write!(
                        out,
                        "{}",
                        rust_decimal::Decimal::from_i128_with_scale(weight_units(v[row]), WEIGHT_DECIMALS).normalize()
                    )
                }
                Numbers::Float => write!(out, "{}", v[row]),
            },
            Column::Flag(v) => write!(out, "{}", u8::from(v[row])),
            Column::Word(v) => write!(out, "{}", v[row]),
            Column::Text(v) => write!(out, "{}", v[row]),
            Column::Amount(v) => write!(out, "{}", Money::from_fen(v[row])),
        };
    }
}

/// How a table is laid out: a column per scenario, or a row per scenario.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shape {
    /// One row per household or person; `name[scenario]` columns.
    #[default]
    Wide,
    /// One row per household or person and scenario, with a `scenario` column.
    Long,
}

/// How numbers are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Numbers {
    /// Amounts as exact yuan to the fen, weights to 10⁻⁹.
    #[default]
    Exact,
    /// Amounts and weights as 64-bit floats (yuan), for plotting.
    Float,
}

/// What a column holds: its unit, labels and (in a wide table) its scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnMeta {
    /// `yuan`, `persons`, `households`, `years`, `flag`, `id` or `word`.
    pub unit: &'static str,
    pub label_zh: &'static str,
    pub label_en: &'static str,
    /// The period the figure covers (`2024`: the calendar year), where it has one.
    pub period: Option<String>,
    /// The scenario of a wide table's figure.
    pub scenario: Option<String>,
}

/// One named column with what it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    pub name: String,
    pub column: Column,
    pub meta: ColumnMeta,
}

/// Which table, for which run, laid out how.
#[derive(Clone, Copy, Debug)]
pub struct Spec<'a> {
    /// The year of the run.
    pub year: i32,
    /// The scenarios, baseline first.
    pub scenarios: &'a [String],
    pub shape: Shape,
    pub numbers: Numbers,
    /// The number of the first household: a table written a batch at a time
    /// numbers its households on from the batches before.
    pub first_household: u64,
}

impl<'a> Spec<'a> {
    /// A wide table of exact numbers for `year`'s `scenarios`, its households numbered from 0.
    pub fn new(year: i32, scenarios: &'a [String]) -> Spec<'a> {
        Spec { year, scenarios, shape: Shape::Wide, numbers: Numbers::Exact, first_household: 0 }
    }
}

/// Named columns of equal length.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// `households` or `persons`.
    pub kind: &'static str,
    /// The year of the run.
    pub year: i32,
    /// The scenarios, baseline first.
    pub scenarios: Vec<String>,
    pub shape: Shape,
    pub numbers: Numbers,
    /// The columns, in order.
    pub columns: Vec<Named>,
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
        let mut out = self.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(",");
        out.push('\n');
        out
    }

    /// The rows as CSV lines, without the header (for a table written a batch at a time).
    pub fn csv_rows(&self) -> String {
        let mut out = String::new();
        for row in 0..self.rows {
            for (i, c) in self.columns.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                c.column.cell(row, self.numbers, &mut out);
            }
            out.push('\n');
        }
        out
    }

    /// What the table is, for a file's metadata: kind, year, scenarios, shape and numbers.
    pub fn about(&self) -> serde_json::Value {
        serde_json::json!({
            "schema": "minsheng.results/1",
            "table": self.kind,
            "year": self.year,
            "scenarios": self.scenarios,
            "shape": match self.shape { Shape::Wide => "wide", Shape::Long => "long" },
            "numbers": match self.numbers { Numbers::Exact => "exact", Numbers::Float => "float" },
            "amounts": match self.numbers {
                Numbers::Exact => "yuan, exact to the fen (Decimal128(18, 2))",
                Numbers::Float => "yuan (Float64)",
            },
            "weights": match self.numbers {
                Numbers::Exact => "persons or households represented, to 1e-9 (Decimal128(19, 9))",
                Numbers::Float => "persons or households represented (Float64)",
            },
        })
    }
}

/// A column of the table's fixed part (the same in every scenario).
fn fixed(name: &str, column: Column, (unit, zh, en): (&'static str, &'static str, &'static str)) -> Named {
    Named {
        name: name.to_string(),
        column,
        meta: ColumnMeta { unit, label_zh: zh, label_en: en, period: None, scenario: None },
    }
}

/// The rows of a long table: every row of the wide one under each scenario in turn.
fn by_scenario<T: Copy>(rows: &[T], scenarios: usize) -> Vec<(usize, T)> {
    (0..scenarios).flat_map(|s| rows.iter().map(move |r| (s, *r))).collect()
}

/// An amount column written per scenario: its name, labels and how to read
/// the figure (fen) from the scenario's outcome and the row's earnings
/// outside wages (a person's own; none for a household, whose other income
/// holds them).
type AmountColumn<T> = (&'static str, &'static str, &'static str, fn(&T, i64) -> i64);

/// A household's amounts written per scenario.
const HOUSEHOLD_AMOUNTS: [AmountColumn<Outcome>; 4] = [
    ("disposable_income", "家庭可支配收入", "Household disposable income", |o, _| o.disposable),
    (
        "other_income",
        "其他收入（经营、非正规与灵活就业、财产）",
        "Other income (business, informal and flexible work, property)",
        |o, _| o.other,
    ),
    ("income_tax", "个人所得税", "Income tax", |o, _| o.programmes[Programme::IncomeTax]),
    ("dibao", "低保金", "Dibao", |o, _| o.programmes[Programme::Dibao]),
];

/// A person's amounts written per scenario: the rules' statement, with the
/// person's earnings outside wages in market and disposable income.
const PERSON_AMOUNTS: [AmountColumn<PersonOutcome>; 5] = [
    (
        "market_income",
        "市场收入（工资及经营、灵活就业等收入）",
        "Market income (wages, business, flexible work)",
        |p, earned| p.market + earned,
    ),
    ("income_tax", "个人所得税", "Income tax", |p, _| p.income_tax),
    ("contributions", "个人缴费", "Contributions paid", |p, _| p.contributions),
    ("benefits", "转移收入", "Benefits received", |p, _| p.benefits),
    ("disposable_income", "可支配收入", "Disposable income", |p, earned| p.disposable + earned),
];

/// The amount columns of a table: in a wide one, each amount under each
/// scenario (`name[scenario]`); in a long one, each amount once, the row's
/// scenario read from `rows`.
fn amounts<R: Copy, T>(
    spec: &Spec<'_>,
    rows: &[(usize, R)],
    list: &[AmountColumn<T>],
    read: impl Fn(usize, R, fn(&T, i64) -> i64) -> i64,
) -> Vec<Named> {
    let meta = |zh, en, scenario: Option<&String>| ColumnMeta {
        unit: "yuan",
        label_zh: zh,
        label_en: en,
        period: Some(spec.year.to_string()),
        scenario: scenario.cloned(),
    };
    match spec.shape {
        Shape::Long => list
            .iter()
            .map(|&(name, zh, en, amount)| Named {
                name: name.to_string(),
                column: Column::Amount(rows.iter().map(|&(s, r)| read(s, r, amount)).collect()),
                meta: meta(zh, en, None),
            })
            .collect(),
        Shape::Wide => spec
            .scenarios
            .iter()
            .enumerate()
            .flat_map(|(s, scenario)| {
                let read = &read;
                list.iter().map(move |&(name, zh, en, amount)| Named {
                    name: format!("{name}[{scenario}]"),
                    column: Column::Amount(rows.iter().map(|&(_, r)| read(s, r, amount)).collect()),
                    meta: meta(zh, en, Some(scenario)),
                })
            })
            .collect(),
    }
}

/// The `scenario` column of a long table.
fn scenario_column(spec: &Spec<'_>, rows: &[(usize, impl Copy)]) -> Option<Named> {
    let names: Vec<Arc<str>> = spec.scenarios.iter().map(|s| Arc::from(s.as_str())).collect();
    (spec.shape == Shape::Long).then(|| {
        fixed(
            "scenario",
            Column::Text(rows.iter().map(|(s, _)| names[*s].clone()).collect()),
            ("word", "方案", "Scenario"),
        )
    })
}

/// One row per household (and scenario, in a long table): its number,
/// weight, size, area, the imputed transfers (the same in every scenario,
/// not in the disposable income the rules compute), the other income of no
/// member (`shared_income`) and, per scenario, disposable income, other
/// income (members' earnings outside wages and property income), income tax
/// and 低保: a household's disposable income is its persons' (their earnings
/// included) plus its shared income plus its 低保.
pub fn households(spec: &Spec<'_>, results: &[HouseholdResult]) -> Table {
    let rows: Vec<(usize, usize)> = match spec.shape {
        Shape::Wide => (0..results.len()).map(|h| (0, h)).collect(),
        Shape::Long => by_scenario(&(0..results.len()).collect::<Vec<_>>(), spec.scenarios.len()),
    };
    let r = |&(_, h): &(usize, usize)| &results[h];
    let mut columns = vec![fixed(
        "household",
        Column::Count(rows.iter().map(|&(_, h)| spec.first_household + h as u64).collect()),
        ("id", "家庭编号", "Household"),
    )];
    columns.extend(scenario_column(spec, &rows));
    columns.extend([
        fixed(
            "weight",
            Column::Weight(rows.iter().map(|x| r(x).weight).collect()),
            ("households", "代表家庭数（权重）", "Households represented (weight)"),
        ),
        fixed(
            "size",
            Column::Count(rows.iter().map(|x| u64::from(r(x).size)).collect()),
            ("persons", "家庭人数", "Household size"),
        ),
        fixed("urban", Column::Flag(rows.iter().map(|x| r(x).urban).collect()), ("flag", "城镇", "Urban")),
        Named {
            name: "imputed_transfers".into(),
            column: Column::Amount(rows.iter().map(|x| r(x).imputed_transfers).collect()),
            meta: ColumnMeta {
                unit: "yuan",
                label_zh: "估算的未模拟转移净收入",
                label_en: "Imputed transfers (not computed by the rules)",
                period: Some(spec.year.to_string()),
                scenario: None,
            },
        },
        Named {
            name: "shared_income".into(),
            column: Column::Amount(rows.iter().map(|x| r(x).shared_income).collect()),
            meta: ColumnMeta {
                unit: "yuan",
                label_zh: "未归属个人的其他收入（财产收入等）",
                label_en: "Other income of no member (property income and the like)",
                period: Some(spec.year.to_string()),
                scenario: None,
            },
        },
    ]);
    columns.extend(amounts(spec, &rows, &HOUSEHOLD_AMOUNTS, |s, h, amount| {
        results[h].outcomes.get(s).map_or(0, |o| amount(o, 0))
    }));
    table("households", spec, columns, rows.len())
}

/// One row per person (and scenario, in a long table) of the households
/// kept with their members: the household's number and weight, the person's
/// number in it, age, sex, area and activity, and per scenario the person's
/// statement, the person's earnings outside wages (flexible, informal and
/// farm work, which the rules count in the household's other income) in
/// market and disposable income.
pub fn persons(spec: &Spec<'_>, results: &[HouseholdResult]) -> Table {
    let members: Vec<(usize, usize)> =
        results.iter().enumerate().flat_map(|(h, r)| (0..r.members.len()).map(move |p| (h, p))).collect();
    let rows: Vec<(usize, (usize, usize))> = match spec.shape {
        Shape::Wide => members.iter().map(|&m| (0, m)).collect(),
        Shape::Long => by_scenario(&members, spec.scenarios.len()),
    };
    let member = |&(_, (h, p)): &(usize, (usize, usize))| &results[h].members[p];
    let mut columns = vec![
        fixed(
            "household",
            Column::Count(rows.iter().map(|(_, (h, _))| spec.first_household + *h as u64).collect()),
            ("id", "家庭编号", "Household"),
        ),
        fixed(
            "person",
            Column::Count(rows.iter().map(|(_, (_, p))| *p as u64).collect()),
            ("id", "家庭内序号", "Person in the household"),
        ),
    ];
    columns.extend(scenario_column(spec, &rows));
    columns.extend([
        fixed(
            "weight",
            Column::Weight(rows.iter().map(|(_, (h, _))| results[*h].weight).collect()),
            ("persons", "代表人数（权重）", "Persons represented (weight)"),
        ),
        Named {
            name: "age".into(),
            column: Column::Count(rows.iter().map(|r| u64::from(member(r).age)).collect()),
            meta: ColumnMeta {
                unit: "years",
                label_zh: "年龄（7月1日周岁）",
                label_en: "Age (completed years on 1 July)",
                period: Some(spec.year.to_string()),
                scenario: None,
            },
        },
        fixed(
            "sex",
            Column::Word(rows.iter().map(|r| if member(r).male { "M" } else { "F" }).collect()),
            ("word", "性别", "Sex"),
        ),
        fixed(
            "urban",
            Column::Flag(rows.iter().map(|(_, (h, _))| results[*h].urban).collect()),
            ("flag", "城镇", "Urban"),
        ),
        fixed(
            "activity",
            Column::Word(rows.iter().map(|r| member(r).activity).collect()),
            ("word", "就业与领取状况", "Activity"),
        ),
    ]);
    columns.extend(amounts(spec, &rows, &PERSON_AMOUNTS, |s, (h, p), amount| {
        let earned = results[h].members[p].earnings;
        results[h].outcomes.get(s).and_then(|o| o.persons.get(p)).map_or(0, |o| amount(o, earned))
    }));
    table("persons", spec, columns, rows.len())
}

fn table(kind: &'static str, spec: &Spec<'_>, columns: Vec<Named>, rows: usize) -> Table {
    Table {
        kind,
        year: spec.year,
        scenarios: spec.scenarios.to_vec(),
        shape: spec.shape,
        numbers: spec.numbers,
        columns,
        rows,
    }
}
