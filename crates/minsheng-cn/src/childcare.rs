//! The national childcare subsidy (育儿补贴), from 2025: 3,600 a year per child
//! under 3, paid by the year (按年发放) until the third birthday; a child born
//! before the plan took effect gets 300 for each month left to it
//! (按应享受补贴月数折算). Not taxed and not counted as income for 低保 (the
//! means test here leaves it out).

use minsheng_core::money::Money;
use minsheng_core::{Month, Period, PeriodKind, Value, ValueType, Variable};

use crate::define::formula;
use crate::person::BIRTH_DATE;

pub(crate) const ANNUAL: &str = "childcare.subsidy.annual_amount";
pub(crate) const MONTHS: &str = "childcare.subsidy.eligible_months";

/// The subsidy paid in month `m` for a child born in month `born`, given the
/// year's amount in force in `m` (`annual`), whether the plan was in force in
/// the month of birth (`born_under_plan`) and the months to the third
/// birthday (`months`, 36). A child born under the plan is paid the year's
/// amount once for each year of age, in the month of birth and on each
/// anniversary before the third birthday (the plan pays by the year; the
/// month within the year is the provinces' choice, and this one keeps every
/// calendar year's total right). A child born before is paid a twelfth of it
/// for each month from the month after birth to the third birthday that falls
/// under the plan (the official example: born December 2023, 24 months).
pub(crate) fn paid_in(m: Month, born: Month, annual: Money, born_under_plan: bool, months: i64) -> Money {
    let after_birth = i64::from(born.months_until(m));
    if born_under_plan {
        let anniversary = (0..months).contains(&after_birth) && after_birth % 12 == 0;
        return if anniversary { annual } else { Money::ZERO };
    }
    if (1..=months).contains(&after_birth) { annual.div_round(12).unwrap_or(Money::ZERO) } else { Money::ZERO }
}

/// 育儿补贴（当月）: the subsidy paid for this child in the month.
pub static MONTHLY: Variable = formula("childcare.subsidy")
    .label("育儿补贴（当月）", "Childcare subsidy for the month")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("育儿补贴制度实施方案 二")
    .reads(&[&BIRTH_DATE])
    .params(&[ANNUAL, MONTHS])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let Some(birth) = ev.date(&BIRTH_DATE, e, Period::Eternity)? else { return Ok(Value::Money(Money::ZERO)) };
        let Some(annual) = ev.amount_if_in_force(ANNUAL, m.first_day())? else { return Ok(Value::Money(Money::ZERO)) };
        let born = Month::of(birth);
        let months = ev.count_param(MONTHS, m.first_day())?;
        if !(0..=months).contains(&i64::from(born.months_until(m))) {
            return Ok(Value::Money(Money::ZERO));
        }
        let born_under_plan = ev.amount_if_in_force(ANNUAL, born.first_day())?.is_some();
        Ok(Value::Money(paid_in(m, born, annual, born_under_plan, months)))
    });

/// The year's childcare subsidy for this child.
pub static ANNUAL_SUBSIDY: Variable = formula("childcare.subsidy_annual")
    .label("育儿补贴（全年）", "Childcare subsidy for the year")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("育儿补贴制度实施方案")
    .reads(&[&MONTHLY])
    .compute(|ev, e, p| Ok(Value::Money(ev.sum_months(&MONTHLY, e, Month::of_year(ev.this_year(p)?))?)));

/// The computed childcare variables.
pub static VARIABLES: &[&Variable] = &[&MONTHLY, &ANNUAL_SUBSIDY];
