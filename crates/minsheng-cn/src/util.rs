//! Small helpers shared by the formulas.

use jiff::civil::{Date, date};
use minsheng_core::money::Money;
use minsheng_core::{Entity, Eval, EvalError, Month, Period, Value, Variable};

/// The first day of a year: the date a year's crediting rate and account share are read for.
pub(crate) fn year_start(year: i32) -> Date {
    date(year as i16, 1, 1)
}

/// The last day of a year: the date yearly parameters are read for.
pub(crate) fn year_end(year: i32) -> Date {
    date(year as i16, 12, 31)
}

/// The months of `year` up to and including `last`.
pub(crate) fn months_through(last: Month) -> impl Iterator<Item = Month> {
    Month::of_year(last.year()).take_while(move |m| *m <= last)
}

/// The id of a person as given in the situation, for error messages.
pub(crate) fn person_id(ev: &Eval<'_>, e: Entity) -> String {
    match e {
        Entity::Person(p) => ev.situation().persons.get(p).map_or_else(String::new, |p| p.id.clone()),
        Entity::Household(h) => ev.situation().households.get(h).map_or_else(String::new, |h| h.id.clone()),
    }
}

/// An amount as a formula's result.
pub(crate) fn money(m: Money) -> Result<Value, EvalError> {
    Ok(Value::Money(m))
}

/// The sum of the monthly amount `var` over the year of the yearly formula computing.
pub(crate) fn year_sum(
    ev: &mut Eval<'_>,
    e: Entity,
    period: Period,
    var: &'static Variable,
) -> Result<Money, EvalError> {
    ev.sum_months(var, e, Month::of_year(ev.this_year(period)?))
}

/// The sum of the money figures `vars` of `e` in `p`.
pub(crate) fn sum_of(ev: &mut Eval<'_>, e: Entity, p: Period, vars: &[&'static Variable]) -> Result<Money, EvalError> {
    let mut total = Money::ZERO;
    for var in vars {
        total += ev.money(var, e, p)?;
    }
    Ok(total)
}
