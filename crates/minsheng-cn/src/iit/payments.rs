//! Tax paid during the year on other payments: prepayment on labour
//! remuneration, author remuneration and royalties (STA 2018 No. 61 art. 8),
//! the separately taxed annual one-time bonus, and private pension withdrawals.

use minsheng_core::money::Money;
use minsheng_core::{
    Entity, Eval, EvalError, InputError, Knowledge, Month, Period, PeriodKind, Value, ValueType, Variable,
};

use super::formula;
use super::inputs::{
    ANNUAL_BONUS, AUTHOR_REMUNERATION, BONUS_METHOD, LABOUR_REMUNERATION, PENSION_WITHDRAWAL, ROYALTIES,
};
use super::withholding::WAGE_TAX_WITHHELD;
use crate::util::person_id;

pub(crate) const SEPARATE: &str = "iit.bonus.separate_taxation";
const MONTHLY_SCALE: &str = "iit.bonus.monthly_scale";
const LABOUR_SCALE: &str = "iit.withholding.labour_scale";
const FIXED_EXPENSE: &str = "iit.withholding.expense_fixed_per_payment";
const FIXED_THRESHOLD: &str = "iit.withholding.expense_fixed_threshold";
pub(crate) const EXPENSE_RATE: &str = "iit.comprehensive.expense_rate";
pub(crate) const AUTHOR_RATIO: &str = "iit.comprehensive.author_income_ratio";
const FLAT_RATE: &str = "iit.withholding.author_royalty_prepay_rate";
const WITHDRAWAL_RATE: &str = "iit.other_deductions.private_pension_withdrawal_rate";

/// Whether the employer withholds the bonus of month `k` apart from wages:
/// separate taxation is available and the taxpayer did not choose `combined`.
pub(crate) fn bonus_withheld_separately(ev: &mut Eval<'_>, e: Entity, k: Month) -> Result<bool, EvalError> {
    let chosen = ev.choice(&BONUS_METHOD, e, Period::Year(k.year()))?;
    Ok(chosen != Some("combined") && ev.flag_param(SEPARATE, k.first_day())?)
}

/// 全年一次性奖金单独计税: the tax on the month's annual bonus taxed apart:
/// bonus × rate − quick deduction, the bracket chosen by the bonus ÷ 12 in the
/// monthly table. Zero when separate taxation is not available.
pub static BONUS_TAX_SEPARATE: Variable = formula("iit.bonus.separate_tax")
    .label("全年一次性奖金单独计税税额", "Tax on the annual bonus taxed separately")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("财税〔2018〕164号 第一条第（一）项；财政部 税务总局公告2023年第30号 第一条")
    .reads(&[&ANNUAL_BONUS])
    .params(&[SEPARATE, MONTHLY_SCALE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let bonus = ev.money(&ANNUAL_BONUS, e, p)?;
        if bonus.is_zero() || !ev.flag_param(SEPARATE, m.first_day())? {
            return Ok(Value::Money(Money::ZERO));
        }
        let scale = ev.scale(MONTHLY_SCALE, m.first_day())?;
        let (_, bracket) = scale.bracket_for_share(bonus, 12);
        Ok(Value::Money((bonus.mul_rate(bracket.rate) - bracket.quick_deduction).max_zero()))
    });

/// The tax the employer withholds on the annual bonus this month, when taxed apart.
pub static BONUS_TAX_WITHHELD: Variable = formula("iit.bonus.tax_withheld")
    .label("全年一次性奖金代扣税额", "Tax withheld on the annual bonus")
    .value(ValueType::Money, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("财政部 税务总局公告2023年第30号 第一条")
    .reads(&[&BONUS_METHOD, &BONUS_TAX_SEPARATE])
    .params(&[SEPARATE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        if bonus_withheld_separately(ev, e, m)? {
            return Ok(Value::Money(ev.money(&BONUS_TAX_SEPARATE, e, p)?));
        }
        Ok(Value::Money(Money::ZERO))
    });

/// Income less expenses for one payment: 800 up to 4,000, 20% above.
fn income_less_expenses(ev: &mut Eval<'_>, amount: Money, m: Month) -> Result<Money, EvalError> {
    let expense = if amount <= ev.amount(FIXED_THRESHOLD, m.first_day())? {
        ev.amount(FIXED_EXPENSE, m.first_day())?
    } else {
        amount.mul_rate(ev.rate(EXPENSE_RATE, m.first_day())?)
    };
    Ok((amount - expense).max_zero())
}

/// 劳务报酬预扣预缴税额: the payer's prepayment on the month's labour
/// remuneration: income less expenses, under rate table 2.
pub static LABOUR_PREPAID: Variable = formula("iit.prepayment.labour")
    .label("劳务报酬所得预扣预缴税额", "Tax prepaid on labour remuneration")
    .value(ValueType::Money, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("国家税务总局公告2018年第61号 第八条")
    .reads(&[&LABOUR_REMUNERATION])
    .params(&[FIXED_THRESHOLD, FIXED_EXPENSE, EXPENSE_RATE, LABOUR_SCALE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let amount = ev.money(&LABOUR_REMUNERATION, e, p)?;
        if amount.is_zero() {
            return Ok(Value::Money(Money::ZERO));
        }
        let taxable = income_less_expenses(ev, amount, m)?;
        Ok(Value::Money(ev.scale(LABOUR_SCALE, m.first_day())?.tax(taxable)))
    });

/// 稿酬预扣预缴税额: income less expenses, counted at 70%, at 20%.
pub static AUTHOR_PREPAID: Variable = formula("iit.prepayment.author")
    .label("稿酬所得预扣预缴税额", "Tax prepaid on author remuneration")
    .value(ValueType::Money, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("国家税务总局公告2018年第61号 第八条")
    .reads(&[&AUTHOR_REMUNERATION])
    .params(&[FIXED_THRESHOLD, FIXED_EXPENSE, EXPENSE_RATE, AUTHOR_RATIO, FLAT_RATE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let amount = ev.money(&AUTHOR_REMUNERATION, e, p)?;
        if amount.is_zero() {
            return Ok(Value::Money(Money::ZERO));
        }
        let taxable = income_less_expenses(ev, amount, m)?.mul_rate(ev.rate(AUTHOR_RATIO, m.first_day())?);
        Ok(Value::Money(taxable.mul_rate(ev.rate(FLAT_RATE, m.first_day())?)))
    });

/// 特许权使用费预扣预缴税额: income less expenses, at 20%.
pub static ROYALTY_PREPAID: Variable = formula("iit.prepayment.royalties")
    .label("特许权使用费所得预扣预缴税额", "Tax prepaid on royalties")
    .value(ValueType::Money, PeriodKind::Month)
    .knowledge(Knowledge::AsOfPeriodEnd)
    .reference("国家税务总局公告2018年第61号 第八条")
    .reads(&[&ROYALTIES])
    .params(&[FIXED_THRESHOLD, FIXED_EXPENSE, EXPENSE_RATE, FLAT_RATE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let amount = ev.money(&ROYALTIES, e, p)?;
        if amount.is_zero() {
            return Ok(Value::Money(Money::ZERO));
        }
        let taxable = income_less_expenses(ev, amount, m)?;
        Ok(Value::Money(taxable.mul_rate(ev.rate(FLAT_RATE, m.first_day())?)))
    });

/// Everything withheld or prepaid on comprehensive income this month.
pub static MONTHLY_PREPAID: Variable = formula("iit.prepayment.month_total")
    .label("本月预扣预缴税额合计", "Tax withheld or prepaid this month")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国家税务总局公告2018年第61号 第六条、第八条")
    .adds(&[&WAGE_TAX_WITHHELD, &BONUS_TAX_WITHHELD, &LABOUR_PREPAID, &AUTHOR_PREPAID, &ROYALTY_PREPAID]);

/// 个人养老金领取税额: 3% of the private pension withdrawn, taxed apart from
/// comprehensive income.
pub static PENSION_WITHDRAWAL_TAX: Variable = formula("iit.private_pension.withdrawal_tax")
    .label("个人养老金领取应纳税额", "Tax on private pension withdrawals")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("财政部 税务总局公告2022年第34号 第一条")
    .reads(&[&PENSION_WITHDRAWAL])
    .params(&[WITHDRAWAL_RATE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let amount = ev.money(&PENSION_WITHDRAWAL, e, p)?;
        if amount.is_zero() {
            return Ok(Value::Money(Money::ZERO));
        }
        if ev.param(WITHDRAWAL_RATE, m.first_day())?.is_none() {
            let field = format!("persons.{}.private_pension_withdrawal.{m}", person_id(ev, e));
            return Err(InputError::new(
                field,
                amount.grouped(),
                "private pensions exist from 2022; there is nothing to withdraw before",
            )
            .zh("个人养老金自2022年起实施，此前无可领取")
            .into());
        }
        Ok(Value::Money(amount.mul_rate(ev.rate(WITHDRAWAL_RATE, m.first_day())?)))
    });
