//! Support for the destitute (特困人员救助供养, 社会救助暂行办法 第三章): the local
//! basic-living standard paid each month to a person recognised as destitute.
//! A programme of its own beside 低保 ([`crate::assistance`]): the person
//! statement counts it as a benefit, and 低保 counts the statement.

use minsheng_core::money::Money;
use minsheng_core::{Month, Period, PeriodKind, Value, ValueType, Variable};

use crate::define::{formula, input};

/// 特困人员基本生活标准: the monthly support of a person recognised as destitute (local standard).
pub static DESTITUTE_STANDARD: Variable = input("destitute_support")
    .label("特困人员基本生活标准（每月，当地）", "Support for the destitute (monthly, local standard)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会救助暂行办法 第十四条至第二十条")
    .otherwise(Value::Absent);

/// 特困供养（当月）: the local basic-living standard of a destitute person.
pub static DESTITUTE: Variable = formula("assistance.destitute_support")
    .label("特困人员救助供养金（当月）", "Support for the destitute this month")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("社会救助暂行办法 第十四条至第二十条")
    .reads(&[&DESTITUTE_STANDARD])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        match ev.get(&DESTITUTE_STANDARD, e, Period::Year(m.year()))? {
            Value::Money(s) => Ok(Value::Money(s)),
            _ => Ok(Value::Money(Money::ZERO)),
        }
    });

/// The year's support for the destitute.
pub static DESTITUTE_ANNUAL: Variable = formula("assistance.destitute_support_annual")
    .label("特困人员救助供养金（全年）", "Support for the destitute for the year")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会救助暂行办法 第十四条")
    .reads(&[&DESTITUTE])
    .compute(|ev, e, p| Ok(Value::Money(ev.sum_months(&DESTITUTE, e, Month::of_year(ev.this_year(p)?))?)));

/// The inputs of support for the destitute.
pub static INPUTS: &[&Variable] = &[&DESTITUTE_STANDARD];

/// The computed variables of support for the destitute.
pub static VARIABLES: &[&Variable] = &[&DESTITUTE, &DESTITUTE_ANNUAL];
