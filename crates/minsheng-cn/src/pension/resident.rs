//! The urban and rural residents' basic pension (城乡居民基本养老金), 国发〔2014〕8号:
//! from age 60 with 15 years of contribution, the central minimum basic pension
//! plus the local top-up plus the personal account ÷ 139.

use minsheng_core::money::Money;
use minsheng_core::period::month_reaching_age;
use minsheng_core::{InputError, Period, PeriodKind, Value, ValueType, Variable};

use super::inputs::{RESIDENT_ACCOUNT, RESIDENT_ENROLLED, RESIDENT_MONTHS, RESIDENT_TOP_UP};
use crate::define::formula;
use crate::person::BIRTH_DATE;
use crate::util::person_id;

pub const MINIMUM: &str = "pension.resident.central_minimum";
pub const DIVISOR: &str = "pension.resident.account_divisor";
pub const AGE: &str = "pension.resident.pension_age";
pub const MONTHS: &str = "pension.resident.minimum_contribution_months";

/// The minimum contribution months of the residents' pension in force on 1
/// January of `year`, as `params` set it; `None` where none is in force.
pub fn minimum_months(params: &minsheng_core::ParamSet, year: i32) -> Option<i64> {
    let january = jiff::civil::Date::new(i16::try_from(year).ok()?, 1, 1).ok()?;
    match params.lookup(MONTHS, january, None).ok()?.entry.value {
        Some(minsheng_core::params::ParamValue::Count(n)) => Some(n),
        _ => None,
    }
}

/// 城乡居民养老金: the residents' pension paid in the month.
pub static MONTHLY: Variable = formula("pension.resident_monthly")
    .label("月城乡居民基本养老金", "Residents' basic pension paid this month")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔2014〕8号 第六条、第七条")
    .reads(&[&RESIDENT_ENROLLED, &BIRTH_DATE, &RESIDENT_MONTHS, &RESIDENT_ACCOUNT, &RESIDENT_TOP_UP])
    .params(&[MINIMUM, DIVISOR, AGE, MONTHS])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        if !ev.flag(&RESIDENT_ENROLLED, e, Period::Eternity)? {
            return Ok(Value::Money(Money::ZERO));
        }
        let birth = ev.date(&BIRTH_DATE, e, Period::Eternity)?.ok_or_else(|| {
            InputError::new(
                format!("persons.{}.birth_date", person_id(ev, e)),
                "(missing)",
                "the residents' pension starts at an age: give the date of birth",
            )
            .zh("城乡居民养老金按年龄领取：请给出出生日期")
        })?;
        let day = m.first_day();
        let age = ev.count_param(AGE, day)?;
        let enough = ev.count(&RESIDENT_MONTHS, e, Period::Eternity)? >= ev.count_param(MONTHS, day)?;
        if m < month_reaching_age(birth, age as i32) || !enough {
            return Ok(Value::Money(Money::ZERO));
        }
        let account = account_pension(ev.money(&RESIDENT_ACCOUNT, e, Period::Eternity)?, ev.count_param(DIVISOR, day)?);
        let basic = basic_pension(ev.amount(MINIMUM, day)?, ev.money(&RESIDENT_TOP_UP, e, Period::Year(m.year()))?);
        Ok(Value::Money(basic + account))
    });

/// 个人账户养老金 of the residents' pension: the account divided by the months
/// of the divisor (139), rounded half away from zero to the fen (国发〔2014〕8号 第七条).
#[inline]
pub fn account_pension(account: Money, divisor: i64) -> Money {
    account.div_round(divisor).unwrap_or(Money::ZERO)
}

/// 基础养老金 of the residents' pension: the central minimum and the local
/// top-up above it (国发〔2014〕8号 第六条).
#[inline]
pub fn basic_pension(central_minimum: Money, local_top_up: Money) -> Money {
    central_minimum + local_top_up
}
