//! A household's year read from the formulas, in the kernel's terms
//! ([`PersonYear`], [`HouseholdYear`]): the population reads the same
//! figures whichever reading of the rules computed them, and each field
//! names here, once, the variable it is.

use minsheng_core::{Entity, Eval, EvalError, Money, Month, Period, Variable};

use super::{HouseholdYear, PersonYear};
use crate::social_insurance::contributions as si;
use crate::{assistance, childcare, household, iit, medical, pension, statement, unemployment};

/// The contributions of the year, employee's and employer's (`social_insurance.*`).
const CONTRIBUTIONS: [&Variable; 7] = [
    &si::PENSION_EMPLOYEE,
    &si::MEDICAL_EMPLOYEE,
    &si::UNEMPLOYMENT_EMPLOYEE,
    &si::PENSION_EMPLOYER,
    &si::MEDICAL_EMPLOYER,
    &si::UNEMPLOYMENT_EMPLOYER,
    &si::WORK_INJURY_EMPLOYER,
];

/// The year of the household of `ev`'s situation under `ev`'s parameters, by
/// the formulas; its members' years go to `persons` (cleared first), in the
/// order of the situation's persons. What was withheld is not read
/// (`withheld` is `None`): the tax of a person without income spares
/// computing it.
///
/// # Errors
/// The first figure the formulas cannot compute.
pub fn household_year(ev: &mut Eval<'_>, persons: &mut Vec<PersonYear>) -> Result<HouseholdYear, EvalError> {
    let year = ev.situation().year;
    let y = Period::Year(year);
    persons.clear();
    for p in 0..ev.situation().persons.len() {
        persons.push(person_year(ev, Entity::Person(p), year)?);
    }
    let h = Entity::Household(0);
    // The standard in June where 低保 is assessed (an area given), as the kernel gives it.
    let june = Month::new(year, 6).map(Period::Month).filter(|_| assessed(ev, h));
    Ok(HouseholdYear {
        dibao: ev.money(&assistance::DIBAO_ANNUAL, h, y)?,
        dibao_standard_june: june.and_then(|june| ev.money(&assistance::STANDARD, h, june).ok()),
        other_income: ev.money(&assistance::OTHER_INCOME, h, y)?,
        market: ev.money(&household::HOUSEHOLD_MARKET, h, y)?,
        disposable: ev.money(&household::HOUSEHOLD_DISPOSABLE, h, y)?,
    })
}

/// Whether the household is assessed for 低保: its area is given.
fn assessed(ev: &mut Eval<'_>, h: Entity) -> bool {
    matches!(ev.choice(&assistance::AREA, h, Period::Eternity), Ok(Some(_)))
}

/// The year of person `e`.
fn person_year(ev: &mut Eval<'_>, e: Entity, year: i32) -> Result<PersonYear, EvalError> {
    let y = Period::Year(year);
    let months = || Month::of_year(year);
    let mut social_insurance = Money::ZERO;
    for var in CONTRIBUTIONS {
        social_insurance += ev.sum_months(var, e, months())?;
    }
    Ok(PersonYear {
        income_tax: ev.money(&iit::annual::TOTAL, e, y)?,
        withheld: None,
        social_insurance,
        employee_contributions: ev.money(&iit::annual::SPECIAL_DEDUCTION, e, y)?,
        resident_medical_paid: ev.money(&medical::RESIDENT_PAID, e, y)?,
        employee_pension: ev.sum_months(&pension::employee::MONTHLY, e, months())?,
        resident_pension: ev.sum_months(&pension::resident::MONTHLY, e, months())?,
        unemployment_benefit: ev.money(&unemployment::ANNUAL, e, y)?,
        childcare_subsidy: ev.money(&childcare::ANNUAL_SUBSIDY, e, y)?,
        preschool_fee_waived: ev.money(&crate::preschool::FEE_WAIVED, e, y)?,
        resident_medical_subsidy: ev.money(&medical::RESIDENT_SUBSIDY, e, y)?,
        resident_medical: ev.choice(&medical::SCHEME, e, y)? == Some("resident"),
        public_health: ev.money(&medical::PUBLIC_HEALTH_FUNDING, e, y)?,
        market: ev.money(&statement::MARKET_INCOME, e, y)?,
        benefits: ev.money(&statement::BENEFITS, e, y)?,
        contributions: ev.money(&statement::CONTRIBUTIONS, e, y)?,
        disposable: ev.money(&statement::DISPOSABLE, e, y)?,
    })
}
