//! The year's tax on comprehensive income (综合所得) and the annual settlement
//! (汇算清缴): IIT Law art. 6 and 11.
//!
//! Annual figures use full knowledge of the law: deductions raised
//! retroactively count in full here even where withholding missed them.

use minsheng_core::money::Money;
use minsheng_core::{Entity, Eval, EvalError, InputError, Period, PeriodKind, Value, ValueType, Variable};

use super::formula;
use super::inputs::{
    ANNUAL_BONUS, AUTHOR_REMUNERATION, BONUS_METHOD, HEALTH_INSURANCE, LABOUR_REMUNERATION, PENSION_CONTRIBUTION,
    PENSION_PILOT, ROYALTIES,
};
use super::payments::{self, AUTHOR_RATIO, BONUS_TAX_SEPARATE, EXPENSE_RATE, MONTHLY_PREPAID, SEPARATE};
use super::sad::{MONTHLY_TOTAL, SERIOUS_ILLNESS};
use super::withholding::{
    ANNUITY_DEDUCTIBLE, PENSION_CAP, PENSION_NATIONWIDE, SPECIAL_DEDUCTION_MONTH as MONTHLY_SPECIAL, pension_deductible,
};
use crate::person::WAGE;
use crate::util::{money, person_id, year_end, year_sum};

pub(crate) const BASIC_ANNUAL: &str = "iit.comprehensive.basic_deduction_annual";
pub(crate) const ANNUAL_SCALE: &str = "iit.comprehensive.annual_scale";
pub(crate) const HEALTH_ANNUAL: &str = "iit.other_deductions.commercial_health_insurance_annual";
pub(crate) const INCOME_CEILING: &str = "iit.settlement.exemption_income_ceiling";
pub(crate) const DUE_CEILING: &str = "iit.settlement.exemption_due_ceiling";

/// 工资薪金收入额: the year's wages (without the annual bonus).
pub static WAGES: Variable = formula("iit.annual.wages")
    .label("工资薪金所得收入额", "Wages for the year")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第六条第一款第（一）项")
    .reads(&[&WAGE])
    .compute(|ev, e, p| money(year_sum(ev, e, p, &WAGE)?));

/// 劳务报酬收入额: the year's labour remuneration less 20%.
pub static LABOUR_INCOME_AMOUNT: Variable = formula("iit.annual.labour_income_amount")
    .label("劳务报酬所得收入额", "Income amount of labour remuneration")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第六条第二款")
    .reads(&[&LABOUR_REMUNERATION])
    .params(&[EXPENSE_RATE])
    .compute(|ev, e, p| {
        let total = year_sum(ev, e, p, &LABOUR_REMUNERATION)?;
        let kept = ev.rate(EXPENSE_RATE, year_end(ev.this_year(p)?))?.complement();
        money(total.mul_rate(kept))
    });

/// 稿酬收入额: the year's author remuneration less 20%, counted at 70%.
pub static AUTHOR_INCOME_AMOUNT: Variable = formula("iit.annual.author_income_amount")
    .label("稿酬所得收入额", "Income amount of author remuneration")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第六条第二款")
    .reads(&[&AUTHOR_REMUNERATION])
    .params(&[EXPENSE_RATE, AUTHOR_RATIO])
    .compute(|ev, e, p| {
        let y = ev.this_year(p)?;
        let total = year_sum(ev, e, p, &AUTHOR_REMUNERATION)?;
        let share = ev.rate(EXPENSE_RATE, year_end(y))?.complement().times(ev.rate(AUTHOR_RATIO, year_end(y))?);
        money(total.mul_rate(share))
    });

/// 特许权使用费收入额: the year's royalties less 20%.
pub static ROYALTY_INCOME_AMOUNT: Variable = formula("iit.annual.royalty_income_amount")
    .label("特许权使用费所得收入额", "Income amount of royalties")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第六条第二款")
    .reads(&[&ROYALTIES])
    .params(&[EXPENSE_RATE])
    .compute(|ev, e, p| {
        let total = year_sum(ev, e, p, &ROYALTIES)?;
        let kept = ev.rate(EXPENSE_RATE, year_end(ev.this_year(p)?))?.complement();
        money(total.mul_rate(kept))
    });

/// The year's annual one-time bonus.
pub static BONUS: Variable = formula("iit.annual.bonus")
    .label("全年一次性奖金", "Annual one-time bonus")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("财税〔2018〕164号 第一条第（一）项")
    .reads(&[&ANNUAL_BONUS])
    .compute(|ev, e, p| money(year_sum(ev, e, p, &ANNUAL_BONUS)?));

/// 综合所得收入额: wages plus the income amounts of the other three kinds
/// (the annual bonus is added only when combined).
pub static INCOME_AMOUNT: Variable = formula("iit.annual.income_amount")
    .label("综合所得收入额（不含全年一次性奖金）", "Comprehensive income amount (excluding the annual bonus)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第六条")
    .adds(&[&WAGES, &LABOUR_INCOME_AMOUNT, &AUTHOR_INCOME_AMOUNT, &ROYALTY_INCOME_AMOUNT]);

/// 基本减除费用: 60,000 a year.
pub static BASIC_DEDUCTION: Variable = formula("iit.annual.basic_deduction")
    .label("减除费用", "Basic deduction")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第六条第一款第（一）项")
    .params(&[BASIC_ANNUAL])
    .compute(|ev, _, p| money(ev.amount(BASIC_ANNUAL, year_end(ev.this_year(p)?))?));

/// 专项扣除: the year's social insurance and housing fund contributions.
pub static SPECIAL_DEDUCTION: Variable = formula("iit.annual.special_deduction")
    .label("专项扣除", "Special deduction")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第六条第四款")
    .reads(&[&MONTHLY_SPECIAL])
    .compute(|ev, e, p| money(year_sum(ev, e, p, &MONTHLY_SPECIAL)?));

/// 专项附加扣除: the year's special additional deductions, serious illness included.
pub static SAD_TOTAL: Variable = formula("iit.annual.special_additional_deduction")
    .label("专项附加扣除", "Special additional deductions")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第六条第四款；国发〔2018〕41号")
    .reads(&[&MONTHLY_TOTAL, &SERIOUS_ILLNESS])
    .compute(|ev, e, p| money(year_sum(ev, e, p, &MONTHLY_TOTAL)? + ev.money(&SERIOUS_ILLNESS, e, p)?));

/// 依法确定的其他扣除: commercial health insurance (up to 2,400), annuity
/// contributions (within 4% of the base) and private pension contributions
/// (up to 12,000, where the policy applies).
pub static OTHER_DEDUCTION: Variable = formula("iit.annual.other_deduction")
    .label("依法确定的其他扣除", "Other deductions")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("财税〔2017〕39号；财政部 税务总局公告2022年第34号")
    .reads(&[&HEALTH_INSURANCE, &PENSION_CONTRIBUTION, &PENSION_PILOT, &ANNUITY_DEDUCTIBLE])
    .params(&[HEALTH_ANNUAL, PENSION_CAP, PENSION_NATIONWIDE])
    .compute(|ev, e, p| {
        let y = ev.this_year(p)?;
        let health = year_sum(ev, e, p, &HEALTH_INSURANCE)?.min(ev.amount(HEALTH_ANNUAL, year_end(y))?);
        let pension = match pension_deductible(ev, e, y)? {
            Some(cap) => year_sum(ev, e, p, &PENSION_CONTRIBUTION)?.min(cap),
            None => Money::ZERO,
        };
        let annuity = year_sum(ev, e, p, &ANNUITY_DEDUCTIBLE)?;
        money(health + annuity + pension)
    });

fn taxable(ev: &mut Eval<'_>, e: Entity, p: Period, with_bonus: bool) -> Result<Value, EvalError> {
    let mut income = ev.money(&INCOME_AMOUNT, e, p)?;
    if with_bonus {
        income += ev.money(&BONUS, e, p)?;
    }
    let mut deductions = Money::ZERO;
    for var in [&BASIC_DEDUCTION, &SPECIAL_DEDUCTION, &SAD_TOTAL, &OTHER_DEDUCTION] {
        deductions += ev.money(var, e, p)?;
    }
    money(super::taxable(income, deductions))
}

/// 应纳税所得额（奖金单独计税）: comprehensive income less all deductions, the bonus apart.
pub static TAXABLE_EXCLUDING_BONUS: Variable = formula("iit.annual.taxable_income")
    .label("综合所得应纳税所得额（奖金单独计税时）", "Taxable comprehensive income (bonus taxed apart)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第六条第一款第（一）项")
    .reads(&[&INCOME_AMOUNT, &BASIC_DEDUCTION, &SPECIAL_DEDUCTION, &SAD_TOTAL, &OTHER_DEDUCTION])
    .compute(|ev, e, p| taxable(ev, e, p, false));

/// 应纳税所得额（奖金并入）: the same with the annual bonus added.
pub static TAXABLE_INCLUDING_BONUS: Variable = formula("iit.annual.taxable_income_with_bonus")
    .label("综合所得应纳税所得额（奖金并入综合所得时）", "Taxable comprehensive income (bonus added)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第六条第一款第（一）项；财政部 税务总局公告2023年第30号 第一条")
    .reads(&[&INCOME_AMOUNT, &BONUS, &BASIC_DEDUCTION, &SPECIAL_DEDUCTION, &SAD_TOTAL, &OTHER_DEDUCTION])
    .compute(|ev, e, p| taxable(ev, e, p, true));

fn separate_available(ev: &mut Eval<'_>, p: Period) -> Result<bool, EvalError> {
    let year = ev.this_year(p)?;
    ev.flag_param(SEPARATE, year_end(year))
}

/// The year's tax with the bonus taxed apart: the annual table on the rest,
/// plus the bonus's own tax. Equals the combined figure where separate
/// taxation is not available.
pub static TAX_BONUS_SEPARATE: Variable = formula("iit.annual.tax_bonus_separate")
    .label("应纳税额（全年一次性奖金单独计税）", "Tax for the year, bonus taxed apart")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 附表一；财政部 税务总局公告2023年第30号 第一条")
    .reads(&[&TAXABLE_EXCLUDING_BONUS, &BONUS_TAX_SEPARATE, &TAX_BONUS_COMBINED])
    .params(&[SEPARATE, ANNUAL_SCALE])
    .compute(|ev, e, p| {
        if !separate_available(ev, p)? {
            return money(ev.money(&TAX_BONUS_COMBINED, e, p)?);
        }
        let y = ev.this_year(p)?;
        let base = ev.money(&TAXABLE_EXCLUDING_BONUS, e, p)?;
        let tax = ev.scale(ANNUAL_SCALE, year_end(y))?.tax(base);
        money(tax + year_sum(ev, e, p, &BONUS_TAX_SEPARATE)?)
    });

/// The year's tax with the bonus added to comprehensive income.
pub static TAX_BONUS_COMBINED: Variable = formula("iit.annual.tax_bonus_combined")
    .label("应纳税额（全年一次性奖金并入综合所得）", "Tax for the year, bonus added")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 附表一")
    .reads(&[&TAXABLE_INCLUDING_BONUS])
    .params(&[ANNUAL_SCALE])
    .compute(|ev, e, p| {
        let y = ev.this_year(p)?;
        let base = ev.money(&TAXABLE_INCLUDING_BONUS, e, p)?;
        money(ev.scale(ANNUAL_SCALE, year_end(y))?.tax(base))
    });

/// The outcomes of [`BONUS_METHOD_CHOSEN`].
pub const BONUS_OUTCOMES: &[&str] = &["separate", "combined", "no_bonus"];

/// How the bonus is taxed at settlement: as the taxpayer chose, or under
/// `best` whichever leaves less tax (separately on a tie).
pub static BONUS_METHOD_CHOSEN: Variable = formula("iit.annual.bonus_method")
    .label("全年一次性奖金计税方式（汇算采用）", "How the annual bonus is taxed at settlement")
    .value(ValueType::Choice(BONUS_OUTCOMES), PeriodKind::Year)
    .reference("财政部 税务总局公告2023年第30号 第一条")
    .reads(&[&BONUS, &BONUS_METHOD, &TAX_BONUS_SEPARATE, &TAX_BONUS_COMBINED])
    .params(&[SEPARATE])
    .compute(|ev, e, p| {
        if ev.money(&BONUS, e, p)?.is_zero() {
            return Ok(Value::Choice("no_bonus"));
        }
        let available = separate_available(ev, p)?;
        let chosen = ev.choice(&BONUS_METHOD, e, p)?.unwrap_or("best");
        match chosen {
            "combined" => Ok(Value::Choice("combined")),
            "separate" if !available => {
                let y = ev.this_year(p)?;
                let id = person_id(ev, e);
                Err(InputError::new(
                    format!("persons.{id}.bonus_method.{y}"),
                    "separate",
                    format!("separate taxation of the annual bonus is not available in {y}"),
                )
                .zh(format!("{y} 年全年一次性奖金不可单独计税"))
                .into())
            }
            "separate" => Ok(Value::Choice("separate")),
            _ => {
                let separate = ev.money(&TAX_BONUS_SEPARATE, e, p)?;
                let combined = ev.money(&TAX_BONUS_COMBINED, e, p)?;
                Ok(Value::Choice(if available && separate <= combined { "separate" } else { "combined" }))
            }
        }
    });

/// 综合所得应纳税额: the year's tax on comprehensive income (and the bonus).
pub static TAX: Variable = formula("iit.annual.tax")
    .label("综合所得应纳税额", "Tax on comprehensive income for the year")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第三条、第六条、附表一")
    .reads(&[&BONUS_METHOD_CHOSEN, &TAX_BONUS_SEPARATE, &TAX_BONUS_COMBINED])
    .compute(|ev, e, p| match ev.choice(&BONUS_METHOD_CHOSEN, e, p)? {
        Some("separate") => money(ev.money(&TAX_BONUS_SEPARATE, e, p)?),
        _ => money(ev.money(&TAX_BONUS_COMBINED, e, p)?),
    });

/// 综合所得年收入: gross comprehensive income, for the settlement exemption
/// (the bonus counts only when added to comprehensive income).
pub static GROSS_COMPREHENSIVE_INCOME: Variable = formula("iit.annual.gross_income")
    .label("综合所得年收入", "Gross comprehensive income")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("财政部 税务总局公告2023年第32号 第一条")
    .reads(&[&WAGE, &LABOUR_REMUNERATION, &AUTHOR_REMUNERATION, &ROYALTIES, &BONUS, &BONUS_METHOD_CHOSEN])
    .compute(|ev, e, p| {
        let mut total = Money::ZERO;
        for var in [&WAGE, &LABOUR_REMUNERATION, &AUTHOR_REMUNERATION, &ROYALTIES] {
            total += year_sum(ev, e, p, var)?;
        }
        if ev.choice(&BONUS_METHOD_CHOSEN, e, p)? == Some("combined") {
            total += ev.money(&BONUS, e, p)?;
        }
        money(total)
    });

/// 已预缴税额: everything withheld or prepaid on comprehensive income during the year.
pub static PREPAID: Variable = formula("iit.annual.prepaid")
    .label("已预缴税额", "Tax withheld or prepaid during the year")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第十一条")
    .reads(&[&MONTHLY_PREPAID])
    .compute(|ev, e, p| money(year_sum(ev, e, p, &MONTHLY_PREPAID)?));

/// 应补（退）税额: the year's tax less what was prepaid; positive: due, negative: refund.
pub static BALANCE: Variable = formula("iit.settlement.balance")
    .label("汇算应补（退）税额", "Settlement balance (positive: due; negative: refund)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第十一条")
    .reads(&[&TAX, &PREPAID])
    .compute(|ev, e, p| money(ev.money(&TAX, e, p)? - ev.money(&PREPAID, e, p)?));

/// 免予汇算: an amount is due, but income is at most 120,000 or the amount at most 400.
pub static EXEMPT: Variable = formula("iit.settlement.exempt")
    .label("免予办理汇算补税", "Exempt from paying the amount due")
    .value(ValueType::Bool, PeriodKind::Year)
    .reference("财政部 税务总局公告2019年第94号；2021年第42号；2023年第32号")
    .reads(&[&BALANCE, &GROSS_COMPREHENSIVE_INCOME])
    .params(&[INCOME_CEILING, DUE_CEILING])
    .compute(|ev, e, p| {
        let balance = ev.money(&BALANCE, e, p)?;
        if balance <= Money::ZERO {
            return Ok(Value::Bool(false));
        }
        let day = year_end(ev.this_year(p)?);
        let income = ev.money(&GROSS_COMPREHENSIVE_INCOME, e, p)?;
        let ceilings = (ev.amount_if_in_force(INCOME_CEILING, day)?, ev.amount_if_in_force(DUE_CEILING, day)?);
        Ok(Value::Bool(settlement_exempt(income, balance, ceilings)))
    });

/// 免予办理汇算补税: an amount due is not paid when the year's comprehensive
/// income is within the income ceiling or the amount within the due ceiling,
/// either where in force (财政部 税务总局公告2019年第94号；2021年第42号；2023年第32号).
#[inline]
pub(crate) fn settlement_exempt(
    income: Money,
    balance: Money,
    (income_ceiling, due_ceiling): (Option<Money>, Option<Money>),
) -> bool {
    balance > Money::ZERO && (income_ceiling.is_some_and(|c| income <= c) || due_ceiling.is_some_and(|c| balance <= c))
}

/// 应补税额: the amount to pay at settlement.
pub static AMOUNT_DUE: Variable = formula("iit.settlement.amount_due")
    .label("汇算应补税额", "Amount due at settlement")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第十一条")
    .reads(&[&BALANCE, &EXEMPT])
    .compute(|ev, e, p| {
        let balance = ev.money(&BALANCE, e, p)?;
        money(if ev.flag(&EXEMPT, e, p)? { Money::ZERO } else { balance.max_zero() })
    });

/// 应退税额: the refund at settlement.
pub static REFUND: Variable = formula("iit.settlement.refund")
    .label("汇算应退税额", "Refund at settlement")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第十一条")
    .reads(&[&BALANCE])
    .compute(|ev, e, p| money((-ev.money(&BALANCE, e, p)?).max_zero()));

/// The tax on comprehensive income finally borne: prepaid, plus due, less
/// refunded; nothing at all without comprehensive income (no income, no tax
/// and nothing withheld), which spares computing the withholding.
pub static FINAL_TAX: Variable = formula("iit.annual.final_tax")
    .label("综合所得实际负担税额", "Tax on comprehensive income finally borne")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第十一条")
    .reads(&[&INCOME_AMOUNT, &BONUS, &PREPAID, &AMOUNT_DUE, &REFUND])
    .compute(|ev, e, p| {
        if ev.money(&INCOME_AMOUNT, e, p)?.is_zero() && ev.money(&BONUS, e, p)?.is_zero() {
            return money(Money::ZERO);
        }
        money(ev.money(&PREPAID, e, p)? + ev.money(&AMOUNT_DUE, e, p)? - ev.money(&REFUND, e, p)?)
    });

/// The year's tax on private pension withdrawals.
pub static PENSION_WITHDRAWAL_TAX: Variable = formula("iit.annual.private_pension_withdrawal_tax")
    .label("个人养老金领取税额（全年）", "Tax on private pension withdrawals for the year")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("财政部 税务总局公告2022年第34号 第一条")
    .reads(&[&payments::PENSION_WITHDRAWAL_TAX])
    .compute(|ev, e, p| money(year_sum(ev, e, p, &payments::PENSION_WITHDRAWAL_TAX)?));

/// All individual income tax of the year.
pub static TOTAL: Variable = formula("iit.total")
    .label("个人所得税合计", "Individual income tax, total")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法")
    .reads(&[&FINAL_TAX, &PENSION_WITHDRAWAL_TAX])
    .compute(|ev, e, p| money(ev.money(&FINAL_TAX, e, p)? + ev.money(&PENSION_WITHDRAWAL_TAX, e, p)?));
