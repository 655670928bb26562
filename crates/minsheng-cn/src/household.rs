//! Household totals (家庭户合计): the household statement (家庭收支表) of the
//! members' lines, the household's other income and 低保, and the members' tax.

use minsheng_core::money::Money;
use minsheng_core::{Entity, Variable};
use rust_decimal::Decimal;

use crate::assistance;
use crate::define::household_formula;
use crate::iit::annual::TOTAL;
use crate::statement::{BENEFITS, CONTRIBUTIONS, MARKET_INCOME};
use crate::util::money;

/// The individual income tax of all members for the year.
pub static IIT: Variable = household_formula("household.iit")
    .label("家庭成员个人所得税合计", "Individual income tax of the household")
    .reference("个人所得税法")
    .adds_members(&[&TOTAL]);

/// Where the household statement's definitions come from.
const NBS: &str = "国家统计局 居民可支配收入口径";

/// The household's market income.
pub static HOUSEHOLD_MARKET: Variable = household_formula("household.market_income")
    .label("家庭市场收入", "Household market income")
    .reference(NBS)
    .adds_members(&[&MARKET_INCOME]);

/// The household's benefits: the members' and the household's 低保.
pub static HOUSEHOLD_BENEFITS: Variable = household_formula("household.benefits")
    .label("家庭转移收入（含低保）", "Household benefits (with dibao)")
    .reference(NBS)
    .reads(&[&BENEFITS, &assistance::DIBAO_ANNUAL])
    .compute(|ev, e, p| money(ev.members_sum(&BENEFITS, e, p)? + ev.money(&assistance::DIBAO_ANNUAL, e, p)?));

/// The household's contributions.
pub static HOUSEHOLD_CONTRIBUTIONS: Variable = household_formula("household.contributions")
    .label("家庭成员缴纳的社会保险费", "Household social insurance contributions")
    .reference(NBS)
    .adds_members(&[&CONTRIBUTIONS]);

/// The household's disposable income: the members' market income, the
/// household's other income (business, property, private transfers: an input,
/// as in the 低保 means test) and benefits, less income tax and contributions.
/// NBS counts all four sources (工资性、经营净、财产净、转移净收入).
pub static HOUSEHOLD_DISPOSABLE: Variable = household_formula("household.disposable_income")
    .label("家庭可支配收入", "Household disposable income")
    .reference(NBS)
    .reads(&[&HOUSEHOLD_MARKET, &assistance::OTHER_INCOME, &HOUSEHOLD_BENEFITS, &IIT, &HOUSEHOLD_CONTRIBUTIONS])
    .compute(|ev, e, p| {
        let income = ev.money(&HOUSEHOLD_MARKET, e, p)?
            + ev.money(&assistance::OTHER_INCOME, e, p)?
            + ev.money(&HOUSEHOLD_BENEFITS, e, p)?;
        money(income - ev.money(&IIT, e, p)? - ev.money(&HOUSEHOLD_CONTRIBUTIONS, e, p)?)
    });

/// The household's disposable income per member.
pub static HOUSEHOLD_PER_PERSON: Variable = household_formula("household.disposable_income_per_person")
    .label("家庭人均可支配收入", "Household disposable income per person")
    .reference(NBS)
    .reads(&[&HOUSEHOLD_DISPOSABLE])
    .compute(|ev, e, p| {
        let Entity::Household(h) = e else { return money(Money::ZERO) };
        let size = ev.situation().households.get(h).map_or(1, |h| h.members.len().max(1));
        let total = ev.money(&HOUSEHOLD_DISPOSABLE, e, p)?;
        money(Money::round_from_decimal(total.to_decimal() / Decimal::from(size)).unwrap_or(total))
    });

/// Every household variable: the household statement's lines and the tax of its members.
pub static VARIABLES: &[&Variable] = &[
    &HOUSEHOLD_MARKET,
    &HOUSEHOLD_BENEFITS,
    &HOUSEHOLD_CONTRIBUTIONS,
    &HOUSEHOLD_DISPOSABLE,
    &HOUSEHOLD_PER_PERSON,
    &IIT,
];
