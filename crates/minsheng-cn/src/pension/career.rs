//! A working life (缴费记录) as the pension reads it: the contribution base and
//! months of each year ([`CAREER`]), from which the contribution months, the
//! personal account ([`account`](super::account)) and the average contribution
//! index follow. Where no career is given, the record's totals are inputs
//! (`contribution_months`, `personal_account_balance`,
//! `average_contribution_index`); giving both is an error.
//!
//! A year's months are taken from January: a year of 6 months is January to
//! June. Contributions stop the month before the pension starts.

use std::sync::Arc;

use minsheng_core::money::Money;
use minsheng_core::{
    Entity, Eval, EvalError, InputError, Label, Month, Period, PeriodKind, Rate, Unknown, Value, ValueType, Variable,
    YearRow,
};
use rust_decimal::{Decimal, RoundingStrategy};

use super::account::{CreditYear, average_index, balance_after};
use super::inputs::{ACCOUNT_BALANCE, CONTRIBUTION_INDEX, CONTRIBUTION_MONTHS};
pub use super::inputs::{CAREER, PRIOR_INDEX, PRIOR_MONTHS};
use super::retirement::RETIREMENT_MONTH;
use crate::define::formula;
use crate::social_insurance::contributions::{
    AVERAGE_WAGE, CEILING, FLOOR, LOCAL_CEILING, LOCAL_FLOOR, base_within, bounds,
};
use crate::social_insurance::inputs::LOCALITY;
use crate::util::{money, person_id, year_start};

pub const CREDITING_RATE: &str = "pension.account.crediting_rate";
pub const ACCOUNT_SHARE: &str = "pension.account.account_share";
pub const IN_YEAR_FACTOR: &str = "pension.account.in_year_factor";
pub(crate) const INDEX_DECIMALS: &str = "local.*.contribution_index_decimals";

/// A career's year as read from the situation: months clipped to those before `until`.
struct Year<'r> {
    row: &'r YearRow,
    months: u32,
}

fn field(ev: &Eval<'_>, e: Entity, rest: &str) -> String {
    format!("persons.{}.{rest}", person_id(ev, e))
}

/// The years of the career contributed before the month `until` (the pension's first).
fn years_before(rows: &[YearRow], until: Option<Month>) -> Vec<Year<'_>> {
    rows.iter()
        .filter_map(|row| {
            let given = row.get("months").and_then(|d| u32::try_from(d.mantissa()).ok()).unwrap_or(12);
            let cap = match until {
                Some(u) if row.year > u.year() => 0,
                Some(u) if row.year == u.year() => u.number() - 1,
                _ => 12,
            };
            let months = given.min(cap);
            (months > 0).then_some(Year { row, months })
        })
        .collect()
}

/// The career given, or `None`; an error where the totals are given too.
fn career(ev: &mut Eval<'_>, e: Entity, total: &'static Variable) -> Result<Option<Arc<[YearRow]>>, EvalError> {
    let Some(rows) = ev.by_year(&CAREER, e, Period::Eternity)? else { return Ok(None) };
    if ev.get(total, e, Period::Eternity)? != Value::Absent {
        let rule = format!("give either the career (pension_career) or the total `{}`, not both", total.name);
        let zh = format!("缴费记录（pension_career）与总数 `{}` 只能给出其一", total.name);
        return Err(InputError::new(field(ev, e, total.name), "(given with pension_career)", rule).zh(zh).into());
    }
    for row in rows.iter().skip(1) {
        if row.get("opening_balance").is_some() {
            let f = field(ev, e, &format!("pension_career.{}.opening_balance", row.year));
            return Err(InputError::new(
                f,
                "(not the first year)",
                "an opening balance is given for the first year only",
            )
            .zh("年初储存额只能在第一年给出")
            .into());
        }
    }
    Ok(Some(rows))
}

/// The months contributed before `until` (the first month of the pension):
/// a career's months plus those before it, or the total given. Shared by
/// [`MONTHS`] and the early-retirement check of [`RETIREMENT_MONTH`].
pub(crate) fn months_before(ev: &mut Eval<'_>, e: Entity, until: Option<Month>) -> Result<i64, EvalError> {
    match career(ev, e, &CONTRIBUTION_MONTHS)? {
        Some(rows) => {
            let own: i64 = years_before(&rows, until).iter().map(|y| i64::from(y.months)).sum();
            Ok(own + ev.count(&PRIOR_MONTHS, e, Period::Eternity)?)
        }
        None => match ev.get(&CONTRIBUTION_MONTHS, e, Period::Eternity)? {
            Value::Count(n) => Ok(n),
            _ => Ok(0),
        },
    }
}

/// 累计缴费年限（月）: the months of contribution when the pension starts.
pub static MONTHS: Variable = formula("pension.contribution_months")
    .label("累计缴费年限（含视同缴费，月）", "Months of contribution (including deemed)")
    .value(ValueType::Count, PeriodKind::Eternity)
    .reference("社会保险法 第十六条")
    .reads(&[&CAREER, &CONTRIBUTION_MONTHS, &PRIOR_MONTHS, &RETIREMENT_MONTH])
    .compute(|ev, e, p| {
        let until = match ev.by_year(&CAREER, e, p)? {
            Some(_) => ev.month(&RETIREMENT_MONTH, e, p)?,
            None => None,
        };
        Ok(Value::Count(months_before(ev, e, until)?))
    });

/// The crediting rate of `year`: the career's own where given, else the published one.
fn crediting_rate(ev: &mut Eval<'_>, e: Entity, row: &YearRow) -> Result<Rate, EvalError> {
    if let Some(r) = row.get("crediting_rate") {
        return Rate::from_decimal(r).map_err(|err| {
            InputError::new(field(ev, e, &format!("pension_career.{}.crediting_rate", row.year)), r, err.to_string())
                .into()
        });
    }
    let january = year_start(row.year);
    match ev.rate(CREDITING_RATE, january) {
        Err(EvalError::Unknown(u)) => Err(EvalError::Unknown(Arc::new(Unknown::input(
            field(ev, e, &format!("pension_career.{}.crediting_rate", row.year)),
            vec!["pension_career".into()],
            Label {
                zh: format!("{} 年的记账利率尚未公布（{}）：请在缴费记录中给出 crediting_rate", row.year, u.reason.zh),
                en: format!(
                    "no crediting rate is published for {} ({}): give its crediting_rate in the career",
                    row.year, u.reason.en
                ),
            },
        )))),
        other => other,
    }
}

/// The base of each month a year contributes: its `base`, or its `wage` within
/// the locality's bounds of the month; `None` where the year gives neither.
fn month_bases(ev: &mut Eval<'_>, e: Entity, y: &Year<'_>) -> Result<Option<Vec<(Month, Money)>>, EvalError> {
    let months = (1..=y.months).map(|m| Month::of(jiff::civil::date(y.row.year as i16, m as i8, 1)));
    let money_of = |d: Decimal| Money::from_decimal(d).unwrap_or(Money::ZERO);
    let f = |ev: &Eval<'_>, column: &str| field(ev, e, &format!("pension_career.{}.{column}", y.row.year));
    match (y.row.get("base"), y.row.get("wage")) {
        (Some(_), Some(_)) => {
            Err(InputError::new(f(ev, "wage"), "(given with base)", "a year gives its base or its wage, not both")
                .zh("每一年给出缴费基数或工资之一，不能两者都给")
                .into())
        }
        (Some(base), None) => Ok(Some(months.map(|m| (m, money_of(base))).collect())),
        (None, Some(wage)) => {
            let wanted = |ev: &Eval<'_>| {
                EvalError::Unknown(Arc::new(Unknown::input(
                    f(ev, "base"),
                    vec!["pension_career".into()],
                    Label {
                        zh: format!("{} 年参保地的缴费基数上下限未知：请给出当年缴费基数 base", y.row.year),
                        en: format!("the locality's bounds of {} are not known: give that year's base", y.row.year),
                    },
                )))
            };
            let Some(loc) = ev.text(&LOCALITY, e, Period::Eternity)? else { return Err(wanted(ev)) };
            let mut out = Vec::new();
            for m in months {
                if !ev.params().model().covers(m.first_day()) {
                    return Err(wanted(ev));
                }
                let (floor, ceiling) = match bounds(ev, e, &loc, m) {
                    Ok(b) => b,
                    Err(EvalError::Unknown(_)) => return Err(wanted(ev)),
                    Err(other) => return Err(other),
                };
                out.push((m, base_within(money_of(wage), floor, ceiling)));
            }
            Ok(Some(out))
        }
        (None, None) => Ok(None),
    }
}

/// The account's credit years of a career, to the month before `until`.
fn credit_years(
    ev: &mut Eval<'_>,
    e: Entity,
    rows: &[YearRow],
    until: Option<Month>,
) -> Result<Vec<CreditYear>, EvalError> {
    let mut out = Vec::new();
    for y in years_before(rows, until) {
        let credited = match (y.row.get("credited"), month_bases(ev, e, &y)?) {
            (Some(c), _) => Money::from_decimal(c).unwrap_or(Money::ZERO),
            (None, Some(bases)) => {
                let share = ev.rate(ACCOUNT_SHARE, year_start(y.row.year))?;
                bases.iter().map(|(_, b)| b.mul_rate(share)).fold(Money::ZERO, |a, b| a + b)
            }
            (None, None) => {
                let f = field(ev, e, &format!("pension_career.{}", y.row.year));
                return Err(InputError::new(
                    f,
                    "(no base)",
                    "each year of a career gives its `base` or `wage` (or what it `credited`)",
                )
                .zh("缴费记录的每一年须给出缴费基数 base 或工资 wage（或记入金额 credited）")
                .into());
            }
        };
        let rate = crediting_rate(ev, e, y.row)?;
        out.push(CreditYear { year: y.row.year, months: y.months, credited, rate });
    }
    Ok(out)
}

fn opening(rows: &[YearRow]) -> Money {
    rows.first().and_then(|r| r.get("opening_balance")).and_then(|d| Money::from_decimal(d).ok()).unwrap_or(Money::ZERO)
}

/// A balance, or the error that it leaves the amounts money holds.
fn beyond(ev: &Eval<'_>, e: Entity, balance: Option<Money>) -> Result<Money, EvalError> {
    balance.ok_or_else(|| {
        InputError::new(
            field(ev, e, "pension_career"),
            "(the account)",
            "the account this career credits would exceed the amounts money holds (±1,000,000,000,000 yuan)",
        )
        .zh("此缴费记录计入的个人账户将超出金额允许范围（±1,000,000,000,000 元）")
        .into()
    })
}

fn in_year_factor(ev: &mut Eval<'_>, through: Month) -> Result<Rate, EvalError> {
    ev.rate(IN_YEAR_FACTOR, through.first_day())
}

/// 个人账户储存额（月末）: the balance at the end of the month, from the career
/// (nothing where no career is given).
pub static BALANCE: Variable = formula("pension.account_balance")
    .label("个人账户储存额（月末，按缴费记录）", "Personal account balance at the month's end (from the career)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔2005〕38号 第五条；劳办发〔1997〕116号")
    .reads(&[&CAREER, &ACCOUNT_BALANCE, &LOCALITY, &AVERAGE_WAGE])
    .params(&[CREDITING_RATE, ACCOUNT_SHARE, IN_YEAR_FACTOR, LOCAL_FLOOR, LOCAL_CEILING, FLOOR, CEILING])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let Some(rows) = career(ev, e, &ACCOUNT_BALANCE)? else { return Ok(Value::Absent) };
        let years = credit_years(ev, e, &rows, Some(m.next()))?;
        let factor = in_year_factor(ev, m)?;
        money(beyond(ev, e, balance_after(opening(&rows), &years, m, factor))?)
    });

/// 退休时个人账户储存额: the balance at the end of the month before the pension
/// starts, from the career; or the balance given.
pub static BALANCE_AT_RETIREMENT: Variable = formula("pension.account_balance_at_retirement")
    .label("退休时个人账户储存额", "Personal account balance at retirement")
    .value(ValueType::Money, PeriodKind::Eternity)
    .reference("国发〔2005〕38号 第五条、第六条；劳办发〔1997〕116号")
    .reads(&[&CAREER, &ACCOUNT_BALANCE, &RETIREMENT_MONTH, &LOCALITY, &AVERAGE_WAGE])
    .params(&[CREDITING_RATE, ACCOUNT_SHARE, IN_YEAR_FACTOR, LOCAL_FLOOR, LOCAL_CEILING, FLOOR, CEILING])
    .compute(|ev, e, p| {
        let Some(rows) = career(ev, e, &ACCOUNT_BALANCE)? else {
            return money(match ev.get(&ACCOUNT_BALANCE, e, p)? {
                Value::Money(m) => m,
                _ => Money::ZERO,
            });
        };
        let Some(r) = ev.month(&RETIREMENT_MONTH, e, p)? else { return money(Money::ZERO) };
        let closed = r.plus(-1);
        let years = credit_years(ev, e, &rows, Some(r))?;
        let factor = in_year_factor(ev, closed)?;
        money(beyond(ev, e, balance_after(opening(&rows), &years, closed, factor))?)
    });

/// The average wage a month's base is indexed by: the career's, else the locality's.
fn indexing_wage(ev: &mut Eval<'_>, e: Entity, row: &YearRow, month: Month) -> Result<Money, EvalError> {
    if let Some(w) = row.get("average_wage") {
        return Ok(Money::from_decimal(w).unwrap_or(Money::ZERO));
    }
    let wanted = || Label {
        zh: format!("{} 年的缴费指数需要当地月平均工资：请在缴费记录中给出 average_wage", row.year),
        en: format!("the {} index needs the local monthly average wage: give its average_wage in the career", row.year),
    };
    let f = field(ev, e, &format!("pension_career.{}.average_wage", row.year));
    if !ev.params().model().covers(month.first_day()) {
        return Err(EvalError::Unknown(Arc::new(Unknown::input(f, vec!["pension_career".into()], wanted()))));
    }
    match ev.money(&AVERAGE_WAGE, e, Period::Month(month)) {
        Ok(w) if !w.is_zero() => Ok(w),
        Ok(_) | Err(EvalError::Unknown(_)) => {
            Err(EvalError::Unknown(Arc::new(Unknown::input(f, vec!["pension_career".into()], wanted()))))
        }
        Err(other) => Err(other),
    }
}

/// 本人平均缴费指数: each month's base over the average wage it is indexed by,
/// averaged over the career's months before the pension starts (with the
/// months before the career at their own index, where given), rounded as the
/// locality rounds it (where its file says); or the index given.
pub static INDEX: Variable = formula("pension.average_contribution_index")
    .label("本人平均缴费指数", "Average contribution index")
    .value(ValueType::Number, PeriodKind::Eternity)
    .reference("国发〔2005〕38号 第六条")
    .reads(&[&CAREER, &CONTRIBUTION_INDEX, &RETIREMENT_MONTH, &AVERAGE_WAGE, &LOCALITY, &PRIOR_MONTHS, &PRIOR_INDEX])
    .params(&[INDEX_DECIMALS, LOCAL_FLOOR, LOCAL_CEILING, FLOOR, CEILING])
    .compute(|ev, e, p| {
        let Some(rows) = career(ev, e, &CONTRIBUTION_INDEX)? else { return ev.get(&CONTRIBUTION_INDEX, e, p) };
        let until = ev.month(&RETIREMENT_MONTH, e, p)?;
        let mut months = Vec::new();
        for y in years_before(&rows, until) {
            let Some(bases) = month_bases(ev, e, &y)? else {
                let f = field(ev, e, &format!("pension_career.{}.base", y.row.year));
                return Err(InputError::new(f, "(missing)", "the contribution index needs each year's base or wage")
                    .zh("缴费指数需要每年的缴费基数或工资")
                    .into());
            };
            for (month, base) in bases {
                months.push((base, indexing_wage(ev, e, y.row, month)?));
            }
        }
        let prior = ev.count(&PRIOR_MONTHS, e, p)?;
        let own = months.len();
        let Some(mut index) = average_index(months) else { return Ok(Value::Absent) };
        if prior > 0 {
            match ev.number(&PRIOR_INDEX, e, p)? {
                Some(before) => {
                    let (own, prior) = (Decimal::from(own as i64), Decimal::from(prior));
                    index = (index * own + before * prior) / (own + prior);
                }
                None => ev.assume(
                    Arc::new(Unknown::input(
                        field(ev, e, "prior_contribution_index"),
                        vec!["prior_contribution_index".into()],
                        Label {
                            zh: "未给出缴费记录之前各月的缴费指数".into(),
                            en: "the index of the months before the career is not given".into(),
                        },
                    )),
                    Label {
                        zh: "平均缴费指数只按缴费记录各月计算".into(),
                        en: "the average index covers the career's months only".into(),
                    },
                ),
            }
        }
        Ok(Value::Number(rounded_index(ev, e, index, until)?))
    });

/// The index rounded to the locality's decimals where its file sets them; not
/// rounded where it says it does not, or (saying so) where its rounding is not known.
fn rounded_index(ev: &mut Eval<'_>, e: Entity, index: Decimal, until: Option<Month>) -> Result<Decimal, EvalError> {
    let (Some(loc), Some(r)) = (ev.text(&LOCALITY, e, Period::Eternity)?, until) else { return Ok(index) };
    match ev.param(minsheng_core::local(INDEX_DECIMALS, &loc), r.first_day()) {
        Ok(Some(minsheng_core::params::ParamValue::Count(n))) => {
            Ok(index.round_dp_with_strategy(n as u32, RoundingStrategy::MidpointAwayFromZero))
        }
        Ok(_) => Ok(index),
        Err(EvalError::Unknown(u)) => {
            ev.assume(
                u,
                Label {
                    zh: "当地缴费指数的保留位数未知：按不舍入计算".into(),
                    en: "the locality's rounding of the index is not known: the index is not rounded".into(),
                },
            );
            Ok(index)
        }
        Err(other) => Err(other),
    }
}
