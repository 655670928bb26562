//! The run: every synthetic household computed under the baseline and each
//! reform with the rule book's own formulas, partition by partition in
//! parallel; each partition yields its households' results, merged in
//! partition order so that the outcome does not depend on the threads.

use jiff::civil::date;
use minsheng_cn::RuleBook;
use minsheng_cn::kernel::{self, YearLaw};
use minsheng_core::eval::Memo;
use minsheng_core::money::Money;
use minsheng_core::{Eval, EvalError, ParamSet, Situation};

use crate::generate::SynthHousehold;

/// The programmes whose budget the run reports, with the sign of their effect on the budget.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Programme {
    /// Individual income tax (revenue).
    IncomeTax,
    /// Employee and employer social insurance contributions (revenue).
    Contributions,
    /// Residents' medical insurance contributions (revenue).
    ResidentMedicalContributions,
    /// Employee basic pensions (spending).
    EmployeePensions,
    /// Residents' basic pensions (spending).
    ResidentPensions,
    /// Unemployment benefits (spending).
    UnemploymentBenefits,
    /// The childcare subsidy (spending).
    ChildcareSubsidy,
    /// Free preschool: the fees waived in the year before primary school (spending).
    FreePreschool,
    /// Fiscal subsidies of residents' medical insurance (spending).
    ResidentMedicalSubsidy,
    /// Basic public health service funding (spending).
    PublicHealth,
    /// 低保 (spending).
    Dibao,
}

impl Programme {
    /// Every programme, in report order.
    pub const ALL: [Programme; 11] = [
        Programme::IncomeTax,
        Programme::Contributions,
        Programme::ResidentMedicalContributions,
        Programme::EmployeePensions,
        Programme::ResidentPensions,
        Programme::UnemploymentBenefits,
        Programme::ChildcareSubsidy,
        Programme::FreePreschool,
        Programme::ResidentMedicalSubsidy,
        Programme::PublicHealth,
        Programme::Dibao,
    ];

    /// Chinese and English names.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Programme::IncomeTax => ("个人所得税", "Individual income tax"),
            Programme::Contributions => ("职工社会保险缴费", "Employee social insurance contributions"),
            Programme::ResidentMedicalContributions => ("居民医保个人缴费", "Residents' medical contributions"),
            Programme::EmployeePensions => ("职工基本养老金", "Employee pensions"),
            Programme::ResidentPensions => ("城乡居民养老金", "Residents' pensions"),
            Programme::UnemploymentBenefits => ("失业保险金", "Unemployment benefits"),
            Programme::ChildcareSubsidy => ("育儿补贴", "Childcare subsidy"),
            Programme::FreePreschool => ("学前一年免保育教育费", "Free preschool (fees waived)"),
            Programme::ResidentMedicalSubsidy => ("居民医保财政补助", "Residents' medical insurance subsidy"),
            Programme::PublicHealth => ("基本公共卫生服务经费", "Basic public health funding"),
            Programme::Dibao => ("最低生活保障", "Minimum living guarantee (dibao)"),
        }
    }

    /// Whether the programme raises revenue (else it spends).
    pub fn is_revenue(self) -> bool {
        matches!(self, Programme::IncomeTax | Programme::Contributions | Programme::ResidentMedicalContributions)
    }
}

/// One figure per programme, indexed by [`Programme`] (in [`Programme::ALL`] order).
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct ByProgramme<T>(pub [T; 11]);

impl<T> std::ops::Index<Programme> for ByProgramme<T> {
    type Output = T;
    fn index(&self, p: Programme) -> &T {
        &self.0[p as usize]
    }
}

impl<T> std::ops::IndexMut<Programme> for ByProgramme<T> {
    fn index_mut(&mut self, p: Programme) -> &mut T {
        &mut self.0[p as usize]
    }
}

/// A figure per member, kept inline for households of up to four.
pub type Figures = smallvec::SmallVec<[i64; 4]>;

/// The outcomes of a household, one per scenario, kept inline for a baseline and one reform.
pub type Outcomes = smallvec::SmallVec<[Outcome; 2]>;

/// One household's figures under one scenario, in fen.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// By programme.
    pub programmes: ByProgramme<i64>,
    /// Household disposable income.
    pub disposable: i64,
    /// The members' market income (wages and other pay, gross).
    pub market: i64,
    /// The household's other income (farm, business and informal earnings).
    pub other: i64,
    /// Members who pay some income tax.
    pub taxpayers: u32,
    /// Each member's income tax (fen).
    pub taxes: Figures,
    /// Members of the household receiving 低保 (all, if any is paid).
    pub dibao_members: u32,
    /// Members in the residents' medical insurance scheme.
    pub resident_medical: u32,
    /// Each member's statement, when per-person results are asked for (else empty).
    pub persons: Vec<PersonOutcome>,
}

/// One person's statement for the year under one scenario, in fen.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonOutcome {
    /// Market income (wages and other pay, gross).
    pub market: i64,
    /// Income tax.
    pub income_tax: i64,
    /// Social insurance and housing fund paid by the person.
    pub contributions: i64,
    /// Pensions and benefits received.
    pub benefits: i64,
    /// Disposable income.
    pub disposable: i64,
}

/// A member of a household, as the per-person results describe them.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// Age in completed years on 1 July.
    pub age: u8,
    /// Male.
    pub male: bool,
    /// What the person does (see [`crate::generate::SynthPerson::activity`]).
    pub activity: &'static str,
    /// The person's earnings outside wages in fen (the same in every
    /// scenario): in the household's other income for the rules, and the
    /// person's own market and disposable income in the person table.
    pub earnings: i64,
}

/// One household's results.
#[derive(Clone, Debug, PartialEq)]
pub struct HouseholdResult {
    /// The calibration weight (households represented).
    pub weight: f64,
    /// Members.
    pub size: u32,
    /// Urban.
    pub urban: bool,
    /// The 低保 line per person per year, in fen, where known.
    pub dibao_line: Option<i64>,
    /// The household's property income in fen (part of its other income; the same in every scenario).
    pub property_income: i64,
    /// The household's other income that is no member's earnings (its
    /// property income; all of a microdata household's other income), in fen:
    /// what a person table's figures add up to the household's with, besides 低保.
    pub shared_income: i64,
    /// The net transfers the rules do not compute, imputed to the household
    /// in fen (the same in every scenario; not in `outcomes`' disposable
    /// income): see [`crate::impute`]. Zero unless the run imputes them.
    pub imputed_transfers: i64,
    /// One outcome per scenario (baseline first).
    pub outcomes: Outcomes,
    /// The members, when per-person results are asked for (else empty).
    pub members: Vec<Member>,
    /// Computed by the year kernel (else by the formulas).
    pub by_kernel: bool,
}

/// Why the run failed (a bug: generated households are valid input).
#[derive(Debug, thiserror::Error)]
#[error("household {household} of partition {partition}, scenario {scenario}: {error}")]
pub struct RunError {
    /// The partition.
    pub partition: usize,
    /// The household within it.
    pub household: usize,
    /// The scenario.
    pub scenario: String,
    /// What went wrong.
    pub error: Box<EvalError>,
}

/// What the population run fixes for its year, read once from the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunYear {
    /// The year.
    pub year: i32,
    /// Whether 低保 is assessed: the year's national average standards are
    /// known ([`minsheng_cn::assistance::national_average_known`]), or the
    /// run assumes standards of its own ([`RunYear::assuming`]).
    pub assess_dibao: bool,
    /// The 低保 standards (urban, rural, per person and month) the run gives
    /// every household as its local standard, where the rule book does not
    /// know the national averages.
    pub dibao_standards: Option<(Money, Money)>,
    /// The monthly unemployment benefit of synthetic recipients: the year's
    /// national average (an input of the population; the rule leaves the level to each province).
    pub unemployment_benefit: Option<Money>,
    /// The public kindergarten fee per semester of synthetic children in a
    /// kindergarten: the national average the data assumes (the fee is local).
    pub preschool_fee: Option<Money>,
    /// The contribution months of synthetic residents' pensioners: the
    /// minimum the rule book sets for the year (they drew the pension by
    /// qualifying, and no more is known of them).
    pub resident_months: i64,
}

impl RunYear {
    /// The year as the baseline `params` set it.
    pub fn of(params: &ParamSet, year: i32) -> RunYear {
        RunYear {
            year,
            assess_dibao: minsheng_cn::assistance::national_average_known(params, year),
            dibao_standards: None,
            unemployment_benefit: None,
            preschool_fee: None,
            resident_months: minsheng_cn::pension::resident::minimum_months(params, year).unwrap_or(0),
        }
    }

    /// The year, with `assumed` standards for 低保 where the rule book does not
    /// know the national averages (an assumption of `data/china.yaml`).
    pub fn assuming(self, assumed: Option<&crate::targets::DibaoStandards>) -> RunYear {
        match assumed {
            Some(d) if !self.assess_dibao => RunYear {
                assess_dibao: true,
                dibao_standards: Some((yuan(d.urban_monthly), yuan(d.rural_monthly))),
                ..self
            },
            _ => self,
        }
    }

    /// The year, its unemployment benefit recipients paid `average` a month.
    pub fn paying_unemployment(self, average: Option<&crate::targets::Figure>) -> RunYear {
        RunYear { unemployment_benefit: average.map(|a| yuan(a.value)), ..self }
    }

    /// The year, its kindergarten children's fee per semester `average`.
    pub fn with_preschool_fee(self, average: Option<&crate::targets::Figure>) -> RunYear {
        RunYear { preschool_fee: average.map(|a| yuan(a.value)), ..self }
    }
}

/// Yuan (as the data file gives them) in fen, rounded to the fen.
fn yuan(v: f64) -> Money {
    Money::from_fen((v * 100.0).round() as i64)
}

/// The locality of insured synthetic persons: the national default (`rules/params/local/national.yaml`).
pub const LOCALITY: &str = "national";

/// The date of birth of a synthetic person aged `age` on 1 July of `year`.
fn born(year: i32, age: u8) -> jiff::civil::Date {
    date((year - i32::from(age)) as i16, 7, 1)
}

/// The situation of a synthetic household in the run's year: its kernel
/// description ([`kernel_members`]) as the formulas take it, so a member is
/// described once for both readings of the rules.
pub fn situation(h: &SynthHousehold, ry: &RunYear) -> Situation {
    let mut members = Vec::with_capacity(h.members.len());
    kernel_members(h, ry, &mut members);
    kernel_household(h, &members, ry).situation(ry.year, LOCALITY)
}

/// The members of a synthetic household as the year kernel takes them (into
/// `members`, cleared first): the one description of them, from which
/// [`situation`] gives the formulas theirs.
pub fn kernel_members<'h>(h: &'h SynthHousehold, ry: &RunYear, members: &mut Vec<kernel::Person<'h>>) {
    let year = ry.year;
    members.clear();
    members.extend(h.members.iter().map(|m| {
        kernel::Person {
            birth: born(year, m.age),
            monthly_wage: Money::from_fen(m.wage_fen.unwrap_or(0)),
            insured: m.insured,
            flexible_share: m.flexible,
            pension_last_december: m.pension_fen.map(Money::from_fen),
            resident_pension: m.resident_account_fen.map(|account| kernel::ResidentPension {
                account: Money::from_fen(account),
                months: ry.resident_months,
            }),
            claimants: &m.claimants,
            elderly_parent: m.elderly_parent.map(|parent| kernel::ElderlyParent {
                birth: born(year, parent.age),
                children: parent.children.max(1),
            }),
            preschool_fee: ry.preschool_fee.filter(|_| m.kindergarten),
            unemployment: m.unemployment.zip(ry.unemployment_benefit).map(|(spell, amount)| {
                kernel::UnemploymentSpell {
                    start: spell.start,
                    contribution_months: spell.contribution_months,
                    monthly_amount: amount,
                }
            }),
        }
    }));
}

/// A synthetic household as the year kernel takes it, with its members from
/// [`kernel_members`], assessed for 低保 as the year `ry` says.
pub fn kernel_household<'a>(
    h: &SynthHousehold,
    members: &'a [kernel::Person<'a>],
    ry: &RunYear,
) -> kernel::Household<'a> {
    kernel::Household {
        members,
        area: ry.assess_dibao.then_some(if h.urban { kernel::Area::Urban } else { kernel::Area::Rural }),
        other_income: Money::from_fen(h.other_income_fen),
        meets_asset_test: h.dibao_conditions,
        local_standard: ry.dibao_standards.map(|(urban, rural)| if h.urban { urban } else { rural }),
    }
}

/// The outcome of a household's year, from the kernel or the formulas alike
/// (they give the same [`kernel::HouseholdYear`] and members' years), with
/// each member's statement when `per_person`. Inlined into both callers: on the
/// kernel's path it is a tenth of the work, and the call cost 2% of it.
#[inline(always)]
fn outcome_of(year: &kernel::HouseholdYear, persons: &[kernel::PersonYear], per_person: bool) -> Outcome {
    let mut programmes = ByProgramme::<i64>::default();
    for p in persons {
        for (programme, amount) in [
            (Programme::IncomeTax, p.income_tax),
            (Programme::Contributions, p.social_insurance),
            (Programme::ResidentMedicalContributions, p.resident_medical_paid),
            (Programme::EmployeePensions, p.employee_pension),
            (Programme::ResidentPensions, p.resident_pension),
            (Programme::UnemploymentBenefits, p.unemployment_benefit),
            (Programme::ChildcareSubsidy, p.childcare_subsidy),
            (Programme::FreePreschool, p.preschool_fee_waived),
            (Programme::ResidentMedicalSubsidy, p.resident_medical_subsidy),
            (Programme::PublicHealth, p.public_health),
        ] {
            programmes[programme] += amount.fen();
        }
    }
    programmes[Programme::Dibao] = year.dibao.fen();
    let taxes: Figures = persons.iter().map(|p| p.income_tax.fen()).collect();
    let statements = if per_person {
        persons
            .iter()
            .map(|p| PersonOutcome {
                market: p.market.fen(),
                income_tax: p.income_tax.fen(),
                contributions: p.contributions.fen(),
                benefits: p.benefits.fen(),
                disposable: p.disposable.fen(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Outcome {
        programmes,
        disposable: year.disposable.fen(),
        market: year.market.fen(),
        other: year.other_income.fen(),
        taxpayers: taxes.iter().filter(|t| **t > 0).count() as u32,
        taxes,
        dibao_members: if year.dibao.is_zero() { 0 } else { persons.len() as u32 },
        resident_medical: persons.iter().filter(|p| p.resident_medical).count() as u32,
        persons: statements,
    }
}

/// The 低保 line per person per year (fen), from the standard in June.
fn dibao_line(year: &kernel::HouseholdYear) -> Option<i64> {
    year.dibao_standard_june.map(|m| m.fen() * 12)
}

/// The outcome of the household of `ev`'s situation under `ev`'s parameter
/// set, by the formulas, with each member's statement when `per_person`.
pub fn outcome(ev: &mut Eval<'_>, per_person: bool) -> Result<Outcome, EvalError> {
    let mut persons = Vec::new();
    let year = kernel::household_year_by_formulas(ev, &mut persons)?;
    Ok(outcome_of(&year, &persons, per_person))
}

/// The scenarios of a run: the baseline first, then each reform with the
/// variables it may change ([`minsheng_core::Registry::affected_by`] on the
/// parameters it changes); the others are taken from the baseline's figures.
pub struct Scenarios {
    /// Name and parameter set, baseline first.
    pub sets: Vec<(String, ParamSet)>,
    /// By scenario, the variables (by registry index) it may change.
    pub affected: Vec<Vec<bool>>,
    /// By scenario, the law of the year for the kernel; empty: the formulas compute every household.
    pub laws: Vec<YearLaw>,
    /// Why the kernel was asked for but cannot stand for the formulas, if so.
    pub kernel_refused: Option<String>,
    /// By scenario, whether its law of the year is the baseline's (a reform of another year).
    same_law: Vec<bool>,
    /// By scenario, whether its contribution and tax law is the baseline's (a
    /// reform of benefits), so that its contributions and taxes are the baseline's.
    same_taxes: Vec<bool>,
}

impl Scenarios {
    /// The baseline and the reforms over it.
    pub fn new(book: &RuleBook, reforms: &[(String, ParamSet)]) -> Scenarios {
        let mut sets = vec![("baseline".to_string(), book.baseline.clone())];
        sets.extend(reforms.iter().cloned());
        let affected = sets.iter().map(|(_, p)| book.registry.affected_by(&p.changed_from(&book.baseline))).collect();
        Scenarios {
            sets,
            affected,
            laws: Vec::new(),
            kernel_refused: None,
            same_law: Vec::new(),
            same_taxes: Vec::new(),
        }
    }

    /// Lets the year kernel compute the households it covers in `year`
    /// (the formulas compute the others). Where a scenario's parameters differ
    /// from the built-in rule book's in one the kernel does not read
    /// ([`YearLaw::stands_for`]), the formulas compute every household.
    pub fn with_kernel(self, year: i32) -> Scenarios {
        self.with_kernel_as_tested(year, |tested| tested)
    }

    /// [`Scenarios::with_kernel`], the built-in rule book the kernel is held
    /// against first transformed by `tested` (carried forward into a
    /// projection year, as the differential tests carry it).
    pub fn with_kernel_as_tested(mut self, year: i32, tested: impl FnOnce(ParamSet) -> ParamSet) -> Scenarios {
        self.laws = self.sets.iter().filter_map(|(_, p)| YearLaw::read(p, year, LOCALITY)).collect();
        self.kernel_refused = match RuleBook::embedded() {
            Err(e) => Some(format!("the built-in rule book does not load ({e})")),
            Ok(_) if self.laws.len() != self.sets.len() => Some(format!("{year} is outside the calendar")),
            Ok(book) => {
                let tested = tested(book.baseline);
                self.laws.iter().zip(&self.sets).find_map(|(law, (name, p))| {
                    law.stands_for(p, &tested).err().map(|path| {
                        format!(
                            "`{name}` differs from the built-in rule book in `{path}`, which the kernel does not read"
                        )
                    })
                })
            }
        };
        if self.kernel_refused.is_some() {
            self.laws.clear();
        }
        self.same_law = self.laws.iter().enumerate().map(|(s, law)| s > 0 && *law == self.laws[0]).collect();
        self.same_taxes = self.laws.iter().enumerate().map(|(s, law)| s > 0 && law.same_taxes(&self.laws[0])).collect();
        self
    }

    /// The outcomes of household `h` under every scenario from the kernel, in
    /// `outcomes` (cleared first), and the 低保 line; `None` where the kernel
    /// does not cover it (or was not asked for) and the formulas must compute it.
    pub fn by_kernel<'h>(
        &self,
        h: &'h SynthHousehold,
        (ry, per_person): (&RunYear, bool),
        scratch: &mut Scratch<'h>,
        outcomes: &mut Outcomes,
    ) -> Option<Option<i64>> {
        outcomes.clear();
        if self.laws.is_empty() {
            return None;
        }
        kernel_members(h, ry, &mut scratch.members);
        let household = kernel_household(h, &scratch.members, ry);
        let mut line = None;
        for (s, law) in self.laws.iter().enumerate() {
            // A reform that leaves the year's law as it is leaves every household as it is.
            if self.same_law[s] {
                outcomes.push(outcomes[0].clone());
                continue;
            }
            let (persons, taxes_from) = match s {
                0 => (&mut scratch.baseline, None),
                _ => (&mut scratch.reform, self.same_taxes[s].then_some(scratch.baseline.as_slice())),
            };
            let year = kernel::household_year(law, &household, persons, taxes_from).ok()?;
            if s == 0 {
                line = dibao_line(&year);
            }
            outcomes.push(outcome_of(&year, persons, per_person));
        }
        Some(line)
    }
}

/// Buffers the kernel hands from household to household of a partition.
#[derive(Default)]
pub struct Scratch<'h> {
    members: Vec<kernel::Person<'h>>,
    /// The members' years under the baseline, and under the reform being computed.
    baseline: Vec<kernel::PersonYear>,
    reform: Vec<kernel::PersonYear>,
}

/// Computes the households of one partition under every scenario, with
/// each member's statement when `per_person`, showing each household's
/// result to `each` in order (one result is reused from household to
/// household, so that a run folds them without moving or keeping them).
pub fn run_partition(
    book: &RuleBook,
    scenarios: &Scenarios,
    ry: &RunYear,
    (partition, households, weights): (usize, &[SynthHousehold], &[f64]),
    per_person: bool,
    mut each: impl FnMut(&mut HouseholdResult),
) -> Result<(), RunError> {
    // Two memos for the whole partition, handed from household to household: the
    // baseline's, which reforms read what they cannot change from, and the reforms'.
    let (mut base, mut other) = (Memo::default(), Memo::default());
    let mut scratch = Scratch::default();
    let mut result = HouseholdResult {
        weight: 0.0,
        size: 0,
        urban: false,
        dibao_line: None,
        property_income: 0,
        shared_income: 0,
        imputed_transfers: 0,
        outcomes: Outcomes::new(),
        members: Vec::new(),
        by_kernel: false,
    };
    for (i, (h, w)) in households.iter().zip(weights).enumerate() {
        result.weight = *w;
        result.size = h.members.len() as u32;
        result.urban = h.urban;
        result.property_income = h.property_income_fen;
        result.shared_income = h.other_income_fen - h.members.iter().map(|m| m.earnings_fen).sum::<i64>();
        result.imputed_transfers = 0;
        result.members.clear();
        if per_person {
            result.members.extend(h.members.iter().map(|m| Member {
                age: m.age,
                male: m.male,
                activity: m.activity(),
                earnings: m.earnings_fen,
            }));
        }
        if let Some(line) = scenarios.by_kernel(h, (ry, per_person), &mut scratch, &mut result.outcomes) {
            result.dibao_line = line;
            result.by_kernel = true;
            each(&mut result);
            continue;
        }
        {
            let sit = situation(h, ry);
            let outcomes = &mut result.outcomes;
            outcomes.clear();
            let failed = |s: usize, error| RunError {
                partition,
                household: i,
                scenario: scenarios.sets[s].0.clone(),
                error: Box::new(error),
            };
            let mut ev = Eval::reusing(&book.registry, &scenarios.sets[0].1, &sit, std::mem::take(&mut base));
            let computed = kernel::household_year_by_formulas(&mut ev, &mut scratch.baseline);
            base = ev.into_memo();
            let year = computed.map_err(|e| failed(0, e))?;
            result.dibao_line = dibao_line(&year);
            outcomes.push(outcome_of(&year, &scratch.baseline, per_person));
            for (s, ((_, params), affected)) in scenarios.sets.iter().zip(&scenarios.affected).enumerate().skip(1) {
                let mut ev =
                    Eval::reusing(&book.registry, params, &sit, std::mem::take(&mut other)).sharing(&base, affected);
                let computed = kernel::household_year_by_formulas(&mut ev, &mut scratch.reform);
                other = ev.into_memo();
                let year = computed.map_err(|e| failed(s, e))?;
                outcomes.push(outcome_of(&year, &scratch.reform, per_person));
            }
            result.by_kernel = false;
        }
        each(&mut result);
    }
    Ok(())
}
