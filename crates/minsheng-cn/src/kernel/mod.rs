//! The year kernel (年度快速核算): the rule book's figures for a whole year of
//! one household, computed straight through for the inputs a population run
//! gives, with the law of the year read once ([`YearLaw`]).
//!
//! The formulas of the other modules are the rule book: lazy, memoised,
//! explained down to each parameter. Evaluating them costs about 1,200 reads
//! per person and year, which keeps a run of the whole country to hours. The
//! kernel is a second reading of the same rules for a narrow set of inputs
//! (a wage paid every month by one employer, employee or flexible-worker
//! insurance in one locality, children's and elderly-support deductions, a
//! pension in payment, the residents' pension, the unemployment benefit of a
//! person out of work, 低保 by a given or the national average standard), month by month where the law is, under the law as known at the
//! end of each month for withholding. It calls the same arithmetic as the
//! formulas (each rule's pure function in its programme's module) and reads
//! the same parameters by the same paths, so reforms reach it as they reach
//! the formulas; what is its own is the wiring: which month, which state of
//! knowledge, which member.
//!
//! It is held equal to the formulas, to the fen, by the differential tests of
//! `minsheng-sim` (`tests/kernel.rs`): every field of the year of every
//! household of a synthetic population ([`household_year`] against
//! [`household_year_by_formulas`]), for every year the population covers,
//! under the baseline and every reform file; and every parameter the formulas
//! read for those households is one the kernel reads, or one of
//! [`INERT_FOR_ITS_INPUTS`]. Where the kernel meets a parameter it cannot read
//! (a [`Gap`]), the household goes to the formulas, which give the figure or
//! the error.

mod formulas;
mod law;
mod person;
mod situation;

use jiff::civil::Date;
use minsheng_core::{Money, Month, Variable};
use rust_decimal::Decimal;

pub use formulas::household_year as household_year_by_formulas;
pub use law::{Gap, Need, YearLaw};

use person::{PersonRun, Taxes};

/// The parameters the formulas read for the kernel's households that cannot
/// change those households' figures, each with the input it acts on, which
/// is none of the kernel's: it is read, and multiplies or caps nothing. The
/// kernel reads every other parameter the formulas read for its households
/// (a test holds this, year by year); a reform of one of these still sends
/// every household to the formulas ([`YearLaw::stands_for`]).
pub const INERT_FOR_ITS_INPUTS: &[(&str, &Variable)] = &[
    // Whether the bonus may be taxed apart: without a bonus both methods give the same tax.
    (crate::iit::payments::SEPARATE, &crate::iit::inputs::ANNUAL_BONUS),
    // Labour, author and royalty income's expense deduction and author's ratio.
    (crate::iit::payments::EXPENSE_RATE, &crate::iit::inputs::LABOUR_REMUNERATION),
    (crate::iit::payments::AUTHOR_RATIO, &crate::iit::inputs::AUTHOR_REMUNERATION),
    // The caps on deductible premiums and private pension contributions.
    (crate::iit::annual::HEALTH_ANNUAL, &crate::iit::inputs::HEALTH_INSURANCE),
    (crate::iit::withholding::HEALTH_MONTHLY, &crate::iit::inputs::HEALTH_INSURANCE),
    (crate::iit::withholding::PENSION_CAP, &crate::iit::inputs::PENSION_CONTRIBUTION),
    (crate::iit::withholding::PENSION_NATIONWIDE, &crate::iit::inputs::PENSION_CONTRIBUTION),
    // The serious-illness deduction's threshold and cap, on costs the kernel's persons do not have.
    (crate::iit::sad::ILLNESS_THRESHOLD, &crate::iit::inputs::ILLNESS_COSTS),
    (crate::iit::sad::ILLNESS_CAP, &crate::iit::inputs::ILLNESS_COSTS),
    // The first-job rule, for a person first employed during the year: the
    // kernel's wage is paid by one employer all year.
    (crate::iit::withholding::FIRST_JOB, &crate::iit::inputs::EMPLOYER),
];

/// A person as the kernel takes them.
#[derive(Clone, Debug)]
pub struct Person<'a> {
    /// Date of birth (`birth_date`).
    pub birth: Date,
    /// The wage paid in every month of the year by one employer (`wage`); zero if none.
    pub monthly_wage: Money,
    /// Insured in the law's locality (`locality` given): an employee while paid
    /// wages, or a flexible worker.
    pub insured: bool,
    /// A flexible worker (`flexible`) on this tier of the average wage (`flexible_base_share`).
    pub flexible_share: Option<Decimal>,
    /// Last December's employee pension (`pension_last_december`).
    pub pension_last_december: Option<Money>,
    /// The residents' pension (`resident_pension_enrolled` and its history).
    pub resident_pension: Option<ResidentPension>,
    /// The household members (by index) who claim this child's deductions, in
    /// equal shares (`deduction_claimants`).
    pub claimants: &'a [usize],
    /// The parent the person supports (`elderly_support`).
    pub elderly_parent: Option<ElderlyParent>,
    /// A spell of the unemployment benefit, for a person not insured in the
    /// year (no locality, so no local bounds to check the amount against).
    pub unemployment: Option<UnemploymentSpell>,
    /// In a kindergarten this year (`kindergarten_enrolled`), with the local
    /// public fee per semester (`preschool_fee_per_semester`).
    pub preschool_fee: Option<Money>,
}

/// A spell of unemployment with the benefit (失业保险金).
#[derive(Copy, Clone, Debug)]
pub struct UnemploymentSpell {
    /// The first month of the benefit (`unemployment_start`).
    pub start: Month,
    /// Months of contribution before it (`unemployment_contribution_months`).
    pub contribution_months: i64,
    /// The monthly benefit (`unemployment_benefit_amount`, the same in every month of the year).
    pub monthly_amount: Money,
}

/// A residents' pension account.
#[derive(Copy, Clone, Debug)]
pub struct ResidentPension {
    /// The account balance (`resident_pension_account`).
    pub account: Money,
    /// Months of contribution (`resident_pension_months`).
    pub months: i64,
}

/// A supported parent.
#[derive(Copy, Clone, Debug)]
pub struct ElderlyParent {
    /// The parent's date of birth (`elderly_parent_birth_date`).
    pub birth: Date,
    /// The children who support the parent: 1 for an only child (`only_child`),
    /// more when they share equally (`shared_equally`, `elderly_support_siblings`).
    pub children: u8,
}

/// Urban or rural (`area`), for the national average 低保 standard.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Area {
    /// 城市.
    Urban,
    /// 农村.
    Rural,
}

/// A household as the kernel takes it.
#[derive(Clone, Debug)]
pub struct Household<'a> {
    /// The members.
    pub members: &'a [Person<'a>],
    /// Urban or rural; `None` when 低保 is not assessed.
    pub area: Option<Area>,
    /// Other counted income (`other_counted_income`).
    pub other_income: Money,
    /// Meets the local asset conditions (`meets_asset_test`).
    pub meets_asset_test: bool,
    /// The local 低保 standard per person and month (`dibao_standard`), which
    /// stands before the locality's and the national average.
    pub local_standard: Option<Money>,
}

/// One person's year: the figures a population run reads, each named by its
/// variable, from the kernel ([`household_year`]) or the formulas
/// ([`household_year_by_formulas`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonYear {
    /// `iit.total`.
    pub income_tax: Money,
    /// `iit.annual.prepaid`: tax withheld on wages during the year, where the
    /// tax needed it; `None` where the law settles in December (the tax is
    /// then the year's tax whatever was withheld, and withholding is not computed).
    pub withheld: Option<Money>,
    /// Employee and employer social insurance contributions of the year (the
    /// seven monthly contributions, summed).
    pub social_insurance: Money,
    /// `iit.annual.special_deduction`: the employee's own contributions of the year.
    pub employee_contributions: Money,
    /// `medical.resident_contribution_paid`.
    pub resident_medical_paid: Money,
    /// The year's `pension.monthly`.
    pub employee_pension: Money,
    /// The year's `pension.resident_monthly`.
    pub resident_pension: Money,
    /// `unemployment.annual_benefit`.
    pub unemployment_benefit: Money,
    /// `childcare.subsidy_annual`.
    pub childcare_subsidy: Money,
    /// `preschool.fee_waived` (a fee waived: not in `benefits` or `disposable`).
    pub preschool_fee_waived: Money,
    /// `medical.resident_fiscal_subsidy`.
    pub resident_medical_subsidy: Money,
    /// In the residents' medical insurance scheme (`medical.scheme` is `resident`).
    pub resident_medical: bool,
    /// `medical.public_health_funding`.
    pub public_health: Money,
    /// `income.market`.
    pub market: Money,
    /// `income.benefits`.
    pub benefits: Money,
    /// `income.contributions`.
    pub contributions: Money,
    /// `income.disposable`.
    pub disposable: Money,
}

/// One household's year (its members' years are written apart: see [`household_year`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HouseholdYear {
    /// `assistance.dibao_annual`.
    pub dibao: Money,
    /// `assistance.dibao_standard` in June, where 低保 is assessed.
    pub dibao_standard_june: Option<Money>,
    /// `other_counted_income`: the household's income other than its members'.
    pub other_income: Money,
    /// `household.market_income`.
    pub market: Money,
    /// `household.disposable_income`.
    pub disposable: Money,
}

/// Computes the year of household `h` under `law`; its members' years go to
/// `persons` (cleared first, in the order of the members), so that a run can
/// hand one buffer from household to household. `taxes_from`: the members'
/// years under a law with the same contribution and tax law
/// ([`YearLaw::same_taxes`]), whose contributions and income tax are taken
/// as they are.
pub fn household_year(
    law: &YearLaw,
    h: &Household<'_>,
    persons: &mut Vec<PersonYear>,
    taxes_from: Option<&[PersonYear]>,
) -> Need<HouseholdYear> {
    persons.clear();
    // What 低保 counts of the members' income, where it is assessed.
    let mut counted = Money::ZERO;
    for (me, person) in h.members.iter().enumerate() {
        let run = PersonRun::new(law, h.members, (me, person));
        let taxes = match taxes_from.and_then(|years| years.get(me)) {
            Some(year) => Taxes::of(year),
            None => run.taxes()?,
        };
        let (year, counted_of_year) = run.year(taxes, h.area.is_some())?;
        counted += counted_of_year;
        persons.push(year);
    }
    let persons = &*persons;
    let (mut market, mut members_disposable) = (Money::ZERO, Money::ZERO);
    for p in persons {
        market += p.market;
        members_disposable += p.disposable;
    }
    let (dibao, dibao_standard_june) = dibao(law, h, counted)?;
    // The members' market income and benefits less their tax and contributions, plus
    // the household's other income and 低保 (`household.disposable_income`).
    let disposable = members_disposable + h.other_income + dibao;
    Ok(HouseholdYear { dibao, dibao_standard_june, other_income: h.other_income, market, disposable })
}

/// 低保 for the year and the standard in June: the standard times the members,
/// less a twelfth of the counted income, month by month.
fn dibao(law: &YearLaw, h: &Household<'_>, members_counted: Money) -> Need<(Money, Option<Money>)> {
    let Some(area) = h.area else { return Ok((Money::ZERO, None)) };
    let monthly = crate::assistance::monthly_counted(members_counted + h.other_income);
    let size = h.members.len() as i64;
    let insured = h.members.iter().any(|p| p.insured);
    let mut total = Money::ZERO;
    let mut june = None;
    for (m, benefits) in law.months.iter().zip(&law.benefits) {
        let local = match h.local_standard {
            Some(given) => Some(given),
            None if insured => benefits.dibao_local?,
            None => None,
        };
        let standard = match local {
            Some(s) => s,
            None => match area {
                Area::Urban => benefits.dibao_urban?,
                Area::Rural => benefits.dibao_rural?,
            }
            .ok_or(Gap("assistance.dibao: no standard for the year"))?,
        };
        if m.number() == 6 {
            june = Some(standard);
        }
        if h.meets_asset_test {
            total += crate::assistance::dibao_month(standard, size, monthly);
        }
    }
    Ok((total, june))
}

/// Whether month `m` is on or after the month of reaching `years` of age
/// (`month_reaching_age`, by month arithmetic).
fn reached(birth: Date, years: i64, m: Month) -> bool {
    i64::from(Month::of(birth).months_until(m)) >= years * 12
}
