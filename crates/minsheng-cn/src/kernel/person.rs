//! One person's year in the kernel: contributions, special additional
//! deductions, cumulative withholding, the annual settlement, pensions and
//! benefits, and the statement. Each step names the formula it follows.

use jiff::civil::Date;
use minsheng_core::{Money, Month, Rate};

use super::law::{ContributionLaw, DeductionLaw, Need, YearLaw};
use super::{ElderlyParent, Gap, Person, PersonYear, reached};
use crate::iit::{self, annual, sad, withholding};
use crate::pension::{employee, resident};
use crate::social_insurance::contributions as si;

/// The month's contributions of one person (`social_insurance.*_employee`, `*_employer`).
#[derive(Copy, Clone, Debug, Default)]
struct Contributions {
    pension_employee: Money,
    medical_employee: Money,
    unemployment_employee: Money,
    employer: Money,
}

impl Contributions {
    /// `iit.special_deduction` (no housing fund in the kernel's inputs).
    fn special_deduction(self) -> Money {
        self.pension_employee + self.medical_employee + self.unemployment_employee
    }

    fn all(self) -> Money {
        self.special_deduction() + self.employer
    }
}

/// A person's contributions and income tax for the year.
#[derive(Copy, Clone, Debug)]
pub(super) struct Taxes {
    pub income_tax: Money,
    pub withheld: Option<Money>,
    pub social_insurance: Money,
    pub employee_contributions: Money,
}

impl Taxes {
    /// The same part of a year already computed.
    pub(super) fn of(p: &PersonYear) -> Taxes {
        Taxes {
            income_tax: p.income_tax,
            withheld: p.withheld,
            social_insurance: p.social_insurance,
            employee_contributions: p.employee_contributions,
        }
    }
}

/// The special and special additional deductions from January to each month.
struct Deductions {
    cumulative: [Money; 12],
}

/// Elderly support in a month once the parent has reached the age: the whole
/// amount for an only child, else an equal share within the sibling cap.
fn elderly_support(l: &DeductionLaw, parent: ElderlyParent) -> Need<Money> {
    let cap = if parent.children <= 1 { Money::ZERO } else { l.elderly_cap? };
    Ok(sad::elderly_share(l.elderly_total?, i64::from(parent.children), cap))
}

/// One person of a household, under one year's law.
pub(super) struct PersonRun<'a> {
    law: &'a YearLaw,
    members: &'a [Person<'a>],
    me: usize,
    person: &'a Person<'a>,
    /// `social_insurance.insured`: the same in every month for the kernel's inputs.
    insured: bool,
    /// Claims a child's deductions or elderly support (else no special additional deduction).
    claims: bool,
}

impl<'a> PersonRun<'a> {
    /// Member `me` (`person`) of `members`.
    #[inline]
    pub(super) fn new(law: &'a YearLaw, members: &'a [Person<'a>], (me, person): (usize, &'a Person<'a>)) -> Self {
        let working = !person.monthly_wage.is_zero() || person.flexible_share.is_some();
        let claims = person.elderly_parent.is_some()
            || members.iter().enumerate().any(|(c, child)| c != me && child.claimants.contains(&me));
        PersonRun { law, members, me, person, insured: person.insured && working, claims }
    }

    /// The contributions of each month under state `s` of the law.
    fn contributions_by_month(&self, s: usize, paid: &mut [Contributions; 12]) -> Need<()> {
        if !self.insured {
            *paid = [Contributions::default(); 12];
            return Ok(());
        }
        for i in 0..12 {
            paid[i] = if self.law.repeats[s][i] {
                paid[i - 1]
            } else {
                self.contributions(&self.law.states[s][i].contributions)?
            };
        }
        Ok(())
    }

    /// `social_insurance.base` and the rates (`contributions.rs`).
    /// For an insured person.
    fn contributions(&self, l: &ContributionLaw) -> Need<Contributions> {
        let (floor, ceiling) = l.bounds?;
        if let Some(share) = self.person.flexible_share {
            let base = si::tier_base(l.average_wage?, share).unwrap_or(ceiling);
            if base < floor || base > ceiling {
                return Err(Gap("social_insurance.base: a flexible base outside the bounds"));
            }
            let pension_employee = base.mul_rate(l.flexible_pension_rate?);
            return Ok(Contributions { pension_employee, ..Contributions::default() });
        }
        let base = si::base_within(self.person.monthly_wage, floor, ceiling);
        Ok(Contributions {
            pension_employee: base.mul_rate(l.pension_employee_rate?),
            medical_employee: si::medical_employee(
                base,
                l.medical_employee_rate?,
                l.medical_employee_fixed?.unwrap_or(Money::ZERO),
            ),
            unemployment_employee: base.mul_rate(l.unemployment_employee_rate?),
            employer: base.mul_rate(l.pension_employer_rate?)
                + base.mul_rate(l.medical_employer_rate?)
                + base.mul_rate(l.unemployment_employer_rate?),
        })
    }

    /// `iit.sad.monthly_total` for month `m` (`sad.rs`): the shares of the
    /// children's education and infant-care deductions claimed, and elderly support.
    fn special_additional(&self, l: &DeductionLaw, m: Month) -> Need<Money> {
        let mut total = Money::ZERO;
        if !self.claims {
            return Ok(total);
        }
        for (child, share) in self.claimed() {
            if reached(child.birth, l.child_education_start_age?, m) {
                total += l.child_education?.mul_rate(share);
            }
            if let Some(amount) = l.infant_care? {
                let born = Month::of(child.birth) <= m;
                if born && !reached(child.birth, l.infant_care_end_age?, m) {
                    total += amount.mul_rate(share);
                }
            }
        }
        if let Some(parent) = self.person.elderly_parent
            && reached(parent.birth, l.elderly_parent_age?, m)
        {
            total += elderly_support(l, parent)?;
        }
        Ok(total)
    }

    /// The children who list this person as claimant, with the share each claims.
    fn claimed(&self) -> impl Iterator<Item = (&'a Person<'a>, Rate)> {
        let me = self.me;
        self.members
            .iter()
            .enumerate()
            .filter(move |(c, child)| *c != me && child.claimants.contains(&me))
            .map(|(_, child)| (child, Rate::from_percent(100 / child.claimants.len() as i64)))
    }

    /// The special and special additional deductions under state `s` of the
    /// law, cumulated month by month, with `paid` the contributions under it.
    fn deductions(&self, s: usize, paid: &[Contributions; 12]) -> Need<Deductions> {
        let mut cumulative = [Money::ZERO; 12];
        let mut total = Money::ZERO;
        for (i, (l, m)) in self.law.states[s].iter().zip(self.law.months).enumerate() {
            total += paid[i].special_deduction() + self.special_additional(&l.deductions, m)?;
            cumulative[i] = total;
        }
        Ok(Deductions { cumulative })
    }

    /// The year's special additional deductions under full knowledge: where
    /// their parameters hold all year, each child's and parent's amount times
    /// the months it is due (the same sum as month by month).
    fn additional_for_year(&self) -> Need<Money> {
        let law = self.law;
        if !self.claims {
            return Ok(Money::ZERO);
        }
        if !law.deductions_constant[0] {
            let mut total = Money::ZERO;
            for (l, m) in law.states[0].iter().zip(law.months) {
                total += self.special_additional(&l.deductions, m)?;
            }
            return Ok(total);
        }
        let l = &law.states[0][0].deductions;
        // Months of the year from the month of reaching `years` of age on.
        let from_age = |birth: Date, years: i64| {
            let reached_in = i64::from(law.months[0].months_until(Month::of(birth))) + years * 12;
            12 - reached_in.clamp(0, 12)
        };
        let mut total = Money::ZERO;
        for (child, share) in self.claimed() {
            let education = from_age(child.birth, l.child_education_start_age?);
            if education > 0 {
                total += l.child_education?.mul_rate(share).times(education);
            }
            if let Some(amount) = l.infant_care? {
                let infant = from_age(child.birth, 0) - from_age(child.birth, l.infant_care_end_age?);
                total += amount.mul_rate(share).times(infant.max(0));
            }
        }
        if let Some(parent) = self.person.elderly_parent {
            let months = from_age(parent.birth, l.elderly_parent_age?);
            if months > 0 {
                total += elderly_support(l, parent)?.times(months);
            }
        }
        Ok(total)
    }

    /// `iit.total` and `iit.annual.prepaid` (`withholding.rs`, `annual.rs`):
    /// cumulative withholding month by month, each month under the law as then
    /// known, and the settlement.
    /// `None` for what was withheld where the law settles in December
    /// ([`YearLaw::settles_in_december`]): the tax is the year's tax, and
    /// withholding is not computed.
    fn income_tax(&self, full: &[Contributions; 12]) -> Need<(Money, Option<Money>)> {
        let wage = self.person.monthly_wage;
        if wage.is_zero() {
            return Ok((Money::ZERO, Some(Money::ZERO)));
        }
        let law = self.law;
        let a = &law.annual;
        let income = wage.times(12);
        let year_tax = |deductions: Money| -> Need<Money> {
            Ok(a.scale.as_ref().map_err(|g| *g)?.tax(iit::taxable(income, a.basic_deduction? + deductions)))
        };
        if law.settles_in_december {
            let special: Money = full.iter().map(|c| c.special_deduction()).sum();
            return Ok((year_tax(special + self.additional_for_year()?)?, None));
        }
        let full = self.deductions(0, full)?;
        let tax = year_tax(full.cumulative[11])?;
        // Withholding month by month; the deductions of another state of
        // knowledge are computed when a month first needs them (states change
        // a few times a year at most).
        let mut other: Option<(usize, Deductions)> = None;
        let mut withheld = Money::ZERO;
        for (i, &s) in law.withheld_under.iter().enumerate() {
            let d = match &other {
                _ if s == 0 => &full,
                Some((cached, d)) if *cached == s => d,
                _ => {
                    let mut paid = [Contributions::default(); 12];
                    self.contributions_by_month(s, &mut paid)?;
                    &other.insert((s, self.deductions(s, &paid)?)).1
                }
            };
            let l = &law.states[s][i];
            let months = i as i64 + 1;
            let deducted = l.basic_deduction?.times(months) + d.cumulative[i];
            let due = l.scale.as_ref().map_err(|g| *g)?.tax(iit::taxable(wage.times(months), deducted));
            withheld += withholding::due_this_month(due, withheld);
        }
        let balance = tax - withheld;
        if balance <= Money::ZERO {
            return Ok((tax, Some(withheld)));
        }
        let ceilings = (a.exemption_income_ceiling?, a.exemption_due_ceiling?);
        Ok((if annual::settlement_exempt(income, balance, ceilings) { withheld } else { tax }, Some(withheld)))
    }

    /// `pension.resident_monthly` for month `m` (`pension/resident.rs`).
    fn resident_pension(&self, m: Month, i: usize) -> Need<Money> {
        let Some(account) = self.person.resident_pension else { return Ok(Money::ZERO) };
        let b = &self.law.benefits[i];
        let enough = account.months >= b.resident_months?;
        if !reached(self.person.birth, b.resident_age?, m) || !enough {
            return Ok(Money::ZERO);
        }
        Ok(b.resident_minimum? + resident::account_pension(account.account, b.resident_divisor?))
    }

    /// `childcare.subsidy` for month `m` (`childcare.rs`).
    fn childcare(&self, m: Month, i: usize) -> Need<Money> {
        let b = &self.law.benefits[i];
        let Some(annual) = b.childcare_annual? else { return Ok(Money::ZERO) };
        let (born, months) = (Month::of(self.person.birth), b.childcare_months?);
        if !(0..=months).contains(&i64::from(born.months_until(m))) {
            return Ok(Money::ZERO);
        }
        let born_under_plan = self.law.childcare_in_force(born)?;
        Ok(crate::childcare::paid_in(m, born, annual, born_under_plan, months))
    }

    /// Contributions and income tax: the part of the year that the contribution
    /// and tax law decide.
    #[inline]
    pub(super) fn taxes(&self) -> Need<Taxes> {
        if !self.insured && self.person.monthly_wage.is_zero() {
            // Neither contributions nor wages: no tax on comprehensive income either.
            let zero = Money::ZERO;
            return Ok(Taxes {
                income_tax: zero,
                withheld: Some(zero),
                social_insurance: zero,
                employee_contributions: zero,
            });
        }
        let mut full = [Contributions::default(); 12];
        self.contributions_by_month(0, &mut full)?;
        let (income_tax, withheld) = self.income_tax(&full)?;
        Ok(Taxes {
            income_tax,
            withheld,
            social_insurance: full.iter().map(|c| c.all()).sum(),
            employee_contributions: full.iter().map(|c| c.special_deduction()).sum(),
        })
    }

    /// `unemployment.annual_benefit`: the monthly amount in each month of the
    /// year within the spell's entitled months (`unemployment.entitled_months`,
    /// by the duration law in force when it began). A person insured in a
    /// locality goes to the formulas, which check the amount against the
    /// locality's minimum wage and 低保 standard.
    fn unemployment_benefit(&self) -> Need<Money> {
        let Some(spell) = self.person.unemployment else { return Ok(Money::ZERO) };
        if self.person.insured {
            return Err(Gap("unemployment.benefit: a spell of a person insured in a locality"));
        }
        let l = self.law.spell_duration(spell.start)?;
        let entitled =
            crate::unemployment::entitled_months(spell.contribution_months, 0, l.minimum, &l.table, l.maximum);
        let months =
            self.law.months.iter().filter(|&&m| crate::unemployment::paid_in(spell.start, entitled, m)).count();
        Ok(spell.monthly_amount.times(months as i64))
    }

    /// `preschool.fee_waived`: the fee of each semester beginning in the year
    /// under the waiver in which the child is in the year before primary school.
    fn preschool_fee_waived(&self) -> Need<Money> {
        let Some(fee) = self.person.preschool_fee else { return Ok(Money::ZERO) };
        let l = self.law.preschool.as_ref().map_err(|gap| *gap)?;
        let semesters = crate::preschool::semesters(self.law.year, l.start_month);
        let waived = semesters.iter().zip(l.free).filter(|((first, school_year), free)| {
            *free
                && first.is_some()
                && crate::preschool::final_year(self.person.birth, *school_year, l.entry_age, l.start_month)
        });
        Ok(fee.times(waived.count() as i64))
    }

    /// The person's year: every programme and the statement (`statement.rs`),
    /// with the contributions and income tax given; and, where the household is
    /// assessed for 低保 (`assessed`), what the means test counts of it
    /// (`income.counted_for_dibao`, `assistance.rs`): not the childcare subsidy,
    /// nor the central basic pension in the months it is left out (else zero).
    #[inline]
    pub(super) fn year(&self, taxes: Taxes, assessed: bool) -> Need<(PersonYear, Money)> {
        let law = self.law;
        let Taxes { income_tax, withheld, social_insurance, employee_contributions } = taxes;
        let (mut resident_pension, mut childcare_subsidy) = (Money::ZERO, Money::ZERO);
        let mut not_counted = Money::ZERO;
        if self.person.resident_pension.is_some() || law.childcare_read {
            for (i, (m, b)) in law.months.iter().zip(&law.benefits).enumerate() {
                let paid = self.resident_pension(*m, i)?;
                if assessed && !paid.is_zero() && b.dibao_excludes_basic_pension? {
                    not_counted += crate::assistance::basic_pension_not_counted(paid, b.resident_minimum?);
                }
                resident_pension += paid;
                childcare_subsidy += self.childcare(*m, i)?;
            }
        }
        let employee_pension = match self.person.pension_last_december {
            Some(last) => match law.annual.pension_rise? {
                Some(rise) => employee::raised(last, rise),
                None => last,
            }
            .times(12),
            None => Money::ZERO,
        };
        // `medical.scheme`: the employee scheme when insured or drawing the employee
        // pension in any month, else the residents'.
        let resident_medical = !self.insured && employee_pension.is_zero();
        let (resident_medical_paid, resident_medical_subsidy) = if !resident_medical {
            (Money::ZERO, Money::ZERO)
        } else {
            let contribution =
                law.annual.resident_medical_contribution?.ok_or(Gap("medical.resident.individual_contribution"))?;
            (contribution.max_zero(), law.annual.resident_medical_subsidy?)
        };
        let public_health = law.annual.public_health?.ok_or(Gap("medical.public_health.funding_per_capita"))?;
        let unemployment_benefit = self.unemployment_benefit()?;
        let preschool_fee_waived = self.preschool_fee_waived()?;
        let market = self.person.monthly_wage.times(12);
        let benefits = employee_pension + resident_pension + unemployment_benefit + childcare_subsidy;
        let contributions = employee_contributions + resident_medical_paid;
        let disposable = crate::statement::disposable(market, benefits, income_tax, contributions);
        let counted = if assessed { disposable - childcare_subsidy - not_counted } else { Money::ZERO };
        let year = PersonYear {
            income_tax,
            withheld,
            social_insurance,
            employee_contributions,
            resident_medical_paid,
            employee_pension,
            resident_pension,
            unemployment_benefit,
            childcare_subsidy,
            preschool_fee_waived,
            resident_medical_subsidy,
            resident_medical,
            public_health,
            market,
            benefits,
            contributions,
            disposable,
        };
        Ok((year, counted))
    }
}
