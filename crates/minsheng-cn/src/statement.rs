//! The household statement (家庭收支表): for each person and each household,
//! the year's market income, benefits, taxes, contributions and disposable
//! income, each line a variable that can be explained.
//!
//! Disposable income = market income + benefits − individual income tax −
//! the person's contributions: the IIT special deduction (employee pension,
//! medical and unemployment insurance and the housing fund, as computed for
//! the locality or as given) and the residents' medical contribution.

use minsheng_core::money::Money;
use minsheng_core::{
    Entity, EntityKind, Eval, EvalError, Knowledge, Month, Period, PeriodKind, Source, Value, ValueType, Variable,
};
use rust_decimal::Decimal;

use crate::assistance;
use crate::childcare;
use crate::define::computed;
use crate::iit::annual::{BONUS, TOTAL as IIT_TOTAL, WAGES};
use crate::iit::inputs::{AUTHOR_REMUNERATION, LABOUR_REMUNERATION, ROYALTIES, SPECIAL_DEDUCTION as DECLARED_SPECIAL};
use crate::iit::withholding::EMPLOYEE_DEDUCTIBLE;
use crate::medical::RESIDENT_PAID;
use crate::pension::employee::ANNUAL as PENSIONS;
use crate::unemployment::ANNUAL as UNEMPLOYMENT;
use crate::util::{money, year_of};

fn year_sum(
    ev: &mut Eval<'_>,
    e: Entity,
    p: Period,
    name: &'static str,
    vars: &[&'static Variable],
) -> Result<Money, EvalError> {
    let y = year_of(name, p)?;
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
pub static MARKET_INCOME: Variable = computed(
    "income.market",
    "劳动报酬等市场收入（税前）",
    "Market income (gross)",
    ValueType::Money,
    PeriodKind::Year,
    Knowledge::Inherit,
    "个人所得税法 第二条",
    &[&WAGES, &BONUS, &LABOUR_REMUNERATION, &AUTHOR_REMUNERATION, &ROYALTIES],
    &[],
    |ev, e, p| {
        money(year_sum(
            ev,
            e,
            p,
            MARKET_INCOME.name,
            &[&WAGES, &BONUS, &LABOUR_REMUNERATION, &AUTHOR_REMUNERATION, &ROYALTIES],
        )?)
    },
);

/// 转移性收入: pensions, the unemployment benefit, the childcare subsidy and
/// support for the destitute received by the person.
pub static BENEFITS: Variable = computed(
    "income.benefits",
    "养老金、失业保险金、育儿补贴等转移收入",
    "Pensions and benefits",
    ValueType::Money,
    PeriodKind::Year,
    Knowledge::Inherit,
    "社会保险法；育儿补贴制度实施方案；社会救助暂行办法",
    &[&PENSIONS, &UNEMPLOYMENT, &childcare::ANNUAL_SUBSIDY, &assistance::DESTITUTE_ANNUAL],
    &[],
    |ev, e, p| {
        money(year_sum(
            ev,
            e,
            p,
            BENEFITS.name,
            &[&PENSIONS, &UNEMPLOYMENT, &childcare::ANNUAL_SUBSIDY, &assistance::DESTITUTE_ANNUAL],
        )?)
    },
);

/// 个人缴纳社会保障支出: the employee's social insurance and housing fund (as
/// given, or as the IIT special deduction counts them; unknown where they
/// cannot be computed, never the special deduction's assumed 0) and the
/// residents' medical contribution the person pays.
pub static CONTRIBUTIONS: Variable = computed(
    "income.contributions",
    "个人缴纳的社会保险费和住房公积金",
    "Social insurance and housing fund paid by the person",
    ValueType::Money,
    PeriodKind::Year,
    Knowledge::Inherit,
    "社会保险法；住房公积金管理条例",
    &[&DECLARED_SPECIAL, &EMPLOYEE_DEDUCTIBLE, &RESIDENT_PAID],
    &[],
    |ev, e, p| {
        let year = year_of(CONTRIBUTIONS.name, p)?;
        let mut total = ev.money(&RESIDENT_PAID, e, p)?;
        for m in Month::of_year(year) {
            total += match ev.get(&DECLARED_SPECIAL, e, Period::Month(m))? {
                Value::Money(given) => given,
                _ => ev.money(&EMPLOYEE_DEDUCTIBLE, e, Period::Month(m))?,
            };
        }
        money(total)
    },
);

/// 可支配收入: market income plus benefits, less tax and contributions.
pub static DISPOSABLE: Variable = computed(
    "income.disposable",
    "个人可支配收入",
    "Disposable income",
    ValueType::Money,
    PeriodKind::Year,
    Knowledge::Inherit,
    "国家统计局 居民可支配收入口径",
    &[&MARKET_INCOME, &BENEFITS, &IIT_TOTAL, &CONTRIBUTIONS],
    &[],
    |ev, e, p| {
        let (market, benefits) = (ev.money(&MARKET_INCOME, e, p)?, ev.money(&BENEFITS, e, p)?);
        money(disposable(market, benefits, ev.money(&IIT_TOTAL, e, p)?, ev.money(&CONTRIBUTIONS, e, p)?))
    },
);

/// 可支配收入: market income and benefits less income tax and the person's
/// contributions (国家统计局 居民可支配收入口径).
pub(crate) fn disposable(market: Money, benefits: Money, income_tax: Money, contributions: Money) -> Money {
    market + benefits - income_tax - contributions
}

/// 低保核算收入: disposable income less what the means test leaves out (the childcare subsidy).
pub static COUNTED_FOR_DIBAO: Variable = computed(
    "income.counted_for_dibao",
    "低保家庭收入核算中计入的收入",
    "Income counted in the dibao means test",
    ValueType::Money,
    PeriodKind::Year,
    Knowledge::Inherit,
    "社会救助暂行办法 第九条；育儿补贴制度实施方案",
    &[&DISPOSABLE, &childcare::ANNUAL_SUBSIDY],
    &[],
    |ev, e, p| money(ev.money(&DISPOSABLE, e, p)? - ev.money(&childcare::ANNUAL_SUBSIDY, e, p)?),
);

/// Sums a person variable over a household's members.
pub(crate) fn members_sum(ev: &mut Eval<'_>, e: Entity, p: Period, var: &'static Variable) -> Result<Money, EvalError> {
    let Entity::Household(h) = e else { return Ok(Money::ZERO) };
    let members = ev.situation().households.get(h).map(|h| h.members.clone()).unwrap_or_default();
    let mut total = Money::ZERO;
    for m in members {
        total += ev.money(var, Entity::Person(m), p)?;
    }
    Ok(total)
}

const fn household(
    name: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    reads: &'static [&'static Variable],
    compute: minsheng_core::variable::Compute,
) -> Variable {
    Variable {
        name,
        label_zh,
        label_en,
        value_type: ValueType::Money,
        entity: EntityKind::Household,
        period: PeriodKind::Year,
        reference: "国家统计局 居民可支配收入口径",
        knowledge: Knowledge::Inherit,
        source: Source::Formula { reads, params: &[], compute },
    }
}

/// The household's market income.
pub static HOUSEHOLD_MARKET: Variable = household(
    "household.market_income",
    "家庭市场收入",
    "Household market income",
    &[&MARKET_INCOME],
    |ev, e, p| money(members_sum(ev, e, p, &MARKET_INCOME)?),
);

/// The household's benefits: the members' and the household's 低保.
pub static HOUSEHOLD_BENEFITS: Variable = household(
    "household.benefits",
    "家庭转移收入（含低保）",
    "Household benefits (with dibao)",
    &[&BENEFITS, &assistance::DIBAO_ANNUAL],
    |ev, e, p| money(members_sum(ev, e, p, &BENEFITS)? + ev.money(&assistance::DIBAO_ANNUAL, e, p)?),
);

/// The household's contributions.
pub static HOUSEHOLD_CONTRIBUTIONS: Variable = household(
    "household.contributions",
    "家庭成员缴纳的社会保险费",
    "Household social insurance contributions",
    &[&CONTRIBUTIONS],
    |ev, e, p| money(members_sum(ev, e, p, &CONTRIBUTIONS)?),
);

/// The household's disposable income: the members' market income, the
/// household's other income (business, property, private transfers: an input,
/// as in the 低保 means test) and benefits, less income tax and contributions.
/// NBS counts all four sources (工资性、经营净、财产净、转移净收入).
pub static HOUSEHOLD_DISPOSABLE: Variable = household(
    "household.disposable_income",
    "家庭可支配收入",
    "Household disposable income",
    &[
        &HOUSEHOLD_MARKET,
        &assistance::OTHER_INCOME,
        &HOUSEHOLD_BENEFITS,
        &crate::household::IIT,
        &HOUSEHOLD_CONTRIBUTIONS,
    ],
    |ev, e, p| {
        let income = ev.money(&HOUSEHOLD_MARKET, e, p)?
            + ev.money(&assistance::OTHER_INCOME, e, p)?
            + ev.money(&HOUSEHOLD_BENEFITS, e, p)?;
        money(income - ev.money(&crate::household::IIT, e, p)? - ev.money(&HOUSEHOLD_CONTRIBUTIONS, e, p)?)
    },
);

/// The household's disposable income per member.
pub static HOUSEHOLD_PER_PERSON: Variable = household(
    "household.disposable_income_per_person",
    "家庭人均可支配收入",
    "Household disposable income per person",
    &[&HOUSEHOLD_DISPOSABLE],
    |ev, e, p| {
        let Entity::Household(h) = e else { return money(Money::ZERO) };
        let size = ev.situation().households.get(h).map_or(1, |h| h.members.len().max(1));
        let total = ev.money(&HOUSEHOLD_DISPOSABLE, e, p)?;
        money(Money::round_from_decimal(total.to_decimal() / Decimal::from(size)).unwrap_or(total))
    },
);

/// The person-level lines of the statement.
pub static PERSON_VARIABLES: &[&Variable] =
    &[&MARKET_INCOME, &BENEFITS, &CONTRIBUTIONS, &DISPOSABLE, &COUNTED_FOR_DIBAO];

/// The household-level lines of the statement.
pub static HOUSEHOLD_VARIABLES: &[&Variable] =
    &[&HOUSEHOLD_MARKET, &HOUSEHOLD_BENEFITS, &HOUSEHOLD_CONTRIBUTIONS, &HOUSEHOLD_DISPOSABLE, &HOUSEHOLD_PER_PERSON];
