//! A pension projection (养老金测算): from a person's record today to
//! retirement, under stated assumptions, the employee basic pension for every
//! retirement month of the elastic window, or the residents' pension from its
//! age. Each point is computed by the rule book's own formulas on the person
//! with their career carried forward: the projection only writes the future
//! years of the career and the pension base of the retirement year.
//!
//! The record is the person's `pension_career` (the projection continues it
//! from the January after its last year), or its totals at the start of the
//! situation's year (`contribution_months`, `personal_account_balance`,
//! `average_contribution_index`, carried as the months before the career,
//! their index and the opening balance of the first projected year).

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use minsheng_cn::RuleBook;
use minsheng_cn::pension::{career, employee, inputs as pension, resident, retirement};
use minsheng_core::params::{Confidence, ParamValue};
use minsheng_core::situation::Person;
use minsheng_core::{
    Entity, Eval, EvalError, InputError, Label, Money, Month, Period, Rate, Situation, Value, Variable, YearRow,
};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::findings::UncertainValue;

/// The most years a projection runs forward.
pub const MAX_YEARS: i32 = 60;

/// What a projection may be told; every `None` takes its default, which the
/// result states.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The person projected (default: the first).
    pub person: Option<String>,
    /// The scheme: the employees' pension (default) or the residents'.
    pub scheme: Scheme,
    /// The person's wage (base) growth a year (default: the average wage's).
    pub wage_growth: Option<Decimal>,
    /// The local average wage's growth a year.
    pub average_wage_growth: Option<Decimal>,
    /// The pension base's growth a year (default: the average wage's).
    pub pension_base_growth: Option<Decimal>,
    /// The crediting rate of the years not yet published (default: the last published).
    pub crediting_rate: Option<Decimal>,
    /// Prices' growth a year, for today's money.
    pub price_growth: Option<Decimal>,
    /// The rise of pensions in payment a year (default: the last national average rise).
    pub pension_rise: Option<Decimal>,
    /// The cumulative pension is counted to this age.
    pub to_age: Option<u32>,
    /// The monthly contribution base today (default: the career's last).
    pub monthly_base: Option<Money>,
    /// The local monthly average wage today (default: the career's last, or the locality's).
    pub average_wage: Option<Money>,
    /// The pension base (计发基数) of the situation's year (default: the locality's).
    pub pension_base: Option<Money>,
    /// Residents: the contribution paid each year from now to the pension age.
    pub resident_contribution: Option<Money>,
    /// Residents: the subsidy credited with it each year.
    pub resident_subsidy: Option<Money>,
    /// Residents: the local top-up of the basic pension, monthly.
    pub resident_top_up: Option<Money>,
}

/// The pension scheme projected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// 企业职工基本养老保险.
    #[default]
    Employee,
    /// 城乡居民基本养老保险.
    Resident,
}

/// Why a projection could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// Bad input: the situation, an option, or a record the rules refuse.
    #[error("{}", .0.first().map(ToString::to_string).unwrap_or_default())]
    Input(Vec<InputError>),
    /// A figure the projection needs is not known, and what would supply it.
    #[error("{0}")]
    Unknown(Arc<minsheng_core::Unknown>),
    /// The rules failed (a bug).
    #[error("{0}")]
    Rules(String),
}

impl From<InputError> for ProjectionError {
    fn from(e: InputError) -> ProjectionError {
        ProjectionError::Input(vec![e])
    }
}

impl From<EvalError> for ProjectionError {
    fn from(e: EvalError) -> ProjectionError {
        match e {
            EvalError::Input(e) => ProjectionError::Input(vec![e]),
            EvalError::Unknown(u) => ProjectionError::Unknown(u),
            other => ProjectionError::Rules(other.to_string()),
        }
    }
}

/// One assumption as the projection used it.
#[derive(Clone, Debug, Serialize)]
pub struct Assumption {
    /// Its name, as the option that sets it.
    pub name: &'static str,
    /// The value used (a rate as a decimal fraction, an age in years, money in yuan).
    pub value: String,
    /// What it is.
    pub label: Label,
    /// `default` (with why) or `given`.
    pub source: String,
}

/// The person's record when the projection starts.
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    /// The first month projected.
    pub from: Month,
    /// Months of contribution before it.
    pub contribution_months: i64,
    /// The personal account balance then (where the record's rates are known).
    pub account_balance: Option<Money>,
    /// The monthly base carried forward, and the year it is of.
    pub monthly_base: Money,
    /// The local monthly average wage carried forward.
    pub average_wage: Money,
    /// The pension base of the situation's year.
    pub pension_base: Money,
}

/// The pension if the person retires in one month.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// The month the pension starts.
    pub retirement_month: Month,
    /// Age then.
    pub age: Age,
    /// The statutory month.
    pub statutory: bool,
    /// Whether the record reaches the minimum contribution for a monthly pension.
    pub eligible: bool,
    /// Months of contribution.
    pub contribution_months: i64,
    /// The average contribution index (employees).
    pub average_index: Option<Decimal>,
    /// The account balance when the pension starts.
    pub account_balance: Money,
    /// The pension base of the retirement year, as assumed (employees).
    pub pension_base: Option<Money>,
    /// 基础养老金 (or the residents' basic pension).
    pub basic: Money,
    /// 个人账户养老金.
    pub account: Money,
    /// 过渡性养老金, as the person gives it.
    pub transitional: Money,
    /// The monthly pension, nominal.
    pub monthly: Money,
    /// The monthly pension in today's money.
    pub monthly_today: Money,
    /// The pension received from retirement to the age counted to, nominal.
    pub cumulative: Money,
    /// The same in today's money.
    pub cumulative_today: Money,
}

/// An age in whole years and months.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Age {
    /// Whole years.
    pub years: i64,
    /// Months past them.
    pub months: i64,
}

/// A projection.
#[derive(Clone, Debug, Serialize)]
pub struct Projection {
    /// The person.
    pub person: String,
    /// The scheme.
    pub scheme: Scheme,
    /// The statutory retirement month (the residents' pension age, for residents).
    pub statutory_month: Month,
    /// The elastic window (employees): earliest and latest months.
    pub window: Option<(Month, Month)>,
    /// The record projected from.
    pub record: Record,
    /// Every assumption used.
    pub assumptions: Vec<Assumption>,
    /// The age the cumulative pension is counted to.
    pub to_age: u32,
    /// One point per retirement month (employees: every month of the window).
    pub points: Vec<Point>,
    /// Assumptions the rules made (a figure not known, taken as they say).
    pub notices: Vec<Label>,
    /// The lowest confidence of the parameter values the points rest on.
    pub confidence: Confidence,
    /// Those values below high confidence.
    pub uncertain: Vec<UncertainValue>,
}

/// A default assumption of `data/projection.yaml`.
#[derive(serde::Deserialize)]
struct Default_ {
    value: Decimal,
    label: Label,
    basis: String,
}

fn defaults() -> &'static std::collections::BTreeMap<String, Default_> {
    static DEFAULTS: OnceLock<std::collections::BTreeMap<String, Default_>> = OnceLock::new();
    DEFAULTS.get_or_init(|| serde_saphyr::from_str(include_str!("../data/projection.yaml")).unwrap_or_default())
}

/// A rate option checked: from −50% to +50% a year.
fn rate_option(name: &str, value: Decimal) -> Result<Decimal, InputError> {
    if value < Decimal::new(-5, 1) || value > Decimal::new(5, 1) {
        return Err(InputError::new(
            format!("projection.{name}"),
            value,
            "a rate a year as a decimal fraction from -0.5 to 0.5, e.g. 0.03",
        )
        .zh("年率，以小数表示，在 -0.5 至 0.5 之间，例如 0.03"));
    }
    Ok(value)
}

/// The assumptions in use, built as each is settled.
struct Used(Vec<Assumption>);

impl Used {
    fn rate(
        &mut self,
        name: &'static str,
        given: Option<Decimal>,
        default: Decimal,
        label: Label,
        why: String,
    ) -> Result<Decimal, InputError> {
        let (value, source) = match given {
            Some(v) => (rate_option(name, v)?, "given".to_string()),
            None => (default, format!("default: {why}")),
        };
        self.0.push(Assumption { name, value: value.normalize().to_string(), label, source });
        Ok(value)
    }

    fn file_default(&mut self, name: &'static str, given: Option<Decimal>) -> Result<Decimal, InputError> {
        let d = defaults()
            .get(name)
            .ok_or_else(|| InputError::new("projection", name, "no default for this assumption"))?;
        self.rate(name, given, d.value, d.label.clone(), d.basis.clone())
    }
}

fn label(zh: &str, en: &str) -> Label {
    Label { zh: zh.into(), en: en.into() }
}

/// `amount` grown by `rate` a year for `years` years (none when `years` ≤ 0),
/// to the fen; `None` beyond the amounts money holds.
fn grown(amount: Money, rate: Decimal, years: i32) -> Option<Money> {
    let mut d = amount.to_decimal();
    for _ in 0..years.max(0) {
        d = d.checked_mul(Decimal::ONE + rate)?;
    }
    Money::round_from_decimal(d).ok()
}

/// `amount` in the money of `years` years earlier, deflated by `prices` a
/// year; `None` beyond the amounts money holds.
fn today(amount: Money, prices: Decimal, years: i32) -> Option<Money> {
    Money::round_from_decimal(deflated(amount.to_decimal(), prices, years)?).ok()
}

fn deflated(mut d: Decimal, prices: Decimal, years: i32) -> Option<Decimal> {
    for _ in 0..years.max(0) {
        d = d.checked_div(Decimal::ONE + prices)?;
    }
    Some(d)
}

/// The error for assumptions that carry an amount beyond what money holds.
fn too_large() -> ProjectionError {
    InputError::new(
        "projection",
        "(assumptions)",
        "under these assumptions an amount leaves what money holds (±1,000,000,000,000 yuan): choose smaller growth rates or a nearer age",
    )
    .zh("按这些假设，某项金额超出允许范围（±1,000,000,000,000 元）：请调低增长率或缩短年限")
    .into()
}

/// The first day of `year`.
fn january(year: i32) -> jiff::civil::Date {
    jiff::civil::date(year as i16, 1, 1)
}

/// December of `year`.
fn december(year: i32) -> Month {
    Month::of(jiff::civil::date(year as i16, 12, 1))
}

/// The baseline's value of `path` on `day`; `None` where none is known or the rule is not in force.
fn known(book: &RuleBook, path: &str, day: jiff::civil::Date) -> Option<ParamValue> {
    let found = book.baseline.lookup(path, day, None).ok()?;
    if found.entry.unknown { None } else { found.entry.value.clone() }
}

/// The last value of a rate parameter read on 1 January of each year back from `year`.
fn last_published(book: &RuleBook, path: &str, year: i32) -> Option<(i32, Rate)> {
    (2016..=year).rev().find_map(|y| match known(book, path, january(y))? {
        ParamValue::Rate(r) => Some((y, r)),
        _ => None,
    })
}

/// The crediting rate assumed for the years not yet published: the one given,
/// or by default the last the rule book publishes (`why` says so with its year).
fn crediting_assumption(
    used: &mut Used,
    book: &RuleBook,
    year: i32,
    given: Option<Decimal>,
    label: Label,
    why: impl Fn(i32) -> String,
) -> Result<Decimal, ProjectionError> {
    let (last_year, last_rate) = last_published(book, career::CREDITING_RATE, year + 1)
        .ok_or_else(|| ProjectionError::Rules("no crediting rate is published".into()))?;
    Ok(used.rate("crediting_rate", given, last_rate.to_decimal(), label, why(last_year))?)
}

fn money_of(v: &Value) -> Option<Money> {
    if let Value::Money(m) = v { Some(*m) } else { None }
}

fn input_of(person: &Person, var: &Variable) -> Option<Value> {
    person.inputs.get(var.name).and_then(|s| s.get(&Period::Eternity)).cloned()
}

fn set(person: &mut Person, var: &'static Variable, value: Value) {
    person.inputs.entry(var.name).or_default().insert(Period::Eternity, value);
}

fn unset(person: &mut Person, var: &'static Variable) {
    person.inputs.remove(var.name);
}

/// Projects the pension of one person of `situation`.
///
/// # Errors
/// [`ProjectionError::Input`] for a person not in the situation, an option
/// out of range, or a record the rules refuse; [`ProjectionError::Unknown`]
/// where a figure the projection needs is not known (a pension base not
/// published and not given).
pub fn project(book: &RuleBook, situation: &Situation, options: &Options) -> Result<Projection, ProjectionError> {
    let person = match &options.person {
        Some(id) => situation.persons.iter().find(|p| &p.id == id).ok_or_else(|| {
            InputError::new("projection.person", id, "no such person in the situation").zh("情形中没有这个人")
        })?,
        None => situation.persons.first().ok_or_else(|| {
            InputError::new("persons", "(none)", "the situation has no person to project").zh("情形中没有可测算的人")
        })?,
    };
    let alone = |p: Person| Situation::new(situation.year, vec![p], Vec::new());
    match options.scheme {
        Scheme::Employee => employee_projection(book, situation.year, person.clone(), options, &alone),
        Scheme::Resident => resident_projection(book, situation.year, person.clone(), options),
    }
}

/// Everything the points read that is below high confidence, and the notices.
#[derive(Default)]
struct Gathered {
    uncertain: BTreeSet<UncertainValue>,
    notices: Vec<Label>,
}

impl Gathered {
    fn take(&mut self, ev: &Eval<'_>) {
        self.uncertain.extend(ev.uncertain().iter().map(UncertainValue::of));
        for n in ev.notices() {
            // Once per assumption and cause, whatever the date it was met on.
            let cause = n.unknown.parameter.clone().or_else(|| n.unknown.field.clone()).unwrap_or_default();
            let text =
                Label { zh: format!("{}（{cause}）", n.assumption.zh), en: format!("{} ({cause})", n.assumption.en) };
            if !self.notices.contains(&text) {
                self.notices.push(text);
            }
        }
    }
}

fn employee_projection(
    book: &RuleBook,
    year: i32,
    mut person: Person,
    options: &Options,
    alone: &dyn Fn(Person) -> Situation,
) -> Result<Projection, ProjectionError> {
    let me = Entity::Person(0);
    let eternity = Period::Eternity;
    let mut used = Used(Vec::new());
    let average_growth = used.file_default("average_wage_growth", options.average_wage_growth)?;
    let wage_growth = used.rate(
        "wage_growth",
        options.wage_growth,
        average_growth,
        label("本人缴费基数年增长率", "Growth of the person's contribution base, a year"),
        "the average wage's growth: the person's index stays as it is".into(),
    )?;
    let base_growth = used.rate(
        "pension_base_growth",
        options.pension_base_growth,
        average_growth,
        label("计发基数年增长率", "Growth of the pension base, a year"),
        "the average wage's growth: the pension base is last year's average wage".into(),
    )?;
    let crediting = crediting_assumption(
        &mut used,
        book,
        year,
        options.crediting_rate,
        label("未公布年份的记账利率", "Crediting rate of the years not yet published"),
        |y| format!("the last published rate ({y})"),
    )?;
    let (rise_year, rise) = last_published(book, employee::RISE, year + 1)
        .ok_or_else(|| ProjectionError::Rules("no pension rise is published".into()))?;
    let pension_rise = used.rate(
        "pension_rise",
        options.pension_rise,
        rise.to_decimal(),
        label("退休后养老金年调整幅度", "Rise of the pension in payment, a year"),
        format!("the last national average rise ({rise_year})"),
    )?;
    let prices = used.file_default("price_growth", options.price_growth)?;
    let to_age = to_age(&mut used, options.to_age)?;

    // The record today.
    let past: Vec<YearRow> = match input_of(&person, &career::CAREER) {
        Some(Value::ByYear(rows)) => rows.to_vec(),
        _ => Vec::new(),
    };
    let record_ends = past.last().map_or(year - 1, |r| r.year);
    let start = record_ends + 1;
    let base_sit = alone(person.clone());
    let mut ev = Eval::new(&book.registry, &book.baseline, &base_sit);
    let statutory = ev.month(&retirement::STATUTORY_MONTH, me, eternity)?.ok_or_else(|| {
        InputError::new(
            format!("persons.{}", person.id),
            "(missing)",
            "a projection needs the date of birth (birth_date) and the retirement group (retirement_group)",
        )
        .zh("测算需要出生日期（birth_date）和退休年龄类别（retirement_group）")
    })?;
    let earliest = ev.month(&retirement::EARLIEST_MONTH, me, eternity)?.unwrap_or(statutory);
    let latest = ev.month(&retirement::LATEST_MONTH, me, eternity)?.unwrap_or(statutory);
    if latest.year() - year > MAX_YEARS {
        return Err(InputError::new(
            format!("persons.{}.birth_date", person.id),
            latest,
            format!("a projection runs at most {MAX_YEARS} years ahead"),
        )
        .into());
    }
    if Month::of(january(start)) >= latest {
        return Err(InputError::new(
            format!("persons.{}.pension_career", person.id),
            record_ends,
            format!("the record already reaches the latest retirement month ({latest}): there is nothing to project"),
        )
        .zh(format!("缴费记录已到最晚退休时间（{latest}），无需测算"))
        .into());
    }
    // The record's months so far (this also refuses a career given with the totals it would give).
    let months_so_far = ev.count(&career::MONTHS, me, eternity)?;
    // The account at the record's end (a career outside the rules' dates is refused here, first).
    let record_balance = if past.is_empty() {
        None
    } else {
        match ev.money(&career::BALANCE, me, Period::Month(december(record_ends))) {
            Ok(m) => Some(m),
            Err(EvalError::Unknown(_)) => None,
            Err(other) => return Err(other.into()),
        }
    };
    let last = past.last();
    // The year the base and the average wage carried forward are of.
    let base_year = if options.monthly_base.is_some() || past.is_empty() { year } else { record_ends };
    let wage_year = if options.average_wage.is_some() || past.is_empty() { year } else { record_ends };
    let monthly_base = options
        .monthly_base
        .or_else(|| last.and_then(|r| r.get("base")).and_then(|d| Money::from_decimal(d).ok()))
        .ok_or_else(|| {
            InputError::new("projection.monthly_base", "(missing)", "give the monthly contribution base today")
                .zh("请给出当前月缴费基数")
        })?;
    let average_wage = match options
        .average_wage
        .or_else(|| last.and_then(|r| r.get("average_wage")).and_then(|d| Money::from_decimal(d).ok()))
    {
        Some(w) => w,
        None => {
            let last_month = Period::Month(december(record_ends));
            match ev.get(&minsheng_cn::social_insurance::contributions::AVERAGE_WAGE, me, last_month) {
                Ok(Value::Money(w)) if !w.is_zero() => w,
                _ => {
                    return Err(InputError::new(
                        "projection.average_wage",
                        "(missing)",
                        "give the local monthly average wage today (the locality file has none for the record's last year)",
                    )
                    .zh("请给出当前当地月平均工资（参保地文件没有该年数据）")
                    .into());
                }
            }
        }
    };
    let pension_base = match options.pension_base {
        Some(b) => b,
        None => {
            let loc = ev.text(&minsheng_cn::social_insurance::inputs::LOCALITY, me, eternity)?;
            let found =
                match loc.and_then(|loc| known(book, &format!("local.{loc}.pension_base_monthly"), january(year))) {
                    Some(ParamValue::Amount(m)) => Some(m),
                    _ => None,
                };
            found.ok_or_else(|| {
                InputError::new(
                    "projection.pension_base",
                    "(missing)",
                    format!("give the pension base (计发基数) of {year}: the locality file does not publish it"),
                )
                .zh(format!("请给出 {year} 年的养老金计发基数：参保地文件未公布"))
            })?
        }
    };
    let (opening, prior_months, prior_index) = if past.is_empty() {
        let months = match input_of(&person, &pension::CONTRIBUTION_MONTHS) {
            Some(Value::Count(n)) => n,
            _ => 0,
        };
        let balance = input_of(&person, &pension::ACCOUNT_BALANCE).as_ref().and_then(money_of).unwrap_or(Money::ZERO);
        let index = match input_of(&person, &pension::CONTRIBUTION_INDEX) {
            Some(Value::Number(d)) => Some(d),
            _ if months == 0 => None,
            _ => {
                return Err(InputError::new(
                    format!("persons.{}.average_contribution_index", person.id),
                    "(missing)",
                    "a record given by its totals needs the average contribution index so far",
                )
                .zh("以总数给出的缴费记录需要截至目前的平均缴费指数")
                .into());
            }
        };
        unset(&mut person, &pension::CONTRIBUTION_MONTHS);
        unset(&mut person, &pension::ACCOUNT_BALANCE);
        unset(&mut person, &pension::CONTRIBUTION_INDEX);
        (balance, months, index)
    } else {
        (Money::ZERO, 0, None)
    };
    if past.is_empty() {
        set(&mut person, &career::PRIOR_MONTHS, Value::Count(prior_months));
        if let Some(index) = prior_index {
            set(&mut person, &career::PRIOR_INDEX, Value::Number(index));
        }
    }

    // The future years of the career, to the latest retirement year.
    let mut future: Vec<YearRow> = Vec::new();
    for y in start..=latest.year() {
        let rate = known(book, career::CREDITING_RATE, january(y)).is_none().then_some(crediting);
        let mut cells: Vec<(&'static str, Decimal)> = vec![
            ("base", grown(monthly_base, wage_growth, y - base_year).ok_or_else(too_large)?.to_decimal()),
            ("average_wage", grown(average_wage, average_growth, y - wage_year).ok_or_else(too_large)?.to_decimal()),
        ];
        if let Some(r) = rate {
            cells.push(("crediting_rate", r));
        }
        if future.is_empty() && past.is_empty() && !opening.is_zero() {
            cells.push(("opening_balance", opening.to_decimal()));
        }
        future.push(YearRow { year: y, cells: Arc::from(cells) });
    }
    let record = Record {
        from: Month::of(january(start)),
        contribution_months: months_so_far,
        account_balance: if past.is_empty() { Some(opening) } else { record_balance },
        monthly_base,
        average_wage,
        pension_base,
    };
    let transitional = input_of(&person, &pension::TRANSITIONAL).as_ref().and_then(money_of).unwrap_or(Money::ZERO);

    let mut gathered = Gathered::default();
    let mut points = Vec::new();
    let mut month = earliest;
    while month <= latest {
        let mut p = person.clone();
        let rows: Vec<YearRow> = past.iter().chain(future.iter()).filter(|r| r.year <= month.year()).cloned().collect();
        set(&mut p, &career::CAREER, Value::ByYear(Arc::from(rows)));
        set(&mut p, &pension::PLANNED_RETIREMENT, Value::Month(month));
        let base_then = grown(pension_base, base_growth, month.year() - year).ok_or_else(too_large)?;
        set(&mut p, &pension::PENSION_BASE, Value::Money(base_then));
        let sit = alone(p);
        // The points are read, not explained: no trace.
        let mut ev = Eval::without_trace(&book.registry, &book.baseline, &sit);
        let point = match ev.month(&retirement::RETIREMENT_MONTH, me, eternity) {
            Err(EvalError::Input(_)) if month < statutory => None, // short of the minimum for early retirement
            other => {
                other?;
                Some(employee_point(
                    &mut ev,
                    month,
                    statutory,
                    base_then,
                    transitional,
                    year,
                    prices,
                    pension_rise,
                    to_age,
                )?)
            }
        };
        gathered.take(&ev);
        if let Some(point) = point {
            points.push(point);
        }
        month = month.next();
    }
    finish(person.id, Scheme::Employee, statutory, Some((earliest, latest)), record, used, to_age, points, gathered)
}

fn to_age(used: &mut Used, given: Option<u32>) -> Result<u32, InputError> {
    let d = defaults().get("to_age").ok_or_else(|| InputError::new("projection", "to_age", "no default"))?;
    let (value, source) = match given {
        Some(a) if (50..=110).contains(&a) => (a, "given".to_string()),
        Some(a) => {
            return Err(InputError::new("projection.to_age", a, "an age from 50 to 110").zh("50 至 110 之间的年龄"));
        }
        None => (u32::try_from(d.value.mantissa()).unwrap_or(80), format!("default: {}", d.basis)),
    };
    used.0.push(Assumption { name: "to_age", value: value.to_string(), label: d.label.clone(), source });
    Ok(value)
}

#[allow(clippy::too_many_arguments)]
fn employee_point(
    ev: &mut Eval<'_>,
    month: Month,
    statutory: Month,
    pension_base: Money,
    transitional: Money,
    year: i32,
    prices: Decimal,
    rise: Decimal,
    to_age: u32,
) -> Result<Point, ProjectionError> {
    let (me, eternity) = (Entity::Person(0), Period::Eternity);
    let age = ev.count(&retirement::AGE_AT_RETIREMENT, me, eternity)?;
    let eligible = ev.flag(&retirement::ELIGIBLE, me, eternity)?;
    let months = ev.count(&career::MONTHS, me, eternity)?;
    let index = ev.number(&career::INDEX, me, eternity)?;
    let balance = ev.money(&career::BALANCE_AT_RETIREMENT, me, eternity)?;
    let basic = ev.money(&employee::BASIC, me, eternity)?;
    let account = ev.money(&employee::ACCOUNT, me, eternity)?;
    let monthly = ev.money(&employee::INITIAL, me, eternity)?;
    let birth = ev.date(&minsheng_cn::person::BIRTH_DATE, me, eternity)?.unwrap_or(month.first_day());
    let (cumulative, cumulative_today) =
        cumulative(monthly, month, birth, to_age, rise, prices, year).ok_or_else(too_large)?;
    Ok(Point {
        retirement_month: month,
        age: Age { years: age / 12, months: age % 12 },
        statutory: month == statutory,
        eligible,
        contribution_months: months,
        average_index: index,
        account_balance: balance,
        pension_base: Some(pension_base),
        basic,
        account,
        transitional: if eligible { transitional } else { Money::ZERO },
        monthly,
        monthly_today: today(monthly, prices, month.year() - year).ok_or_else(too_large)?,
        cumulative,
        cumulative_today,
    })
}

/// The pension received from `from` to the month before the age `to_age`,
/// raised by `rise` each January after the first year, nominal and in the
/// money of `year` (each year's payments deflated by `prices`).
fn cumulative(
    monthly: Money,
    from: Month,
    birth: jiff::civil::Date,
    to_age: u32,
    rise: Decimal,
    prices: Decimal,
    year: i32,
) -> Option<(Money, Money)> {
    let end = minsheng_core::period::month_reaching_age(birth, to_age as i32);
    let (mut nominal, mut real) = (Decimal::ZERO, Decimal::ZERO);
    let mut amount = monthly;
    let mut m = from;
    while m < end {
        if m.year() > from.year() && m.number() == 1 {
            amount = Money::round_from_decimal(amount.to_decimal().checked_mul(Decimal::ONE + rise)?).ok()?;
        }
        nominal = nominal.checked_add(amount.to_decimal())?;
        real = real.checked_add(deflated(amount.to_decimal(), prices, m.year() - year)?)?;
        m = m.next();
    }
    Some((Money::round_from_decimal(nominal).ok()?, Money::round_from_decimal(real).ok()?))
}

#[allow(clippy::too_many_arguments)]
fn finish(
    person: String,
    scheme: Scheme,
    statutory: Month,
    window: Option<(Month, Month)>,
    record: Record,
    used: Used,
    to_age: u32,
    points: Vec<Point>,
    gathered: Gathered,
) -> Result<Projection, ProjectionError> {
    let confidence = gathered.uncertain.iter().map(|u| u.confidence).min().unwrap_or(Confidence::High);
    Ok(Projection {
        person,
        scheme,
        statutory_month: statutory,
        window,
        record,
        assumptions: used.0,
        to_age,
        points,
        notices: gathered.notices,
        confidence,
        uncertain: gathered.uncertain.into_iter().collect(),
    })
}

fn resident_projection(
    book: &RuleBook,
    year: i32,
    person: Person,
    options: &Options,
) -> Result<Projection, ProjectionError> {
    let mut used = Used(Vec::new());
    let crediting = crediting_assumption(
        &mut used,
        book,
        year,
        options.crediting_rate,
        label("个人账户年记账利率", "Crediting rate of the account, a year"),
        |y| format!("the employees' last published rate ({y}); provinces set the residents' own"),
    )?;
    let prices = used.file_default("price_growth", options.price_growth)?;
    let to_age = to_age(&mut used, options.to_age)?;
    let birth = match input_of(&person, &minsheng_cn::person::BIRTH_DATE) {
        Some(Value::Date(d)) => d,
        _ => {
            return Err(InputError::new(
                format!("persons.{}.birth_date", person.id),
                "(missing)",
                "a projection needs the date of birth",
            )
            .zh("测算需要出生日期")
            .into());
        }
    };
    let Some(ParamValue::Count(age)) = known(book, resident::AGE, january(year)) else {
        return Err(ProjectionError::Rules("no residents' pension age".into()));
    };
    let starts = minsheng_core::period::month_reaching_age(birth, age as i32);
    if starts.year() < year {
        return Err(InputError::new(
            format!("persons.{}.birth_date", person.id),
            birth,
            format!("the residents' pension started in {starts}: nothing to project"),
        )
        .zh(format!("城乡居民养老金已于 {starts} 开始领取，无需测算"))
        .into());
    }
    let contribution = options.resident_contribution.ok_or_else(|| {
        InputError::new(
            "projection.resident_contribution",
            "(missing)",
            "give the contribution paid each year (the grade chosen)",
        )
        .zh("请给出每年缴费金额（所选档次）")
    })?;
    let subsidy = options.resident_subsidy.unwrap_or(Money::ZERO);
    used.0.push(Assumption {
        name: "resident_subsidy",
        value: subsidy.to_string(),
        label: label("每年政府缴费补贴", "Government subsidy credited each year"),
        source: if options.resident_subsidy.is_some() {
            "given".into()
        } else {
            "default: none (give the local subsidy of the grade)".into()
        },
    });
    let months = match input_of(&person, &pension::RESIDENT_MONTHS) {
        Some(Value::Count(n)) => n,
        _ => 0,
    };
    let balance = input_of(&person, &pension::RESIDENT_ACCOUNT).as_ref().and_then(money_of).unwrap_or(Money::ZERO);
    // Each year from this one to the year before the pension: a year's contribution and subsidy,
    // credited with the year's interest by the annual method (the same arithmetic as the employees' account).
    let factor = match known(book, career::IN_YEAR_FACTOR, january(year)) {
        Some(ParamValue::Rate(r)) => r,
        _ => Rate::ZERO,
    };
    let rate = Rate::from_decimal(crediting)
        .map_err(|e| InputError::new("projection.crediting_rate", crediting, e.to_string()))?;
    let years: Vec<minsheng_cn::pension::account::CreditYear> = (year..starts.year())
        .map(|y| minsheng_cn::pension::account::CreditYear {
            year: y,
            months: 12,
            credited: contribution + subsidy,
            rate,
        })
        .collect();
    let closed = starts.plus(-1);
    let at_start =
        minsheng_cn::pension::account::balance_after(balance, &years, closed, factor).ok_or_else(too_large)?;
    let total_months = months + 12 * i64::from(starts.year() - year);
    // The pension by the rule book's law of the year it starts, or of its last year where it
    // starts later (the central minimum is not projected to rise): said so.
    let covered = book.baseline.model().covered_until.unwrap_or(starts.first_day());
    let day = starts.first_day().min(covered);
    let mut gathered = Gathered::default();
    if day < starts.first_day() {
        gathered.notices.push(label(
            &format!("{} 以后的基础养老金最低标准未知：按 {day} 的标准计算", covered),
            &format!("the central minimum after {covered} is not known: that of {day} is used"),
        ));
    }
    let count = |path: &str| -> Result<i64, ProjectionError> {
        match known(book, path, day) {
            Some(ParamValue::Count(n)) => Ok(n),
            _ => Err(ProjectionError::Rules(format!("{path} holds no count on {day}"))),
        }
    };
    let minimum = match book.baseline.lookup(resident::MINIMUM, day, None) {
        Ok(f) => match (&f.entry.value, f.entry.unknown) {
            (Some(ParamValue::Amount(m)), false) => {
                if let Some(c) = f.entry.citation.as_ref().filter(|c| c.confidence < Confidence::High) {
                    gathered.uncertain.insert(UncertainValue {
                        parameter: resident::MINIMUM.into(),
                        from: f.entry.from.to_string(),
                        confidence: c.confidence,
                        document: c.document_id.clone(),
                    });
                }
                *m
            }
            _ => {
                return Err(ProjectionError::Unknown(Arc::new(minsheng_core::Unknown::parameter(
                    resident::MINIMUM,
                    day,
                    Vec::new(),
                    None,
                ))));
            }
        },
        Err(e) => return Err(ProjectionError::Rules(e.to_string())),
    };
    let top_up = options.resident_top_up.unwrap_or(Money::ZERO);
    used.0.push(Assumption {
        name: "resident_top_up",
        value: top_up.to_string(),
        label: label("地方提高的基础养老金（每月）", "Local top-up of the basic pension (monthly)"),
        source: if options.resident_top_up.is_some() {
            "given".into()
        } else {
            "default: none (give the local top-up)".into()
        },
    });
    let eligible = total_months >= count(resident::MONTHS)?;
    let basic = resident::basic_pension(minimum, top_up);
    let account = resident::account_pension(at_start, count(resident::DIVISOR)?);
    let monthly = if eligible { basic + account } else { Money::ZERO };
    let (cumulative, cumulative_today) =
        cumulative(monthly, starts, birth, to_age, Decimal::ZERO, prices, year).ok_or_else(too_large)?;
    let point = Point {
        retirement_month: starts,
        age: Age { years: age, months: 0 },
        statutory: true,
        eligible,
        contribution_months: total_months,
        average_index: None,
        account_balance: at_start,
        pension_base: None,
        basic: if eligible { basic } else { Money::ZERO },
        account: if eligible { account } else { Money::ZERO },
        transitional: Money::ZERO,
        monthly,
        monthly_today: today(monthly, prices, starts.year() - year).ok_or_else(too_large)?,
        cumulative,
        cumulative_today,
    };
    let record = Record {
        from: Month::of(january(year)),
        contribution_months: months,
        account_balance: Some(balance),
        monthly_base: contribution,
        average_wage: Money::ZERO,
        pension_base: Money::ZERO,
    };
    finish(person.id, Scheme::Resident, starts, None, record, used, to_age, vec![point], gathered)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_assumptions_are_read_with_their_labels() {
        let d = defaults();
        for name in ["average_wage_growth", "price_growth", "to_age"] {
            let a = d.get(name).unwrap_or_else(|| panic!("{name} has a default"));
            assert!(!a.label.zh.is_empty() && !a.label.en.is_empty() && !a.basis.is_empty(), "{name}");
        }
    }

    #[test]
    fn growth_and_deflation_compound_by_whole_years() {
        let r = Decimal::new(5, 2);
        assert_eq!(grown(Money::from_yuan(10_000), r, 2), Some(Money::from_yuan(11_025)));
        assert_eq!(grown(Money::from_yuan(10_000), r, -1), Some(Money::from_yuan(10_000)));
        assert_eq!(today(Money::from_yuan(11_025), r, 2), Some(Money::from_yuan(10_000)));
        assert_eq!(grown(Money::from_yuan(10_000), Decimal::new(5, 1), 150), None, "beyond what money holds");
    }
}
