//! The national childcare subsidy (育儿补贴), from 2025: 3,600 a year per child,
//! for the 36 months after the month of birth. Not taxed and not counted as
//! income for 低保 (the means test here leaves it out).

use minsheng_core::money::Money;
use minsheng_core::{Knowledge, Month, Period, PeriodKind, Value, ValueType, Variable};
use rust_decimal::Decimal;

use crate::define::computed;
use crate::iit::inputs::BIRTH_DATE;
use crate::util::{month_of, year_of};

pub(crate) const ANNUAL: &str = "childcare.subsidy.annual_amount";
pub(crate) const MONTHS: &str = "childcare.subsidy.eligible_months";

/// 育儿补贴（当月）: the subsidy for this child for the month.
pub static MONTHLY: Variable = computed(
    "childcare.subsidy",
    "育儿补贴（当月）",
    "Childcare subsidy for the month",
    ValueType::Money,
    PeriodKind::Month,
    Knowledge::Inherit,
    "育儿补贴制度实施方案",
    &[&BIRTH_DATE],
    &[ANNUAL, MONTHS],
    |ev, e, p| {
        let m = month_of(MONTHLY.name, p)?;
        let Some(birth) = ev.date(&BIRTH_DATE, e, Period::Eternity)? else { return Ok(Value::Money(Money::ZERO)) };
        let Some(annual) = ev.amount_if_in_force(ANNUAL, m.first_day())? else { return Ok(Value::Money(Money::ZERO)) };
        let after_birth = Month::of(birth).months_until(m);
        if after_birth < 1 || i64::from(after_birth) > ev.count_param(MONTHS, m.first_day())? {
            return Ok(Value::Money(Money::ZERO));
        }
        Ok(Value::Money(Money::round_from_decimal(annual.to_decimal() / Decimal::from(12)).unwrap_or(Money::ZERO)))
    },
);

/// The year's childcare subsidy for this child.
pub static ANNUAL_SUBSIDY: Variable = computed(
    "childcare.subsidy_annual",
    "育儿补贴（全年）",
    "Childcare subsidy for the year",
    ValueType::Money,
    PeriodKind::Year,
    Knowledge::Inherit,
    "育儿补贴制度实施方案",
    &[&MONTHLY],
    &[],
    |ev, e, p| Ok(Value::Money(ev.sum_months(&MONTHLY, e, Month::of_year(year_of(ANNUAL_SUBSIDY.name, p)?))?)),
);

/// The computed childcare variables.
pub static VARIABLES: &[&Variable] = &[&MONTHLY, &ANNUAL_SUBSIDY];
