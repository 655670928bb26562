//! The enterprise employee basic pension (企业职工基本养老金), 国发〔2005〕38号 第六条:
//! at retirement the basic pension, the personal-account pension and the
//! transitional pension; in payment, the annual rises.

use minsheng_core::money::Money;
use minsheng_core::params::ParamValue;
use minsheng_core::{Entity, Eval, EvalError, InputError, Month, Period, PeriodKind, Rate, Value, ValueType, Variable};
use rust_decimal::{Decimal, RoundingStrategy};

use super::career::{BALANCE_AT_RETIREMENT, INDEX, MONTHS};
use super::inputs::{LAST_DECEMBER, PENSION_BASE, RISE_FIXED, RISE_PER_YEAR, RISE_RATE, RISE_TOP_UP, TRANSITIONAL};
use super::resident;
use super::retirement::{AGE_AT_RETIREMENT, ELIGIBLE, RETIREMENT_MONTH};
use crate::define::formula;
use crate::social_insurance::inputs::LOCALITY;
use crate::util::{money, person_id};

const ACCRUAL: &str = "pension.benefit.basic_accrual_rate";
const LOCAL_PENSION_BASE: &str = "local.*.pension_base_monthly";
const DIVISORS: &str = "pension.benefit.account_divisors";
pub const RISE: &str = "pension.benefit.average_rise";

/// The national average rise of pensions in payment in `year` (the rate last
/// December's pension is raised by, from January), as `params` set it; `None`
/// where no rise is in force or the year is outside the calendar.
pub fn average_rise(params: &minsheng_core::ParamSet, year: i32) -> Option<Rate> {
    let january = jiff::civil::Date::new(i16::try_from(year).ok()?, 1, 1).ok()?;
    match params.lookup(RISE, january, None).ok()?.entry.value {
        Some(ParamValue::Rate(r)) => Some(r),
        _ => None,
    }
}

fn retirement_day(ev: &mut Eval<'_>, e: Entity) -> Result<Option<Month>, EvalError> {
    ev.month(&RETIREMENT_MONTH, e, Period::Eternity)
}

fn required(ev: &Eval<'_>, e: Entity, input: &str, why: &str, why_zh: &str) -> EvalError {
    InputError::new(format!("persons.{}.{input}", person_id(ev, e)), "(missing)", why.to_string()).zh(why_zh).into()
}

fn rounded(ev: &Eval<'_>, e: Entity, yuan: Decimal) -> Result<Money, EvalError> {
    Money::round_from_decimal(yuan)
        .map_err(|err| InputError::new(format!("persons.{}", person_id(ev, e)), yuan, err.to_string()).into())
}

/// 基础养老金: (pension base + pension base × average index) ÷ 2 × 1% × years of contribution.
pub static BASIC: Variable = formula("pension.basic_at_retirement")
    .label("基础养老金（退休时）", "Basic pension at retirement")
    .value(ValueType::Money, PeriodKind::Eternity)
    .reference("国发〔2005〕38号 第六条")
    .reads(&[&ELIGIBLE, &RETIREMENT_MONTH, &PENSION_BASE, &INDEX, &MONTHS, &LOCALITY])
    .params(&[ACCRUAL, LOCAL_PENSION_BASE])
    .compute(|ev, e, _| {
        let (true, Some(r)) = (ev.flag(&ELIGIBLE, e, Period::Eternity)?, retirement_day(ev, e)?) else {
            return money(Money::ZERO);
        };
        // The base given, else the locality's (a base given stands even where the locality's is not known).
        let given = ev.get(&PENSION_BASE, e, Period::Eternity)?;
        let local_base = match (&given, ev.text(&LOCALITY, e, Period::Eternity)?) {
            (Value::Absent, Some(loc)) => {
                ev.amount_if_in_force(minsheng_core::local(LOCAL_PENSION_BASE, &loc), r.first_day())?
            }
            _ => None,
        };
        let base = match (given, local_base) {
            (Value::Money(m), _) => m,
            (_, Some(m)) => m,
            _ => {
                return Err(required(
                    ev,
                    e,
                    "pension_base",
                    "the basic pension needs the pension base (计发基数) of the retirement year: give it, or a locality whose file sets it",
                    "基础养老金需要退休当年的计发基数：请给出，或选择设有计发基数的参保地",
                ));
            }
        };
        let index = ev.number(&INDEX, e, Period::Eternity)?.ok_or_else(|| {
            required(
                ev,
                e,
                "average_contribution_index",
                "the basic pension needs the average contribution index (or the career it follows from, pension_career)",
                "基础养老金需要平均缴费指数（或据以计算的缴费记录 pension_career）",
            )
        })?;
        let months = Decimal::from(ev.count(&MONTHS, e, Period::Eternity)?);
        let accrual = ev.rate(ACCRUAL, r.first_day())?.to_decimal();
        let yuan = base.to_decimal() * (Decimal::ONE + index) / Decimal::TWO * accrual * months / Decimal::from(12);
        money(rounded(ev, e, yuan)?)
    });

/// 计发月数: the months dividing the personal account, by age at retirement;
/// for ages in years and months, interpolated between whole ages and rounded
/// to one decimal (this reproduces the month-level divisors 济南 publishes).
pub static DIVISOR: Variable = formula("pension.account_divisor")
    .label("个人账户养老金计发月数", "Months dividing the personal account")
    .value(ValueType::Number, PeriodKind::Eternity)
    .reference("国发〔2005〕38号 附件 个人账户养老金计发月数表")
    .reads(&[&AGE_AT_RETIREMENT, &RETIREMENT_MONTH])
    .params(&[DIVISORS])
    .compute(|ev, e, _| {
        let (Value::Count(age), Some(r)) = (ev.get(&AGE_AT_RETIREMENT, e, Period::Eternity)?, retirement_day(ev, e)?)
        else {
            return Ok(Value::Absent);
        };
        let (years, months) = (age / 12, age % 12);
        let at = |ev: &mut Eval<'_>, y: i64| -> Result<Decimal, EvalError> {
            ev.counts_row(DIVISORS, r.first_day(), &y.to_string()).map(Decimal::from).map_err(|_| {
                InputError::new(
                    format!("persons.{}.planned_retirement", person_id(ev, e)),
                    r,
                    format!("no divisor for a retirement age of {y}"),
                )
                .zh(format!("没有退休年龄 {y} 岁的计发月数"))
                .into()
            })
        };
        let low = at(ev, years)?;
        if months == 0 {
            return Ok(Value::Number(low));
        }
        let high = at(ev, years + 1)?;
        let divisor = low + (high - low) * Decimal::from(months) / Decimal::from(12);
        Ok(Value::Number(divisor.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)))
    });

/// 个人账户养老金: the account balance ÷ the divisor.
pub static ACCOUNT: Variable = formula("pension.account_at_retirement")
    .label("个人账户养老金（退休时）", "Personal-account pension at retirement")
    .value(ValueType::Money, PeriodKind::Eternity)
    .reference("国发〔2005〕38号 第六条")
    .reads(&[&ELIGIBLE, &BALANCE_AT_RETIREMENT, &DIVISOR])
    .compute(|ev, e, _| {
        if !ev.flag(&ELIGIBLE, e, Period::Eternity)? {
            return money(Money::ZERO);
        }
        let Some(divisor) = ev.number(&DIVISOR, e, Period::Eternity)? else { return money(Money::ZERO) };
        let balance = ev.money(&BALANCE_AT_RETIREMENT, e, Period::Eternity)?;
        money(rounded(ev, e, balance.to_decimal() / divisor)?)
    });

/// 基本养老金（退休时）: basic, account and transitional pensions together.
pub static INITIAL: Variable = formula("pension.initial_monthly")
    .label("退休时月基本养老金", "Monthly basic pension at retirement")
    .value(ValueType::Money, PeriodKind::Eternity)
    .reference("国发〔2005〕38号 第六条")
    .reads(&[&ELIGIBLE, &BASIC, &ACCOUNT, &TRANSITIONAL])
    .compute(|ev, e, p| {
        if !ev.flag(&ELIGIBLE, e, p)? {
            return money(Money::ZERO);
        }
        money(ev.money(&BASIC, e, p)? + ev.money(&ACCOUNT, e, p)? + ev.money(&TRANSITIONAL, e, p)?)
    });

/// Applies the rise of `year`: the province's formula where the situation
/// gives it (fixed + per full year of contribution + share of the pension +
/// top-ups), otherwise the national average rise, if one was set; rounded to the fen.
fn with_rise(ev: &mut Eval<'_>, e: Entity, amount: Money, year: i32) -> Result<Money, EvalError> {
    let y = Period::Year(year);
    let parts = [
        ev.get(&RISE_FIXED, e, y)?,
        ev.get(&RISE_PER_YEAR, e, y)?,
        ev.get(&RISE_RATE, e, y)?,
        ev.get(&RISE_TOP_UP, e, y)?,
    ];
    if parts.iter().any(|v| *v != Value::Absent) {
        let money_of = |v: &Value| if let Value::Money(m) = v { *m } else { Money::ZERO };
        let years = ev.count(&MONTHS, e, Period::Eternity)? / 12;
        let share = match &parts[2] {
            Value::Number(d) => rounded(ev, e, amount.to_decimal() * *d)?,
            _ => Money::ZERO,
        };
        return Ok(amount + money_of(&parts[0]) + money_of(&parts[1]).times(years) + share + money_of(&parts[3]));
    }
    let january = Month::of_year(year).next().map_or_else(|| jiff::civil::date(year as i16, 1, 1), |m| m.first_day());
    Ok(match ev.param(RISE, january)? {
        Some(ParamValue::Rate(r)) => raised(amount, r),
        _ => amount,
    })
}

/// A pension raised by the year's national average rise (历年调整退休人员基本养老金的通知):
/// the amount times one plus the rise, rounded half away from zero to the fen.
#[inline]
pub(crate) fn raised(pension: Money, rise: Rate) -> Money {
    pension.mul_rate(Rate::ONE.plus(rise))
}

/// 月基本养老金: the employee basic pension paid in the month, with the rises
/// of each year after retirement (or this year's rise on last December's
/// pension): the province's formula where given for the year, otherwise the
/// national average rise.
pub static MONTHLY: Variable = formula("pension.monthly")
    .label("月基本养老金（职工）", "Employee basic pension paid this month")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔2005〕38号 第六条、第七条；历年调整退休人员基本养老金的通知")
    .reads(&[
        &LAST_DECEMBER,
        &RETIREMENT_MONTH,
        &ELIGIBLE,
        &INITIAL,
        &RISE_FIXED,
        &RISE_PER_YEAR,
        &RISE_RATE,
        &RISE_TOP_UP,
        &MONTHS,
    ])
    .params(&[RISE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        if let Value::Money(last) = ev.get(&LAST_DECEMBER, e, Period::Year(m.year()))? {
            return money(with_rise(ev, e, last, m.year())?);
        }
        let Some(r) = retirement_day(ev, e)? else { return money(Money::ZERO) };
        if m < r || !ev.flag(&ELIGIBLE, e, Period::Eternity)? {
            return money(Money::ZERO);
        }
        let mut amount = ev.money(&INITIAL, e, Period::Eternity)?;
        for year in r.year() + 1..=m.year() {
            amount = with_rise(ev, e, amount, year)?;
        }
        money(amount)
    });

/// The year's pensions: employee basic pension and residents' pension.
pub static ANNUAL: Variable = formula("pension.annual")
    .label("全年基本养老金", "Basic pensions received in the year")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会保险法 第十五条、第二十一条")
    .reads(&[&MONTHLY, &resident::MONTHLY])
    .compute(|ev, e, p| {
        let y = ev.this_year(p)?;
        money(ev.sum_months(&MONTHLY, e, Month::of_year(y))? + ev.sum_months(&resident::MONTHLY, e, Month::of_year(y))?)
    });
