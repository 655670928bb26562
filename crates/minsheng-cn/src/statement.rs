//! The household statement (家庭收支表): for each person and each household,
//! the year's market income, benefits, taxes, contributions and disposable
//! income, each line a variable that can be explained.
//!
//! Disposable income = market income + benefits − individual income tax −
//! the person's contributions: the IIT special deduction (employee pension,
//! medical and unemployment insurance and the housing fund, as computed for
//! the locality or as given) and the residents' medical contribution.

use minsheng_core::money::Money;
use minsheng_core::{Entity, Eval, EvalError, Month, Period, PeriodKind, Value, ValueType, Variable};

use crate::childcare;
use crate::define::formula;
use crate::destitute;
use crate::iit::annual::{BONUS, TOTAL as IIT_TOTAL, WAGES};
use crate::iit::inputs::ANNUAL_BONUS;
use crate::iit::inputs::{AUTHOR_REMUNERATION, LABOUR_REMUNERATION, ROYALTIES};
use crate::iit::payments::BONUS_TAX_WITHHELD;
use crate::iit::withholding::{EMPLOYEE_DEDUCTIBLE, WAGE_TAX_WITHHELD};
use crate::medical::RESIDENT_PAID;
use crate::pension::employee::ANNUAL as PENSIONS;
use crate::person::WAGE;
use crate::social_insurance::contributions::{EMPLOYEE_TOTAL, EMPLOYER_TOTAL};
use crate::social_insurance::inputs::DECLARED_CONTRIBUTIONS;
use crate::unemployment::ANNUAL as UNEMPLOYMENT;
use crate::util::{money, sum_of};

/// The year's total of `vars`: monthly figures summed over the year's months, yearly ones as they are.
fn year_sum(ev: &mut Eval<'_>, e: Entity, p: Period, vars: &[&'static Variable]) -> Result<Money, EvalError> {
    let y = ev.this_year(p)?;
    let mut total = Money::ZERO;
    for var in vars {
        total += match var.period {
            PeriodKind::Month => ev.sum_months(var, e, Month::of_year(y))?,
            _ => ev.money(var, e, p)?,
        };
    }
    Ok(total)
}

/// 市场收入: wages, the annual bonus, labour and author remuneration and royalties (gross).
pub static MARKET_INCOME: Variable = formula("income.market")
    .label("劳动报酬等市场收入（税前）", "Market income (gross)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法 第二条")
    .reads(&[&WAGES, &BONUS, &LABOUR_REMUNERATION, &AUTHOR_REMUNERATION, &ROYALTIES])
    .compute(|ev, e, p| {
        money(year_sum(ev, e, p, &[&WAGES, &BONUS, &LABOUR_REMUNERATION, &AUTHOR_REMUNERATION, &ROYALTIES])?)
    });

/// 转移性收入: pensions, the unemployment benefit, the childcare subsidy and
/// support for the destitute received by the person.
pub static BENEFITS: Variable = formula("income.benefits")
    .label("养老金、失业保险金、育儿补贴等转移收入", "Pensions and benefits")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会保险法；育儿补贴制度实施方案；社会救助暂行办法")
    .reads(&[&PENSIONS, &UNEMPLOYMENT, &childcare::ANNUAL_SUBSIDY, &destitute::DESTITUTE_ANNUAL])
    .compute(|ev, e, p| {
        money(year_sum(
            ev,
            e,
            p,
            &[&PENSIONS, &UNEMPLOYMENT, &childcare::ANNUAL_SUBSIDY, &destitute::DESTITUTE_ANNUAL],
        )?)
    });

/// 个人缴纳社会保障支出: the employee's social insurance and housing fund (as
/// given, or as the IIT special deduction counts them; unknown where they
/// cannot be computed, never the special deduction's assumed 0) and the
/// residents' medical contribution the person pays.
pub static CONTRIBUTIONS: Variable = formula("income.contributions")
    .label("个人缴纳的社会保险费和住房公积金", "Social insurance and housing fund paid by the person")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会保险法；住房公积金管理条例")
    .reads(&[&DECLARED_CONTRIBUTIONS, &EMPLOYEE_DEDUCTIBLE, &RESIDENT_PAID])
    .compute(|ev, e, p| {
        let year = ev.this_year(p)?;
        let mut total = ev.money(&RESIDENT_PAID, e, p)?;
        for m in Month::of_year(year) {
            total += match ev.get(&DECLARED_CONTRIBUTIONS, e, Period::Month(m))? {
                Value::Money(given) => given,
                _ => ev.money(&EMPLOYEE_DEDUCTIBLE, e, Period::Month(m))?,
            };
        }
        money(total)
    });

/// 可支配收入: market income plus benefits, less tax and contributions.
pub static DISPOSABLE: Variable = formula("income.disposable")
    .label("个人可支配收入", "Disposable income")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国家统计局 居民可支配收入口径")
    .reads(&[&MARKET_INCOME, &BENEFITS, &IIT_TOTAL, &CONTRIBUTIONS])
    .compute(|ev, e, p| {
        let (market, benefits) = (ev.money(&MARKET_INCOME, e, p)?, ev.money(&BENEFITS, e, p)?);
        money(disposable(market, benefits, ev.money(&IIT_TOTAL, e, p)?, ev.money(&CONTRIBUTIONS, e, p)?))
    });

/// 可支配收入: market income and benefits less income tax and the person's
/// contributions (国家统计局 居民可支配收入口径).
#[inline]
pub(crate) fn disposable(market: Money, benefits: Money, income_tax: Money, contributions: Money) -> Money {
    market + benefits - income_tax - contributions
}

/// 用工成本: wages (and the bonus) plus the employer's contributions.
pub static EMPLOYER_COST: Variable = formula("social_insurance.employer_cost")
    .label("单位用工成本", "Employer cost of employment")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("社会保险法")
    .adds(&[&WAGE, &ANNUAL_BONUS, &EMPLOYER_TOTAL]);

/// 到手收入: wages and bonus less the employee's contributions and the tax withheld on them.
pub static TAKE_HOME: Variable = formula("social_insurance.take_home")
    .label("税后到手工资", "Take-home pay")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("个人所得税法；社会保险法")
    .reads(&[&WAGE, &ANNUAL_BONUS, &EMPLOYEE_TOTAL, &DECLARED_CONTRIBUTIONS, &WAGE_TAX_WITHHELD, &BONUS_TAX_WITHHELD])
    .compute(|ev, e, p| {
        let gross = sum_of(ev, e, p, &[&WAGE, &ANNUAL_BONUS])?;
        // The employee's contributions as computed, or, where they cannot be
        // (no locality), as the situation gives them (三险一金 deducted from pay).
        let contributions = match ev.money(&EMPLOYEE_TOTAL, e, p) {
            Err(EvalError::Unknown(u)) => match ev.get(&DECLARED_CONTRIBUTIONS, e, p)? {
                Value::Money(given) => given,
                _ => return Err(EvalError::Unknown(u)),
            },
            other => other?,
        };
        money(gross - contributions - sum_of(ev, e, p, &[&WAGE_TAX_WITHHELD, &BONUS_TAX_WITHHELD])?)
    });

/// 全年用工成本: the employer's cost of employment over the year.
pub static EMPLOYER_COST_ANNUAL: Variable = formula("social_insurance.employer_cost_annual")
    .label("全年单位用工成本", "Employer cost of employment for the year")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会保险法")
    .reads(&[&EMPLOYER_COST])
    .compute(|ev, e, p| money(year_sum(ev, e, p, &[&EMPLOYER_COST])?));

/// 全年到手收入: take-home pay over the year (before the annual settlement).
pub static TAKE_HOME_ANNUAL: Variable = formula("social_insurance.take_home_annual")
    .label("全年税后到手工资（汇算前）", "Take-home pay for the year (before the settlement)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("个人所得税法；社会保险法")
    .reads(&[&TAKE_HOME])
    .compute(|ev, e, p| money(year_sum(ev, e, p, &[&TAKE_HOME])?));

/// The person-level lines of the statement.
pub static PERSON_VARIABLES: &[&Variable] = &[
    &MARKET_INCOME,
    &BENEFITS,
    &CONTRIBUTIONS,
    &DISPOSABLE,
    &EMPLOYER_COST,
    &TAKE_HOME,
    &EMPLOYER_COST_ANNUAL,
    &TAKE_HOME_ANNUAL,
];
