//! Cumulative withholding on wages (累计预扣法), STA 2018 No. 61 art. 6.
//!
//! Each month the employer computes the tax on the year's cumulative taxable
//! wages under the annual table and withholds the difference from what it has
//! already withheld; there are no refunds within the year. Cumulation is per
//! employer: a new employer starts from zero. Every figure here is computed
//! under the law as known at the end of its month ([`Knowledge::AsOfPeriodEnd`]),
//! so deductions announced later in the year are caught up when announced.

use std::sync::Arc;

use minsheng_core::money::Money;
use minsheng_core::{Entity, Eval, EvalError, Knowledge, Month, Period, PeriodKind, Value, ValueType, Variable};

use super::annual::BASIC_ANNUAL;
use super::formula;
use super::inputs::{
    ANNUAL_BONUS, ANNUITY, EMPLOYER, HEALTH_INSURANCE, LOW_EARNER_LAST_YEAR, PENSION_CONTRIBUTION, PENSION_PILOT,
};
use super::payments::{self, SEPARATE};
use super::sad::MONTHLY_TOTAL;
use crate::person::WAGE;
use crate::social_insurance::contributions::{
    AVERAGE_WAGE, HOUSING_FUND_BASE, HOUSING_FUND_EMPLOYEE, MEDICAL_EMPLOYEE, PENSION_EMPLOYEE, UNEMPLOYMENT_EMPLOYEE,
};
use crate::social_insurance::inputs::DECLARED_CONTRIBUTIONS;
use crate::social_insurance::inputs::{DECLARED_BASE, LOCALITY};
use crate::util::months_through;

pub(crate) const FIRST_JOB: &str = "iit.withholding.first_job_rule";
const LOW_EARNER: &str = "iit.withholding.low_earner_rule";
const ANNUAL_SCALE: &str = "iit.comprehensive.annual_scale";
pub(crate) const HEALTH_MONTHLY: &str = "iit.other_deductions.commercial_health_insurance_monthly";
pub(crate) const PENSION_CAP: &str = "iit.other_deductions.private_pension_annual_cap";
pub(crate) const PENSION_NATIONWIDE: &str = "iit.other_deductions.private_pension_nationwide";
const ANNUITY_CAP: &str = "iit.other_deductions.annuity_rate_cap";
const ANNUITY_CEILING: &str = "iit.other_deductions.annuity_base_ceiling_multiple";
const HF_EXEMPT_RATE: &str = "social_insurance.housing_fund.iit_exempt_rate";

/// The name given to the employer when the situation names none.
const UNNAMED_EMPLOYER: &str = "(employer)";

/// 扣缴义务人: who withholds this month's wages: the employer given, or one
/// unnamed employer in any month with wages or a bonus; none otherwise.
pub static PAYER: Variable = formula("iit.withholding.payer")
    .label("本月扣缴单位", "Employer withholding this month")
    .value(ValueType::Text, PeriodKind::Month)
    .reference("国家税务总局公告2018年第61号 第六条")
    .reads(&[&EMPLOYER, &WAGE, &ANNUAL_BONUS])
    .compute(|ev, e, p| {
        if let Some(name) = ev.text(&EMPLOYER, e, p)? {
            return Ok(Value::Text(name));
        }
        let paid = !ev.money(&WAGE, e, p)?.is_zero() || !ev.money(&ANNUAL_BONUS, e, p)?.is_zero();
        Ok(if paid { Value::Text(Arc::from(UNNAMED_EMPLOYER)) } else { Value::Absent })
    });

/// The months of the year up to `m` in which this month's employer withheld.
fn months_with_payer(ev: &mut Eval<'_>, e: Entity, m: Month) -> Result<PayerMonths, EvalError> {
    let mut months = PayerMonths { year: m.year(), mask: 0 };
    let Some(payer) = ev.text(&PAYER, e, Period::Month(m))? else { return Ok(months) };
    for k in months_through(m) {
        if ev.text_equals(&PAYER, e, Period::Month(k), &payer)? {
            months.mask |= 1 << (k.number() - 1);
        }
    }
    Ok(months)
}

/// A set of months of one year (bit `n - 1` for month `n`): the months with
/// one payer, kept without allocating since every cumulative figure asks.
#[derive(Copy, Clone, Debug)]
struct PayerMonths {
    year: i32,
    mask: u16,
}

impl PayerMonths {
    fn len(self) -> usize {
        self.mask.count_ones() as usize
    }

    fn is_empty(self) -> bool {
        self.mask == 0
    }

    /// The months, in order.
    fn iter(self) -> impl Iterator<Item = Month> {
        Month::of_year(self.year).filter(move |m| self.mask & (1 << (m.number() - 1)) != 0)
    }
}

/// 任职受雇月份数: months employed by this month's employer in the year to date.
pub static MONTHS_EMPLOYED: Variable = formula("iit.withholding.months_employed")
    .label("本年在本单位任职受雇月份数", "Months employed by this employer this year")
    .value(ValueType::Count, PeriodKind::Month)
    .reference("国家税务总局公告2018年第61号 第六条")
    .reads(&[&PAYER])
    .compute(|ev, e, p| Ok(Value::Count(months_with_payer(ev, e, ev.this_month(p)?)?.len() as i64)));

/// The monthly basic deduction on `day`: a twelfth of the annual one (个人所得税法
/// 第六条: 60,000 a year; 61号 第六条: 5,000 a month), so that a reform of the
/// annual figure reaches withholding too. Rounded half away from zero to the fen.
#[inline]
pub(crate) fn basic_monthly(annual: Money) -> Money {
    annual.div_round(12).unwrap_or(annual)
}

/// Whether the first-job rule (2020 No. 13) applies in month `m`: no other
/// employer withheld on this person's wages in the year before or during `m`.
/// It is meant for a person whose first wages of the year come from this
/// employer: one who worked for another employer earlier in the year, even
/// between two stints with this one, counts the months employed only.
fn first_wages_of_the_year(ev: &mut Eval<'_>, e: Entity, m: Month, payer: &str) -> Result<bool, EvalError> {
    for k in months_through(m) {
        if let Some(other) = ev.text(&PAYER, e, Period::Month(k))?
            && &*other != payer
        {
            return Ok(false);
        }
    }
    Ok(true)
}

/// 累计减除费用月份数: the months the cumulative basic deduction counts: the
/// months employed by this employer (61号 第六条), or, for a person whose
/// first wages of the year come from this employer (2020年第13号), every month
/// of the year to date, whether or not employed in it.
pub static DEDUCTION_MONTHS: Variable = formula("iit.withholding.deduction_months")
    .label("累计减除费用计算月份数", "Months counted for the cumulative basic deduction")
    .value(ValueType::Count, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("国家税务总局公告2018年第61号 第六条；2020年第13号 第一条")
    .reads(&[&PAYER, &MONTHS_EMPLOYED])
    .params(&[FIRST_JOB])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let Some(payer) = ev.text(&PAYER, e, p)? else { return Ok(Value::Count(0)) };
        let employed = ev.count(&MONTHS_EMPLOYED, e, p)?;
        if ev.flag_param(FIRST_JOB, m.first_day())? && first_wages_of_the_year(ev, e, m, &payer)? {
            return Ok(Value::Count(employed.max(i64::from(m.number()))));
        }
        Ok(Value::Count(employed))
    });

/// 累计减除费用: the monthly basic deduction times the months counted; the
/// year's basic deduction from January for last year's low earners with the
/// same employer (2020 No. 19).
pub static CUMULATIVE_BASIC_DEDUCTION: Variable = formula("iit.withholding.cumulative_basic_deduction")
    .label("累计减除费用", "Cumulative basic deduction")
    .value(ValueType::Money, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("国家税务总局公告2018年第61号 第六条；2020年第13号；2020年第19号")
    .reads(&[&PAYER, &DEDUCTION_MONTHS, &LOW_EARNER_LAST_YEAR])
    .params(&[BASIC_ANNUAL, LOW_EARNER])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let Some(payer) = ev.text(&PAYER, e, p)? else { return Ok(Value::Money(Money::ZERO)) };
        let annual = ev.amount(BASIC_ANNUAL, m.first_day())?;
        let mut deduction = basic_monthly(annual).times(ev.count(&DEDUCTION_MONTHS, e, p)?);
        let january = Period::Month(Month::of_year(m.year()).next().unwrap_or(m));
        let same_as_january = ev.text(&PAYER, e, january)?.is_some_and(|j| j == payer);
        if same_as_january
            && ev.flag(&LOW_EARNER_LAST_YEAR, e, Period::Year(m.year()))?
            && ev.flag_param(LOW_EARNER, m.first_day())?
        {
            deduction = deduction.max(annual);
        }
        Ok(Value::Money(deduction))
    });

/// 累计收入: wages paid by this employer in the year to date (with the annual
/// bonus when it is withheld together with wages).
pub static CUMULATIVE_INCOME: Variable = formula("iit.withholding.cumulative_income")
    .label("累计收入", "Cumulative wages")
    .value(ValueType::Money, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("国家税务总局公告2018年第61号 第六条")
    .reads(&[&PAYER, &WAGE, &ANNUAL_BONUS, &super::inputs::BONUS_METHOD])
    .params(&[SEPARATE])
    .compute(|ev, e, p| {
        let mut total = Money::ZERO;
        for k in months_with_payer(ev, e, ev.this_month(p)?)?.iter() {
            total += ev.money(&WAGE, e, Period::Month(k))?;
            if !payments::bonus_withheld_separately(ev, e, k)? {
                total += ev.money(&ANNUAL_BONUS, e, Period::Month(k))?;
            }
        }
        Ok(Value::Money(total))
    });

fn cumulative_sum(ev: &mut Eval<'_>, e: Entity, p: Period, var: &'static Variable) -> Result<Value, EvalError> {
    let months = months_with_payer(ev, e, ev.this_month(p)?)?;
    Ok(Value::Money(ev.sum_months(var, e, months.iter())?))
}

/// 个人缴纳的三险一金（可扣除部分）: the employee's contributions the special
/// deduction counts: pension, medical and unemployment, and the housing fund
/// within the exempt 12% of its base. Unknown where the contributions are.
pub static EMPLOYEE_DEDUCTIBLE: Variable = formula("social_insurance.employee_deductible")
    .label("个人缴纳的三险一金（可税前扣除部分）", "Employee contributions deductible from taxable income")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("个人所得税法 第六条第四款；财税〔2006〕10号")
    .reads(&[&PENSION_EMPLOYEE, &MEDICAL_EMPLOYEE, &UNEMPLOYMENT_EMPLOYEE, &HOUSING_FUND_EMPLOYEE, &HOUSING_FUND_BASE])
    .params(&[HF_EXEMPT_RATE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let mut total = Money::ZERO;
        for var in [&PENSION_EMPLOYEE, &MEDICAL_EMPLOYEE, &UNEMPLOYMENT_EMPLOYEE] {
            total += ev.money(var, e, p)?;
        }
        let fund = ev.money(&HOUSING_FUND_EMPLOYEE, e, p)?;
        if !fund.is_zero() {
            let exempt = ev.money(&HOUSING_FUND_BASE, e, p)?.mul_rate(ev.rate(HF_EXEMPT_RATE, m.first_day())?);
            total += fund.min(exempt);
        }
        Ok(Value::Money(total))
    });

/// 专项扣除（当月）: the month's special deduction: the input where given,
/// otherwise the employee's deductible contributions; where those are
/// unknown (no locality), nothing, and the result says so: the tax on wages
/// is computed from what is known.
pub static SPECIAL_DEDUCTION_MONTH: Variable = formula("iit.special_deduction")
    .label("专项扣除（三险一金）", "Special deduction (employee social insurance and housing fund)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("个人所得税法 第六条第四款；财税〔2006〕10号")
    .reads(&[&DECLARED_CONTRIBUTIONS, &EMPLOYEE_DEDUCTIBLE])
    .compute(|ev, e, p| {
        if let Value::Money(given) = ev.get(&DECLARED_CONTRIBUTIONS, e, p)? {
            return Ok(Value::Money(given));
        }
        match ev.money(&EMPLOYEE_DEDUCTIBLE, e, p) {
            Err(EvalError::Unknown(u)) => {
                ev.assume(
                    u,
                    minsheng_core::Label {
                        zh: "专项扣除（三险一金）按0计算，个税可能偏高；请提供 special_deduction".into(),
                        en: "the special deduction (三险一金) is taken as 0, so the tax may be too high; give special_deduction".into(),
                    },
                );
                Ok(Value::Money(Money::ZERO))
            }
            other => Ok(Value::Money(other?)),
        }
    });

/// 累计专项扣除: social insurance and housing fund in the months with this employer.
pub static CUMULATIVE_SPECIAL_DEDUCTION: Variable = formula("iit.withholding.cumulative_special_deduction")
    .label("累计专项扣除", "Cumulative special deduction")
    .value(ValueType::Money, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("国家税务总局公告2018年第61号 第六条")
    .reads(&[&PAYER, &SPECIAL_DEDUCTION_MONTH])
    .compute(|ev, e, p| cumulative_sum(ev, e, p, &SPECIAL_DEDUCTION_MONTH));

/// 累计专项附加扣除: special additional deductions in the months with this
/// employer, under the law as known at the end of the month.
pub static CUMULATIVE_SAD: Variable = formula("iit.withholding.cumulative_special_additional_deduction")
    .label("累计专项附加扣除", "Cumulative special additional deductions")
    .value(ValueType::Money, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("国家税务总局公告2018年第61号 第六条；国发〔2018〕41号")
    .reads(&[&PAYER, &MONTHLY_TOTAL])
    .compute(|ev, e, p| cumulative_sum(ev, e, p, &MONTHLY_TOTAL));

/// 年金税前扣除: the annuity contribution not taxed when paid: at most 4% of
/// the base (the declared wage or the month's wage, at most three times the
/// local average wage where a locality is given).
pub static ANNUITY_DEDUCTIBLE: Variable = formula("iit.annuity_deductible")
    .label("年金个人缴费税前扣除额", "Annuity contribution deductible")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("财税〔2013〕103号 一")
    .reads(&[&ANNUITY, &DECLARED_BASE, &WAGE, &LOCALITY, &AVERAGE_WAGE])
    .params(&[ANNUITY_CAP, ANNUITY_CEILING])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let paid = ev.money(&ANNUITY, e, p)?;
        if paid.is_zero() {
            return Ok(Value::Money(Money::ZERO));
        }
        let mut base = match ev.get(&DECLARED_BASE, e, p)? {
            Value::Money(d) => d,
            _ => ev.money(&WAGE, e, p)?,
        };
        if ev.text(&LOCALITY, e, Period::Eternity)?.is_some() {
            let ceiling = ev.money(&AVERAGE_WAGE, e, p)?.mul_rate(ev.rate(ANNUITY_CEILING, m.first_day())?);
            base = base.min(ceiling);
        }
        Ok(Value::Money(paid.min(base.mul_rate(ev.rate(ANNUITY_CAP, m.first_day())?))))
    });

/// Whether private pension contributions are deductible in `year`.
pub(crate) fn pension_deductible(ev: &mut Eval<'_>, e: Entity, year: i32) -> Result<Option<Money>, EvalError> {
    let day = crate::util::year_end(year);
    let Some(cap) = ev.amount_if_in_force(PENSION_CAP, day)? else { return Ok(None) };
    let eligible = ev.flag_param(PENSION_NATIONWIDE, day)? || ev.flag(&PENSION_PILOT, e, Period::Year(year))?;
    Ok(eligible.then_some(cap))
}

/// 累计依法确定的其他扣除: commercial health insurance (200 a month), annuity
/// contributions (within 4% of the base) and private pension contributions
/// (12,000 a year) in the months with this employer.
pub static CUMULATIVE_OTHER_DEDUCTION: Variable = formula("iit.withholding.cumulative_other_deduction")
    .label("累计依法确定的其他扣除", "Cumulative other deductions")
    .value(ValueType::Money, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("国家税务总局公告2018年第61号 第六条；财税〔2017〕39号；财政部 税务总局公告2022年第34号")
    .reads(&[&PAYER, &HEALTH_INSURANCE, &PENSION_CONTRIBUTION, &PENSION_PILOT, &ANNUITY_DEDUCTIBLE])
    .params(&[HEALTH_MONTHLY, PENSION_CAP, PENSION_NATIONWIDE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let months = months_with_payer(ev, e, m)?;
        let mut health = Money::ZERO;
        for k in months.iter() {
            let cap = ev.amount(HEALTH_MONTHLY, k.first_day())?;
            health += ev.money(&HEALTH_INSURANCE, e, Period::Month(k))?.min(cap);
        }
        let annuity = ev.sum_months(&ANNUITY_DEDUCTIBLE, e, months.iter())?;
        let pension = match pension_deductible(ev, e, m.year())? {
            Some(cap) => ev.sum_months(&PENSION_CONTRIBUTION, e, months.iter())?.min(cap),
            None => Money::ZERO,
        };
        Ok(Value::Money(health + annuity + pension))
    });

/// 累计预扣预缴应纳税所得额: cumulative income less the cumulative deductions.
pub static CUMULATIVE_TAXABLE: Variable = formula("iit.withholding.cumulative_taxable")
    .label("累计预扣预缴应纳税所得额", "Cumulative taxable wages")
    .value(ValueType::Money, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("国家税务总局公告2018年第61号 第六条")
    .reads(&[
        &CUMULATIVE_INCOME,
        &CUMULATIVE_BASIC_DEDUCTION,
        &CUMULATIVE_SPECIAL_DEDUCTION,
        &CUMULATIVE_SAD,
        &CUMULATIVE_OTHER_DEDUCTION,
    ])
    .compute(|ev, e, p| {
        let income = ev.money(&CUMULATIVE_INCOME, e, p)?;
        let mut deductions = Money::ZERO;
        for var in
            [&CUMULATIVE_BASIC_DEDUCTION, &CUMULATIVE_SPECIAL_DEDUCTION, &CUMULATIVE_SAD, &CUMULATIVE_OTHER_DEDUCTION]
        {
            deductions += ev.money(var, e, p)?;
        }
        Ok(Value::Money(super::taxable(income, deductions)))
    });

/// 累计应预扣预缴税额: the annual table (预扣率表一) applied to the cumulative taxable wages.
pub static CUMULATIVE_TAX: Variable = formula("iit.withholding.cumulative_tax")
    .label("累计应预扣预缴税额", "Cumulative tax to withhold")
    .value(ValueType::Money, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("国家税务总局公告2018年第61号 第六条、附件 个人所得税预扣率表一")
    .reads(&[&CUMULATIVE_TAXABLE])
    .params(&[ANNUAL_SCALE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let taxable = ev.money(&CUMULATIVE_TAXABLE, e, p)?;
        Ok(Value::Money(ev.scale(ANNUAL_SCALE, m.first_day())?.tax(taxable)))
    });

/// 本期应预扣预缴税额: this month's withholding on wages: the cumulative tax less
/// what this employer already withheld this year, never below zero.
pub static WAGE_TAX_WITHHELD: Variable = formula("iit.withholding.wage_tax")
    .label("本月工资薪金预扣预缴税额", "Tax withheld on wages this month")
    .value(ValueType::Money, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("国家税务总局公告2018年第61号 第六条")
    .reads(&[&PAYER, &CUMULATIVE_TAX, &WAGE_TAX_WITHHELD])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let months = months_with_payer(ev, e, m)?;
        if months.is_empty() {
            return Ok(Value::Money(Money::ZERO));
        }
        let cumulative = ev.money(&CUMULATIVE_TAX, e, p)?;
        let mut already = Money::ZERO;
        for k in months.iter().filter(|k| *k < m) {
            already += ev.money(&WAGE_TAX_WITHHELD, e, Period::Month(k))?;
        }
        Ok(Value::Money(due_this_month(cumulative, already)))
    });

/// 本期应预扣预缴税额: the cumulative tax less what was withheld before this
/// month, never below zero (国家税务总局公告2018年第61号 第六条: 累计应预扣预缴税额 −
/// 累计已预扣预缴税额).
#[inline]
pub(crate) fn due_this_month(cumulative_tax: Money, withheld_before: Money) -> Money {
    (cumulative_tax - withheld_before).max_zero()
}
