//! The law of one year, read once from a parameter set: every parameter the
//! kernel uses, month by month, under each state of knowledge that the
//! year's withholding needs.
//!
//! A parameter that cannot be read where the formulas would need it (not in
//! force, of another kind, missing from a locality file) is kept as a
//! [`Gap`], raised only when a household needs it; the household then goes
//! to the formulas, which give the figure or the error.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::civil::Date;
use minsheng_core::params::ParamValue;
use minsheng_core::{Money, Month, ParamSet, Rate, Scale};

use crate::iit::{annual, sad, withholding};
use crate::pension::{employee, resident};
use crate::social_insurance::contributions as si;
use crate::{assistance, childcare, medical, preschool, unemployment};

/// What the kernel could not read: the parameter's path as the formulas declare it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Gap(pub &'static str);

/// A figure, or the parameter that stops it.
pub type Need<T> = Result<T, Gap>;

/// Reads parameters as the formulas do: in force on a date, as known on a
/// date; and notes which it read, and (where asked) which it could not.
#[derive(Copy, Clone)]
struct Reader<'a> {
    params: &'a ParamSet,
    known_at: Option<Date>,
    locality: &'a str,
    read: &'a RefCell<BTreeSet<&'static str>>,
    /// Where each gap met is noted, by path: the gaps of a month's law come from
    /// its reads, so no list of its fields is kept by hand.
    gaps: Option<&'a RefCell<BTreeSet<&'static str>>>,
}

impl<'a> Reader<'a> {
    /// A gap at `path`, noted.
    fn gap(&self, path: &'static str) -> Gap {
        if let Some(gaps) = self.gaps {
            gaps.borrow_mut().insert(path);
        }
        Gap(path)
    }

    /// The value in force (`None`: explicitly not in force). A value not
    /// known yet is a gap: the formulas report the figures needing it unknown.
    fn value(&self, path: &'static str, on: Date) -> Need<Option<&'a ParamValue>> {
        self.read.borrow_mut().insert(path);
        let found = if path.contains('*') {
            self.params.lookup(&path.replacen('*', self.locality, 1), on, self.known_at)
        } else {
            self.params.lookup(path, on, self.known_at)
        };
        match found {
            Ok(f) if !f.entry.unknown => Ok(f.entry.value.as_ref()),
            _ => Err(self.gap(path)),
        }
    }

    fn amount_if(&self, path: &'static str, on: Date) -> Need<Option<Money>> {
        match self.value(path, on)? {
            None => Ok(None),
            Some(ParamValue::Amount(m)) => Ok(Some(*m)),
            Some(_) => Err(self.gap(path)),
        }
    }

    fn amount(&self, path: &'static str, on: Date) -> Need<Money> {
        self.amount_if(path, on)?.ok_or_else(|| self.gap(path))
    }

    /// A flag; `false` where not in force.
    fn flag_if(&self, path: &'static str, on: Date) -> Need<bool> {
        match self.value(path, on)? {
            None => Ok(false),
            Some(ParamValue::Flag(f)) => Ok(*f),
            Some(_) => Err(self.gap(path)),
        }
    }

    fn rate(&self, path: &'static str, on: Date) -> Need<Rate> {
        match self.value(path, on)? {
            Some(ParamValue::Rate(r)) => Ok(*r),
            _ => Err(self.gap(path)),
        }
    }

    fn count(&self, path: &'static str, on: Date) -> Need<i64> {
        match self.value(path, on)? {
            Some(ParamValue::Count(n)) => Ok(*n),
            _ => Err(self.gap(path)),
        }
    }

    fn counts(&self, path: &'static str, on: Date) -> Need<Arc<std::collections::BTreeMap<String, i64>>> {
        match self.value(path, on)? {
            Some(ParamValue::Counts(t)) => Ok(t.clone()),
            _ => Err(self.gap(path)),
        }
    }

    fn scale(&self, path: &'static str, on: Date) -> Need<Arc<Scale>> {
        match self.value(path, on)? {
            Some(ParamValue::Scale(s)) => Ok(s.clone()),
            _ => Err(self.gap(path)),
        }
    }
}

/// The parameters of one month behind contributions and withholding, as known on one date.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MonthLaw {
    pub contributions: ContributionLaw,
    pub deductions: DeductionLaw,
    pub basic_deduction: Need<Money>,
    pub scale: Need<Arc<Scale>>,
    /// The paths that could not be read, as met while reading the rest.
    gaps: BTreeSet<&'static str>,
}

/// The parameters of one month behind the special additional deductions the
/// kernel's inputs can claim.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DeductionLaw {
    pub child_education: Need<Money>,
    pub child_education_start_age: Need<i64>,
    /// `None` before the infant-care deduction existed.
    pub infant_care: Need<Option<Money>>,
    pub infant_care_end_age: Need<i64>,
    pub elderly_total: Need<Money>,
    pub elderly_cap: Need<Money>,
    pub elderly_parent_age: Need<i64>,
}

/// The parameters of one month behind social insurance contributions.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ContributionLaw {
    /// The locality's average wage, a twelfth of the annual figure (rounded).
    pub average_wage: Need<Money>,
    /// The contribution base's floor and ceiling.
    pub bounds: Need<(Money, Money)>,
    pub pension_employee_rate: Need<Rate>,
    pub flexible_pension_rate: Need<Rate>,
    pub pension_employer_rate: Need<Rate>,
    pub medical_employee_rate: Need<Rate>,
    /// The locality's fixed monthly employee medical amount, where it sets one.
    pub medical_employee_fixed: Need<Option<Money>>,
    pub medical_employer_rate: Need<Rate>,
    pub unemployment_employee_rate: Need<Rate>,
    pub unemployment_employer_rate: Need<Rate>,
}

impl MonthLaw {
    fn read(r: &Reader<'_>, m: Month) -> MonthLaw {
        let day = m.first_day();
        let gaps = RefCell::new(BTreeSet::new());
        let r = &Reader { gaps: Some(&gaps), ..*r };
        let law = MonthLaw {
            contributions: ContributionLaw::read(r, day),
            deductions: DeductionLaw {
                child_education: r.amount(sad::PER_CHILD, day),
                child_education_start_age: r.count(sad::START_AGE, day),
                infant_care: r.amount_if(sad::INFANT, day),
                infant_care_end_age: r.count(sad::INFANT_END_AGE, day),
                elderly_total: r.amount(sad::ELDERLY_TOTAL, day),
                elderly_cap: r.amount(sad::ELDERLY_CAP, day),
                elderly_parent_age: r.count(sad::PARENT_AGE, day),
            },
            basic_deduction: r.amount(annual::BASIC_ANNUAL, day).map(withholding::basic_monthly),
            scale: r.scale(annual::ANNUAL_SCALE, day),
            gaps: BTreeSet::new(),
        };
        MonthLaw { gaps: gaps.into_inner(), ..law }
    }
}

impl ContributionLaw {
    fn read(r: &Reader<'_>, day: Date) -> ContributionLaw {
        let average_wage = r.amount(si::AVERAGE_WAGE_ANNUAL, day).map(si::monthly_average_wage);
        let published = (r.amount_if(si::LOCAL_FLOOR, day), r.amount_if(si::LOCAL_CEILING, day));
        // Each bound as published, or else its share of the average wage (`contributions::BASE`).
        let bounds = match published {
            (Err(gap), _) | (_, Err(gap)) => Err(gap),
            (Ok(floor), Ok(ceiling)) => (|| {
                let floor = match floor {
                    Some(f) => f,
                    None => average_wage?.mul_rate(r.rate(si::FLOOR, day)?),
                };
                let ceiling = match ceiling {
                    Some(c) => c,
                    None => average_wage?.mul_rate(r.rate(si::CEILING, day)?),
                };
                Ok((floor, ceiling))
            })(),
        };
        ContributionLaw {
            average_wage,
            bounds,
            pension_employee_rate: r.rate(si::PENSION_EMPLOYEE_RATE, day),
            flexible_pension_rate: r.rate(si::FLEXIBLE_RATE, day),
            pension_employer_rate: r.rate(si::PENSION_EMPLOYER_RATE, day),
            medical_employee_rate: r.rate(si::MEDICAL_EMPLOYEE_RATE, day),
            medical_employee_fixed: r.amount_if(si::MEDICAL_EMPLOYEE_FIXED, day),
            medical_employer_rate: r.rate(si::MEDICAL_EMPLOYER_RATE, day),
            unemployment_employee_rate: r.rate(si::UNEMPLOYMENT_EMPLOYEE_RATE, day),
            unemployment_employer_rate: r.rate(si::UNEMPLOYMENT_EMPLOYER_RATE, day),
        }
    }
}

/// The parameters of one month behind benefits (with full knowledge).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct BenefitLaw {
    pub resident_minimum: Need<Money>,
    pub resident_divisor: Need<i64>,
    pub resident_age: Need<i64>,
    pub resident_months: Need<i64>,
    /// The childcare subsidy's annual amount; `None` before it existed.
    pub childcare_annual: Need<Option<Money>>,
    pub childcare_months: Need<i64>,
    /// The locality's own 低保 standard, where its file sets one.
    pub dibao_local: Need<Option<Money>>,
    /// The national average urban standard (monthly).
    pub dibao_urban: Need<Option<Money>>,
    /// The national average rural standard (a twelfth of the annual, rounded).
    pub dibao_rural: Need<Option<Money>>,
    /// Whether 低保 leaves the central basic pension out of counted income.
    pub dibao_excludes_basic_pension: Need<bool>,
}

impl BenefitLaw {
    fn read(r: &Reader<'_>, m: Month) -> BenefitLaw {
        let day = m.first_day();
        BenefitLaw {
            resident_minimum: r.amount(resident::MINIMUM, day),
            resident_divisor: r.count(resident::DIVISOR, day),
            resident_age: r.count(resident::AGE, day),
            resident_months: r.count(resident::MONTHS, day),
            childcare_annual: r.amount_if(childcare::ANNUAL, day),
            childcare_months: r.count(childcare::MONTHS, day),
            dibao_local: r.amount_if(assistance::LOCAL_DIBAO, day),
            dibao_urban: r.amount_if(assistance::URBAN_AVERAGE, day),
            dibao_rural: r.amount_if(assistance::RURAL_AVERAGE, day).map(|a| a.map(assistance::rural_monthly_standard)),
            dibao_excludes_basic_pension: r.flag_if(assistance::EXCLUDES_BASIC_PENSION, day),
        }
    }
}

/// The parameters of the unemployment benefit's duration, in force on the
/// first day of a spell (`unemployment.entitled_months`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DurationLaw {
    pub minimum: i64,
    pub table: Arc<std::collections::BTreeMap<String, i64>>,
    pub maximum: i64,
}

impl DurationLaw {
    fn read(r: &Reader<'_>, day: Date) -> Need<DurationLaw> {
        Ok(DurationLaw {
            minimum: r.count(unemployment::MINIMUM, day)?,
            table: r.counts(unemployment::DURATION, day)?,
            maximum: r.count(unemployment::MAXIMUM, day)?,
        })
    }
}

/// The parameters of free preschool for the year (`preschool.fee_waived`):
/// the entry age and the school year's first month on 1 January, and whether
/// the waiver is in force on the first day of each semester beginning in the
/// year (spring, autumn).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PreschoolLaw {
    pub entry_age: i64,
    pub start_month: i64,
    pub free: [bool; 2],
}

impl PreschoolLaw {
    fn read(r: &Reader<'_>, year: i32) -> Need<PreschoolLaw> {
        let january = Month::new(year, 1).ok_or(Gap(preschool::START_MONTH))?.first_day();
        let (entry_age, start_month) =
            (r.count(preschool::ENTRY_AGE, january)?, r.count(preschool::START_MONTH, january)?);
        let mut free = [false; 2];
        for (f, (first, _)) in free.iter_mut().zip(preschool::semesters(year, start_month)) {
            *f = match first {
                Some(m) => r.flag_if(preschool::FREE, m.first_day())?,
                None => false,
            };
        }
        Ok(PreschoolLaw { entry_age, start_month, free })
    }
}

/// The first month of the spells whose duration the year's law holds: January
/// two years before, so that a spell of up to 24 months paying in the year
/// (and more, under a reform that lengthens it) has its law.
pub(crate) const SPELLS_FROM_YEARS_BEFORE: i32 = 2;

/// The parameters read once for the year (with full knowledge, on 31 December
/// unless said otherwise).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct AnnualLaw {
    pub basic_deduction: Need<Money>,
    pub scale: Need<Arc<Scale>>,
    pub exemption_income_ceiling: Need<Option<Money>>,
    pub exemption_due_ceiling: Need<Option<Money>>,
    /// The national average pension rise (read on 1 January); `None`: no rise.
    pub pension_rise: Need<Option<Rate>>,
    pub resident_medical_contribution: Need<Option<Money>>,
    pub resident_medical_subsidy: Need<Money>,
    pub public_health: Need<Option<Money>>,
}

impl AnnualLaw {
    fn read(r: &Reader<'_>, year: i32) -> AnnualLaw {
        let (first, last) = match (Month::new(year, 1), Month::new(year, 12)) {
            (Some(j), Some(d)) => (j.first_day(), d.last_day()),
            _ => (Date::MIN, Date::MIN),
        };
        AnnualLaw {
            basic_deduction: r.amount(annual::BASIC_ANNUAL, last),
            scale: r.scale(annual::ANNUAL_SCALE, last),
            exemption_income_ceiling: r.amount_if(annual::INCOME_CEILING, last),
            exemption_due_ceiling: r.amount_if(annual::DUE_CEILING, last),
            pension_rise: r.value(employee::RISE, first).map(|v| match v {
                Some(ParamValue::Rate(rate)) => Some(*rate),
                _ => None,
            }),
            resident_medical_contribution: r.amount_if(medical::CONTRIBUTION, last),
            resident_medical_subsidy: r.amount(medical::SUBSIDY, last),
            public_health: r.amount_if(medical::PUBLIC_HEALTH, last),
        }
    }
}

/// The law of one year for the kernel. Two equal laws give every household
/// the same year.
#[derive(Clone, Debug, PartialEq)]
pub struct YearLaw {
    pub(crate) year: i32,
    pub(crate) months: [Month; 12],
    /// The distinct states of the law as known: `[0]` is full knowledge.
    pub(crate) states: Vec<[MonthLaw; 12]>,
    /// By state, the months whose contribution law is the previous month's
    /// (contributions change with the contribution year, not every month).
    pub(crate) repeats: Vec<[bool; 12]>,
    /// Whether December's cumulative withholding is, by law, the year's tax:
    /// December is withheld with full knowledge, twelve months of the monthly
    /// basic deduction make the annual one, the scale is the year's, and no
    /// earlier month or state lacks a parameter that the full law has. Then
    /// what was withheld (the running maximum of the cumulative tax due) is at
    /// least the year's tax, the settlement refunds any excess, and the tax is
    /// the year's tax without withholding month by month.
    pub(crate) settles_in_december: bool,
    /// By state, whether the special additional deductions' parameters are the
    /// same in every month (so a year's deduction is an amount times months).
    pub(crate) deductions_constant: Vec<bool>,
    /// For each month, the state its withholding is computed under (the law as
    /// known at the end of the month).
    pub(crate) withheld_under: [usize; 12],
    pub(crate) benefits: [BenefitLaw; 12],
    /// The parameters read (as the formulas declare them, `*` for the locality).
    read: BTreeSet<&'static str>,
    /// Whether any month has a childcare subsidy, or a gap where it is read
    /// (else no one's subsidy needs computing).
    pub(crate) childcare_read: bool,
    /// Whether the childcare subsidy was in force in each month from January
    /// three years before to December (the birth months a child under 3 can
    /// have); a child born under the plan is paid by the year.
    childcare_at_birth: Vec<Need<bool>>,
    /// The unemployment benefit's duration law for spells starting in each
    /// month from January [`SPELLS_FROM_YEARS_BEFORE`] years before to December.
    spell_duration: Vec<Need<DurationLaw>>,
    pub(crate) preschool: Need<PreschoolLaw>,
    pub(crate) annual: AnnualLaw,
}

impl YearLaw {
    /// Reads the law of `year` from `params`, for persons insured in `locality`.
    /// `None` for a year outside the calendar.
    pub fn read(params: &ParamSet, year: i32, locality: &str) -> Option<YearLaw> {
        let january = Month::new(year, 1)?;
        let months: [Month; 12] = std::array::from_fn(|i| january.plus(i as i32));
        let read = RefCell::new(BTreeSet::new());
        let reader = |known_at| Reader { params, known_at, locality, read: &read, gaps: None };
        let full = reader(None);
        let month_laws = |r: Reader<'_>| months.map(|m| MonthLaw::read(&r, m));
        let mut states = vec![month_laws(full)];
        let mut withheld_under = [0; 12];
        // Withholding in month m applies the law as known at the end of m; a
        // knowledge date on or after the last announcement is full knowledge.
        let last = params.last_announcement();
        for (i, m) in months.iter().enumerate() {
            let end = m.last_day();
            if last.is_none_or(|l| end >= l) {
                continue;
            }
            let law = month_laws(reader(Some(end)));
            withheld_under[i] = match states.iter().position(|s| *s == law) {
                Some(s) => s,
                None => {
                    states.push(law);
                    states.len() - 1
                }
            };
        }
        let annual = AnnualLaw::read(&full, year);
        let settles_in_december = {
            let december = &states[0][11];
            let monthly_makes_annual = matches!(
                (december.basic_deduction, annual.basic_deduction), (Ok(m), Ok(a)) if m.times(12) == a
            );
            let same_scale = matches!((&december.scale, &annual.scale), (Ok(d), Ok(a)) if d == a);
            let used = |s: usize| s == 0 || withheld_under.contains(&s);
            let no_new_gaps = (0..states.len())
                .filter(|s| used(*s))
                .all(|s| (0..12).all(|k| states[s][k].gaps.is_subset(&states[0][k].gaps)));
            let withholding_reads = withheld_under
                .iter()
                .enumerate()
                .all(|(i, &s)| states[s][i].basic_deduction.is_ok() && states[s][i].scale.is_ok());
            withheld_under[11] == 0 && monthly_makes_annual && same_scale && no_new_gaps && withholding_reads
        };
        let deductions_constant =
            states.iter().map(|state| state.iter().all(|l| l.deductions == state[0].deductions)).collect();
        let repeats = states
            .iter()
            .map(|state| std::array::from_fn(|i| i > 0 && state[i].contributions == state[i - 1].contributions))
            .collect();
        let benefits = months.map(|m| BenefitLaw::read(&full, m));
        let childcare_read = benefits.iter().any(|b| b.childcare_annual != Ok(None));
        let childcare_at_birth = (0..48)
            .map(|k| full.amount_if(childcare::ANNUAL, january.plus(k - 36).first_day()).map(|a| a.is_some()))
            .collect();
        let preschool = PreschoolLaw::read(&full, year);
        let spells_from = january.plus(-12 * SPELLS_FROM_YEARS_BEFORE);
        let spell_duration = (0..12 * (SPELLS_FROM_YEARS_BEFORE + 1))
            .map(|k| DurationLaw::read(&full, spells_from.plus(k).first_day()))
            .collect();
        Some(YearLaw {
            year,
            months,
            states,
            repeats,
            withheld_under,
            benefits,
            read: read.into_inner(),
            childcare_read,
            childcare_at_birth,
            spell_duration,
            preschool,
            settles_in_december,
            deductions_constant,
            annual,
        })
    }

    /// Whether the childcare subsidy was in force in the month `born` (a
    /// month of this year or the three before).
    pub(crate) fn childcare_in_force(&self, born: Month) -> Need<bool> {
        let k = self.months[0].months_until(born) + 36;
        usize::try_from(k)
            .ok()
            .and_then(|k| self.childcare_at_birth.get(k).copied())
            .unwrap_or(Err(Gap(childcare::ANNUAL)))
    }

    /// The unemployment benefit's duration law for a spell starting in
    /// `start`; a gap for a start before the months the year holds.
    pub(crate) fn spell_duration(&self, start: Month) -> Need<&DurationLaw> {
        let k = self.months[0].months_until(start) + 12 * SPELLS_FROM_YEARS_BEFORE;
        match usize::try_from(k).ok().and_then(|k| self.spell_duration.get(k)) {
            Some(Ok(law)) => Ok(law),
            Some(Err(gap)) => Err(*gap),
            None => Err(Gap(unemployment::DURATION)),
        }
    }

    /// The parameters read for the year, as the formulas declare them (`*` for the locality).
    pub fn parameters_read(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.read.iter().copied()
    }

    /// Whether the kernel stands for the formulas under `params`, which differ
    /// from `tested` (the rule book the differential tests hold the two equal
    /// on) only in parameters the kernel reads. A difference anywhere else (a
    /// reform of the serious-illness threshold, say, or another rules folder)
    /// could reach the population through a formula the kernel takes as adding
    /// nothing for its inputs; then the formulas compute every household.
    /// `Err` names the first such parameter.
    pub fn stands_for(&self, params: &ParamSet, tested: &ParamSet) -> Result<(), String> {
        let read = |path: &&str| self.read.iter().any(|r| minsheng_core::variable::matches_path(r, path));
        let mut differing = params.changed_from(tested).into_iter().chain(tested.changed_from(params));
        match differing.find(|path| !read(path)) {
            Some(path) => Err(path.to_string()),
            None => Ok(()),
        }
    }

    /// Whether `other` has the same contribution and income tax law: the
    /// monthly laws under every state of knowledge, and the settlement's.
    pub fn same_taxes(&self, other: &YearLaw) -> bool {
        let (a, b) = (&self.annual, &other.annual);
        self.year == other.year
            && self.states == other.states
            && self.withheld_under == other.withheld_under
            && (&a.basic_deduction, &a.scale, a.exemption_income_ceiling, a.exemption_due_ceiling)
                == (&b.basic_deduction, &b.scale, b.exemption_income_ceiling, b.exemption_due_ceiling)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleBook;

    fn law(year: i32) -> YearLaw {
        let book = RuleBook::embedded().expect("rule book");
        YearLaw::read(&book.baseline, year, "national").expect("a year of the calendar")
    }

    /// Every year of the model settles in December, with the deductions' law
    /// holding all year under full knowledge.
    #[test]
    fn every_year_settles_in_december() {
        for year in 2019..=2026 {
            let law = law(year);
            assert!(law.settles_in_december, "{year}");
            assert!(law.deductions_constant[0], "{year}");
        }
    }

    /// 2023's rises, retroactive to January, were announced in August: January
    /// to July are withheld under the law as then known, which differs from the
    /// full law; from August on, the full law.
    #[test]
    fn withholding_in_2023_follows_the_law_as_known() {
        let law = law(2023);
        assert!(law.withheld_under[..7].iter().all(|s| *s != 0), "{:?}", law.withheld_under);
        assert!(law.withheld_under[7..].iter().all(|s| *s == 0), "{:?}", law.withheld_under);
        let (old, full) = (&law.states[law.withheld_under[0]][0].deductions, &law.states[0][0].deductions);
        match (old.child_education, full.child_education) {
            (Ok(old), Ok(full)) => assert!(old < full, "the old amount was lower: {old} against {full}"),
            other => panic!("both amounts are known: {other:?}"),
        }
    }

    /// Contributions change with the contribution year in July, not in other months.
    #[test]
    fn contribution_law_repeats_except_in_july() {
        let law = law(2024);
        let changes: Vec<usize> = (1..12).filter(|i| !law.repeats[0][*i]).collect();
        assert_eq!(changes, vec![6], "only July brings a new average wage");
    }

    /// A year before the national average wage is known has a gap, not a value.
    #[test]
    fn a_missing_average_wage_is_a_gap() {
        let law = law(2019);
        assert!(law.states[0][0].contributions.average_wage.is_err());
    }
}
