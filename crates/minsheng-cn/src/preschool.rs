//! Free preschool (免费学前教育): from the autumn semester of 2025 the
//! 保育教育费 of a child in the year before primary school (学前一年) is waived
//! in public kindergartens, and approved private ones reduce it by the local
//! public level (国办发〔2025〕27号 二). A fee waived, not cash paid: it is the
//! state's spending and the family's saving, outside disposable income (NBS
//! counts no benefit in kind).

use jiff::civil::Date;
use minsheng_core::money::Money;
use minsheng_core::{Month, Period, PeriodKind, Value, ValueType, Variable};

use crate::define::{formula, input};
use crate::person::BIRTH_DATE;

pub(crate) const FREE: &str = "education.preschool.final_year_free";
pub(crate) const ENTRY_AGE: &str = "education.preschool.primary_entry_age";
pub(crate) const START_MONTH: &str = "education.preschool.school_year_start_month";
pub(crate) const FEE_PARAM: &str = "education.preschool.fee_per_semester";

/// In a public or approved private kindergarten (在园) this year.
pub static ENROLLED: Variable = input("kindergarten_enrolled")
    .label("在园（公办或经批准的民办幼儿园）", "In a public or approved private kindergarten")
    .value(ValueType::Bool, PeriodKind::Year)
    .reference("国办发〔2025〕27号 二（一）")
    .otherwise(Value::Bool(false));

/// The local public kindergarten's fee per semester, which the waiver removes.
pub static FEE: Variable = input("preschool_fee_per_semester")
    .label("当地公办幼儿园保育教育费（每学期）", "Local public kindergarten fee per semester")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国办发〔2025〕27号 二（二）")
    .otherwise(Value::Absent);

/// Whether a child born on `birth` is in the year before primary school in
/// the school year beginning in `school_year`: the child reaches `entry_age`
/// from the first day of that school year (month `start_month`) to the day
/// before the next, and so starts primary school the September after.
pub(crate) fn final_year(birth: Date, school_year: i32, entry_age: i64, start_month: i64) -> bool {
    let first = |y: i32| Month::new(y, start_month as u32).map(|m| m.first_day());
    let Ok(years) = i16::try_from(entry_age) else { return false };
    match (first(school_year), first(school_year + 1), birth.checked_add(jiff::Span::new().years(years))) {
        (Some(from), Some(to), Ok(reached)) => from <= reached && reached < to,
        _ => false,
    }
}

/// The semesters beginning in `year`, each as (its first month, the year its
/// school year began): the spring semester six months after the autumn one
/// that began the school year, then the autumn semester.
pub(crate) fn semesters(year: i32, start_month: i64) -> [(Option<Month>, i32); 2] {
    let month = |y: i32, m: i64| u32::try_from(m).ok().and_then(|m| Month::new(y, m));
    let (spring, spring_school_year) =
        if start_month > 6 { (start_month - 6, year - 1) } else { (start_month + 6, year) };
    [(month(year, spring), spring_school_year), (month(year, start_month), year)]
}

/// 免保育教育费: the fees waived for the child in the semesters beginning this
/// year: each semester under the waiver in which the child, in a
/// kindergarten, is in the year before primary school; the local fee as
/// given, else the rule book's (not known nationally: then the figure is
/// unknown and names the input).
pub static FEE_WAIVED: Variable = formula("preschool.fee_waived")
    .label("免除的学前一年保育教育费（全年）", "Preschool fees waived in the year")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国办发〔2025〕27号 二")
    .reads(&[&BIRTH_DATE, &ENROLLED, &FEE])
    .params(&[FREE, ENTRY_AGE, START_MONTH, FEE_PARAM])
    .compute(|ev, e, p| {
        let year = ev.this_year(p)?;
        let none = Ok(Value::Money(Money::ZERO));
        if !ev.flag(&ENROLLED, e, Period::Year(year))? {
            return none;
        }
        let Some(birth) = ev.date(&BIRTH_DATE, e, Period::Eternity)? else { return none };
        let Some(january) = Month::new(year, 1) else { return none };
        let (entry_age, start_month) =
            (ev.count_param(ENTRY_AGE, january.first_day())?, ev.count_param(START_MONTH, january.first_day())?);
        let mut waived = Money::ZERO;
        for (first, school_year) in semesters(year, start_month) {
            let Some(first) = first else { continue };
            if ev.flag_param(FREE, first.first_day())? && final_year(birth, school_year, entry_age, start_month) {
                waived += match ev.get(&FEE, e, Period::Year(year))? {
                    Value::Money(fee) => fee,
                    _ => ev.amount(FEE_PARAM, first.first_day())?,
                };
            }
        }
        Ok(Value::Money(waived))
    });

/// The preschool inputs.
pub static INPUTS: &[&Variable] = &[&ENROLLED, &FEE];

/// The preschool variables.
pub static VARIABLES: &[&Variable] = &[&FEE_WAIVED];

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_year_before_primary_school_is_the_school_year_in_which_the_child_turns_six() {
        // Born 1 July 2020: six on 1 July 2026, primary school from September 2026.
        assert!(final_year(date(2020, 7, 1), 2025, 6, 9));
        assert!(!final_year(date(2020, 7, 1), 2024, 6, 9));
        assert!(!final_year(date(2020, 7, 1), 2026, 6, 9));
        // The cut-off: born 31 August 2020 is six on 31 August 2026, before the school year 2026.
        assert!(final_year(date(2020, 8, 31), 2025, 6, 9));
        // Born 1 September 2020 is six on the first day of the school year 2026: a year later.
        assert!(final_year(date(2020, 9, 1), 2026, 6, 9));
    }

    #[test]
    fn a_year_has_a_spring_semester_of_last_school_year_and_an_autumn_one_of_its_own() {
        let [(spring, a), (autumn, b)] = semesters(2026, 9);
        assert_eq!((spring, a, autumn, b), (Month::new(2026, 3), 2025, Month::new(2026, 9), 2026));
    }
}
