//! The synthetic population: households drawn deterministically from a seed,
//! partition by partition, so that any partition can be regenerated alone and
//! the whole never needs to sit in memory.
//!
//! Each partition has its own ChaCha8 stream (the seed, stream = partition),
//! so the population is the same whatever the number of threads. Households
//! are built by size (the census shares), with members whose ages, work,
//! wages and pensions follow the year's aggregates and the stated assumptions;
//! `calibrate` then sets weights so that the sample stands for the country,
//! and the run the [`Amounts`] that scale business income, property income
//! and pensions and set the 低保 take-up.

use std::str::FromStr;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};
use rust_decimal::Decimal;

use crate::targets::{Targets, YearTargets};

/// A member of a synthetic household.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthPerson {
    /// Age in completed years on 1 July of the year.
    pub age: u8,
    /// Male.
    pub male: bool,
    /// Monthly wage in fen, for wage earners.
    pub wage_fen: Option<i64>,
    /// Insured as an employee (urban wage earners), under the national default locality.
    pub insured: bool,
    /// Insured as a flexible worker (灵活就业参保), on this tier (share) of the
    /// average wage; the earnings are in `earnings_fen`.
    pub flexible: Option<Decimal>,
    /// Works in the city outside insured employment (self-employed, informal
    /// or casual work); the earnings are in `earnings_fen`.
    pub informal: bool,
    /// A year's earnings outside wages, in fen: flexible, informal and casual
    /// work, farming and business. The rules count them in the household's
    /// other income (they are not taxed as wages); they are the person's own
    /// market income.
    pub earnings_fen: i64,
    /// Last December's employee pension in fen, for retirees.
    pub pension_fen: Option<i64>,
    /// Draws the residents' pension (rural and uncovered elderly), with this account balance in fen.
    pub resident_account_fen: Option<i64>,
    /// Indices (in the household) of the parents who claim this child's deductions.
    pub claimants: Claimants,
    /// A living parent the person may deduct elderly support for (赡养老人).
    pub elderly_parent: Option<ElderlyParent>,
    /// Draws the unemployment benefit in a spell paying in the year (an urban
    /// adult out of work, registered as unemployed).
    pub unemployment: Option<Spell>,
    /// In a kindergarten (public or approved private), for a child of 3 to 6.
    pub kindergarten: bool,
}

/// A spell of the unemployment benefit (失业保险金): its first month and the
/// months of contribution before it; the rule gives its length, the year's
/// average benefit its amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spell {
    /// The first month of the benefit.
    pub start: minsheng_core::Month,
    /// Months of unemployment insurance contribution before it.
    pub contribution_months: i64,
}

/// The spells a synthetic population draws: each recipient's record is
/// between one and five years (12 to 59 months, uniformly), which the rule
/// entitles to 12 months of benefit, and the spell starts in one of the
/// [`SPELL_START_MONTHS`] months whose spells of 12 months pay in the year
/// (February of the year before to December), uniformly: a steady inflow.
/// Then the persons paid in December are the spells starting in the year, 12
/// of 23, so the year's recipients are 23/12 = 1.92 times those at its end
/// (2023: 730万 in the year, 352万 at its end, 2.07; Xinhua 2024-10-07, H).
pub const SPELL_CONTRIBUTION_MONTHS: std::ops::RangeInclusive<i64> = 12..=59;
/// See [`SPELL_CONTRIBUTION_MONTHS`].
pub const SPELL_START_MONTHS: i32 = 23;
/// The spells, of the [`SPELL_START_MONTHS`], that start in the year and so pay in December.
pub const SPELLS_PAID_IN_DECEMBER: i32 = 12;

/// The members who claim a child's deductions: one or two parents, kept
/// inline (a population run makes millions of them).
pub type Claimants = smallvec::SmallVec<[usize; 2]>;

/// A living parent, supported by the person alone or equally with siblings
/// (the rule grants the deduction from the month the parent reaches its age).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ElderlyParent {
    /// The parent's age on 1 July.
    pub age: u8,
    /// Children sharing the deduction equally, the person included (1: an only child).
    pub children: u8,
}

impl SynthPerson {
    /// What the person does, in one word: `employee` (insured wage earner),
    /// `flexible` (insured flexible worker), `informal` (urban work outside
    /// insurance), `wage_earner` (uninsured wages, as rural migrant workers),
    /// `pensioner` (employee pension), `resident_pensioner`, `unemployed`
    /// (drawing the unemployment benefit), `child` (under 16) or `other`.
    pub fn activity(&self) -> &'static str {
        if self.flexible.is_some() {
            "flexible"
        } else if self.insured {
            "employee"
        } else if self.informal {
            "informal"
        } else if self.wage_fen.is_some() {
            "wage_earner"
        } else if self.pension_fen.is_some() {
            "pensioner"
        } else if self.resident_account_fen.is_some() {
            "resident_pensioner"
        } else if self.unemployment.is_some() {
            "unemployed"
        } else if self.age < 16 {
            "child"
        } else {
            "other"
        }
    }
}

/// A synthetic household.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthHousehold {
    /// Urban (else rural).
    pub urban: bool,
    /// The members.
    pub members: Vec<SynthPerson>,
    /// Income outside wages and pensions in fen: the members' earnings (farm,
    /// business, informal and flexible work) and property income (counted in
    /// disposable income and for 低保, not modelled as taxable income).
    pub other_income_fen: i64,
    /// The property income (财产净收入) within `other_income_fen`, in fen.
    pub property_income_fen: i64,
    /// Meets the non-income conditions of 低保 and would take it up.
    pub dibao_conditions: bool,
}

/// How a household's members count towards the calibration margins.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub persons: f64,
    pub under_3: f64,
    pub under_16: f64,
    pub aged_5: f64,
    pub over_60: f64,
    pub over_65: f64,
    pub urban: f64,
    /// Urban workers, insured or not (城镇就业人员).
    pub urban_employed: f64,
    /// Insured employees (参保职工, contributors to the employee pension scheme).
    pub insured_employees: f64,
    pub retirees: f64,
    pub resident_pensioners: f64,
    pub men: f64,
}

/// A household's counts as whole numbers: households with equal keys weigh the same.
pub type CountsKey = [u16; 12];

impl Counts {
    /// The counts as whole numbers, to group households with equal counts.
    pub fn key(&self) -> CountsKey {
        [
            self.persons,
            self.under_3,
            self.under_16,
            self.over_60,
            self.urban,
            self.urban_employed,
            self.insured_employees,
            self.retirees,
            self.resident_pensioners,
            self.men,
            self.over_65,
            self.aged_5,
        ]
        .map(|v| v as u16)
    }

    /// Counts from a key.
    pub fn from_key(k: CountsKey) -> Counts {
        let f = |i: usize| f64::from(k[i]);
        Counts {
            persons: f(0),
            men: f(9),
            under_3: f(1),
            under_16: f(2),
            over_60: f(3),
            urban: f(4),
            urban_employed: f(5),
            insured_employees: f(6),
            retirees: f(7),
            resident_pensioners: f(8),
            over_65: f(10),
            aged_5: f(11),
        }
    }
}

impl SynthHousehold {
    /// The household's contribution to each margin.
    pub fn counts(&self) -> Counts {
        let mut c = Counts { persons: self.members.len() as f64, ..Counts::default() };
        for p in &self.members {
            c.men += f64::from(u8::from(p.male));
            c.under_3 += f64::from(u8::from(p.age < 3));
            c.under_16 += f64::from(u8::from(p.age < 16));
            c.aged_5 += f64::from(u8::from(p.age == 5));
            c.over_60 += f64::from(u8::from(p.age >= 60));
            c.over_65 += f64::from(u8::from(p.age >= 65));
            c.urban_employed += f64::from(u8::from(self.urban && (p.insured || p.informal || p.wage_fen.is_some())));
            c.insured_employees += f64::from(u8::from(p.insured));
            c.retirees += f64::from(u8::from(p.pension_fen.is_some()));
            c.resident_pensioners += f64::from(u8::from(p.resident_account_fen.is_some()));
        }
        if self.urban {
            c.urban = c.persons;
        }
        c
    }
}

fn uniform_age(rng: &mut ChaCha8Rng, low: u8, high: u8) -> u8 {
    rng.random_range(low..=high)
}

fn lognormal(mean: f64, cv: f64) -> LogNormal<f64> {
    LogNormal::from_mean_cv(mean.max(1.0), cv.max(0.01)).unwrap_or_else(|_| LogNormal::new(0.0, 0.1).expect("valid"))
}

/// Whether a working-age person has a living parent, and with how many
/// siblings they would share the deduction; every share is an assumption of
/// `data/china.yaml`.
fn elderly_parent(
    rng: &mut ChaCha8Rng,
    a: &crate::targets::Assumptions,
    year: i32,
    urban: bool,
    age: u8,
) -> Option<ElderlyParent> {
    let parent_age = f64::from(age) + a.parent_age_gap.value;
    // Whether the parent is old enough for the deduction is the rule's to say, from the age.
    if parent_age > a.oldest_living_parent.value || !rng.random_bool(a.living_parent_share.value.clamp(0.0, 1.0)) {
        return None;
    }
    let born = year - i32::from(age);
    let only_child_share =
        if urban && born >= 1980 { a.only_child_share_urban_from_1980.value } else { a.only_child_share_other.value };
    let children = if rng.random_bool(only_child_share.clamp(0.0, 1.0)) {
        1
    } else if rng.random_bool(a.three_children_share.value.clamp(0.0, 1.0)) {
        3
    } else {
        2
    };
    Some(ElderlyParent { age: parent_age as u8, children })
}

/// What calibration sets in the generated population besides the weights:
/// factors on the generated business and property income, so that each
/// matches its official amount per person, and on employee pensions, so that
/// their spending matches the official figure; and the share of
/// income-eligible households that take 低保 up, so that recipients match the
/// official count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Amounts {
    /// Factor on farm, business, informal and flexible workers' earnings.
    pub business: f64,
    /// Factor on property income.
    pub property: f64,
    /// Factor on employee pensions (drawn around the year's average pension,
    /// and taken as last December's, which the rules raise by the year's rise).
    pub pension: f64,
    /// Share of households that meet 低保's conditions other than income and take it up.
    pub dibao_take_up: f64,
    /// Share of urban adults of working age out of work who draw the
    /// unemployment benefit in the year (0: no one; the year has no benefit level).
    pub unemployed_recipients: f64,
}

impl Amounts {
    /// The amounts as drawn, every household meeting 低保's other conditions:
    /// what the first pass of calibration counts.
    pub const DRAWN: Amounts =
        Amounts { business: 1.0, property: 1.0, pension: 1.0, dibao_take_up: 1.0, unemployed_recipients: 1.0 };
}

/// The spreads a partition draws amounts from, for one year and one set of
/// calibrated amounts.
struct Spreads {
    urban_wages: LogNormal<f64>,
    rural_wages: LogNormal<f64>,
    pensions: LogNormal<f64>,
    accounts: LogNormal<f64>,
    other_income: LogNormal<f64>,
    /// Property income per yuan of the household's wages and pensions (its mean before calibration is 1).
    property_factor: LogNormal<f64>,
    informal_income: LogNormal<f64>,
    /// The flexible workers' tier as an exact decimal (its shortest decimal form: 0.6, not 0.59999…).
    flexible_tier: Option<Decimal>,
}

impl Spreads {
    fn new(a: &crate::targets::Assumptions, t: &YearTargets, amounts: &Amounts) -> Spreads {
        let mean_wage = (1.0 - a.private_wage_share.value) * t.average_wage_non_private.value
            + a.private_wage_share.value * t.average_wage_private.value;
        Spreads {
            urban_wages: lognormal(mean_wage / 12.0, a.wage_cv.value),
            rural_wages: lognormal(t.average_wage_private.value / 12.0 * a.rural_wage_ratio.value, a.wage_cv.value),
            pensions: lognormal(t.average_employee_pension.value * amounts.pension, a.pension_cv.value),
            accounts: lognormal(a.resident_account_balance.value, a.resident_account_cv.value),
            other_income: lognormal(a.rural_other_income.value * amounts.business, a.rural_other_income_cv.value),
            property_factor: lognormal(1.0, a.property_income_cv.value),
            informal_income: lognormal(
                t.average_wage_private.value * a.informal_income_ratio.value * amounts.business,
                a.informal_income_cv.value,
            ),
            flexible_tier: Decimal::from_str(&a.flexible_base_share.value.to_string()).ok(),
        }
    }
}

/// An assumption as a probability.
fn chance(x: &crate::targets::Assumption) -> f64 {
    x.value.clamp(0.0, 1.0)
}

/// A draw in fen from a spread in yuan.
fn fen(rng: &mut ChaCha8Rng, spread: &LogNormal<f64>) -> i64 {
    (spread.sample(rng) * 100.0).round() as i64
}

/// The household's size, by the census shares.
fn household_size(rng: &mut ChaCha8Rng, shares: &[f64]) -> usize {
    let draw: f64 = rng.random();
    let mut acc = 0.0;
    for (i, s) in shares.iter().enumerate() {
        acc += s;
        if draw < acc {
            return i + 1;
        }
    }
    shares.len()
}

/// The members' ages and sexes, and the index from which they are children
/// (`usize::MAX`: none): one person alone, a couple, or a couple with
/// grandparents and children.
fn ages_and_sexes(
    rng: &mut ChaCha8Rng,
    a: &crate::targets::Assumptions,
    size: usize,
) -> (smallvec::SmallVec<[(u8, bool); 8]>, usize) {
    let mut ages: smallvec::SmallVec<[(u8, bool); 8]> = smallvec::SmallVec::new();
    let mut first_child = usize::MAX;
    match size {
        1 => {
            let elderly = rng.random_bool(chance(&a.single_elderly_share));
            ages.push((
                if elderly { uniform_age(rng, 60, 90) } else { uniform_age(rng, 20, 59) },
                rng.random_bool(chance(&a.single_elderly_male_share)),
            ));
        }
        2 => {
            let base = if rng.random_bool(chance(&a.couple_elderly_share)) {
                uniform_age(rng, 60, 85)
            } else {
                uniform_age(rng, 22, 59)
            };
            ages.push((base, true));
            ages.push((base.saturating_sub(2).max(18), false));
        }
        n => {
            let head = uniform_age(rng, 25, 50);
            ages.push((head, true));
            ages.push((head.saturating_sub(2).max(20), false));
            let grandparents = if n >= 5 {
                2
            } else if n == 4 && rng.random_bool(chance(&a.grandparent_in_four_share)) {
                1
            } else {
                0
            };
            for _ in 0..grandparents {
                ages.push((
                    uniform_age(rng, head.saturating_add(22).min(95), 95).max(58),
                    rng.random_bool(chance(&a.grandparent_male_share)),
                ));
            }
            first_child = ages.len();
            while ages.len() < n {
                let top = head.saturating_sub(18).clamp(0, 17);
                ages.push((uniform_age(rng, 0, top), rng.random_bool(chance(&a.child_male_share))));
            }
        }
    }
    (ages, first_child)
}

/// What one adult of working age does: an urban job (insured as an employee
/// or a flexible worker, or informal), a rural wage, or farming; earnings
/// outside wages are the person's `earnings_fen`. An urban adult out of work
/// may draw the unemployment benefit.
fn working_age(
    rng: &mut ChaCha8Rng,
    (a, d, year, recipients): (&crate::targets::Assumptions, &Spreads, i32, f64),
    urban: bool,
    p: &mut SynthPerson,
) {
    if urban && !rng.random_bool(chance(&a.urban_employment_share)) {
        // The draws are made whether or not the person is a recipient, so that the
        // calibrated share changes no other draw.
        let (draw, start, months): (f64, i32, i64) =
            (rng.random(), rng.random_range(0..SPELL_START_MONTHS), rng.random_range(SPELL_CONTRIBUTION_MONTHS));
        let first = minsheng_core::Month::new(year, 12).map(|december| december.plus(1 - SPELL_START_MONTHS));
        if draw < recipients
            && let Some(first) = first
        {
            p.unemployment = Some(Spell { start: first.plus(start), contribution_months: months });
        }
    } else if urban {
        if rng.random_bool(chance(&a.urban_insured_share)) {
            p.insured = true;
            if let Some(tier) = d.flexible_tier
                && rng.random_bool(chance(&a.flexible_share_of_insured))
            {
                p.flexible = Some(tier);
                p.earnings_fen = fen(rng, &d.informal_income);
            } else {
                p.wage_fen = Some(fen(rng, &d.urban_wages));
            }
        } else {
            p.informal = true;
            p.earnings_fen = fen(rng, &d.informal_income);
        }
    } else if !urban && rng.random_bool(chance(&a.rural_wage_share)) {
        p.wage_fen = Some(fen(rng, &d.rural_wages));
    } else if !urban {
        p.earnings_fen = fen(rng, &d.other_income);
    }
}

/// What one person aged 60 or more draws: an employee pension, a residents'
/// pension, or neither, by the area's shares.
fn elderly(rng: &mut ChaCha8Rng, (a, d): (&crate::targets::Assumptions, &Spreads), urban: bool, p: &mut SynthPerson) {
    let draw: f64 = rng.random();
    let (employee, resident) = if urban {
        (a.urban_elderly_employee_pension_share.value, a.urban_elderly_resident_pension_share.value)
    } else {
        (a.rural_elderly_employee_pension_share.value, a.rural_elderly_resident_pension_share.value)
    };
    if draw < employee {
        p.pension_fen = Some(fen(rng, &d.pensions));
    } else if draw < employee + resident {
        p.resident_account_fen = Some(fen(rng, &d.accounts));
    }
}

/// One household, its draws in a fixed order (area, size, ages and sexes,
/// then each member's, then 低保's conditions and property income): the
/// stream fixes the population.
fn household(
    rng: &mut ChaCha8Rng,
    (targets, t, amounts): (&Targets, &YearTargets, &Amounts),
    d: &Spreads,
) -> SynthHousehold {
    let recipients = if t.unemployment_benefit_monthly.is_some() { amounts.unemployed_recipients } else { 0.0 };
    let a = &targets.assumptions;
    let urban = rng.random_bool(t.urban_share.value.clamp(0.0, 1.0));
    let size = household_size(rng, &targets.household_size_shares.values);
    let (ages, first_child) = ages_and_sexes(rng, a, size);
    let parents: Claimants = smallvec::smallvec![0, 1];
    let members: Vec<SynthPerson> = ages
        .iter()
        .enumerate()
        .map(|(i, &(age, male))| {
            let mut p = SynthPerson {
                age,
                male,
                wage_fen: None,
                insured: false,
                flexible: None,
                informal: false,
                earnings_fen: 0,
                pension_fen: None,
                resident_account_fen: None,
                claimants: Claimants::new(),
                elderly_parent: None,
                unemployment: None,
                kindergarten: false,
            };
            if (16..60).contains(&age) {
                p.elderly_parent = elderly_parent(rng, a, t.year, urban, age);
            }
            // Women in urban jobs retired at 50 or 55 under the old ages.
            let retired_woman =
                urban && !male && age >= 50 && rng.random_bool(chance(&a.urban_early_retired_women_share));
            if i >= first_child {
                p.claimants = parents.clone();
                if (3..=6).contains(&age) {
                    p.kindergarten = rng.random_bool(chance(&a.kindergarten_enrolment_share));
                }
            } else if retired_woman && age < 60 {
                p.pension_fen = Some(fen(rng, &d.pensions));
            } else if (16..60).contains(&age) {
                working_age(rng, (a, d, t.year, recipients), urban, &mut p);
            } else if age >= 60 {
                elderly(rng, (a, d), urban, &mut p);
            }
            p
        })
        .collect();
    let take_up: f64 = rng.random();
    let dibao_conditions = take_up < amounts.dibao_take_up;
    // Property income follows the household's wages and pensions (a year of each).
    let earned: i64 = members.iter().map(|p| p.wage_fen.unwrap_or(0) + p.pension_fen.unwrap_or(0)).sum();
    let property_income_fen = (earned as f64 * 12.0 * amounts.property * d.property_factor.sample(rng)).round() as i64;
    let earnings: i64 = members.iter().map(|p| p.earnings_fen).sum();
    SynthHousehold {
        urban,
        members,
        other_income_fen: earnings + property_income_fen,
        property_income_fen,
        dibao_conditions,
    }
}

/// Generates partition `index` of `size` households for `year`, with the
/// calibrated `amounts`.
pub fn partition(
    seed: u64,
    index: u64,
    size: usize,
    targets: &Targets,
    t: &YearTargets,
    amounts: &Amounts,
) -> Vec<SynthHousehold> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    let spreads = Spreads::new(&targets.assumptions, t, amounts);
    (0..size).map(|_| household(&mut rng, (targets, t, amounts), &spreads)).collect()
}
