//! Contributions month by month: the base within 60%–300% of the local average
//! wage, each scheme's rates, the housing fund, the employer's cost and take-home pay.
//! Each contribution is the base times the rate, rounded to the fen.

use std::sync::Arc;

use minsheng_core::money::Money;
use minsheng_core::{
    Entity, Eval, EvalError, InputError, Label, Month, Period, PeriodKind, Rate, Unknown, Value, ValueType, Variable,
    local,
};
use rust_decimal::Decimal;

use super::inputs::DECLARED_CONTRIBUTIONS;
use super::inputs::{
    DECLARED_BASE, FLEXIBLE, FLEXIBLE_BASE, FLEXIBLE_BASE_SHARE, HOUSING_FUND_RATE, INSURED as INSURED_INPUT, LOCALITY,
    WORK_INJURY_CLASS, WORK_INJURY_FLOAT,
};
use crate::define::formula;
use crate::person::WAGE;
use crate::util::{money, person_id};

pub(crate) const AVERAGE_WAGE_ANNUAL: &str = "local.*.average_wage_annual";
pub(crate) const LOCAL_FLOOR: &str = "local.*.base_floor_monthly";
pub(crate) const LOCAL_CEILING: &str = "local.*.base_ceiling_monthly";
pub(crate) const MEDICAL_EMPLOYER_RATE: &str = "local.*.medical_employer_rate";
pub(crate) const MEDICAL_EMPLOYEE_FIXED: &str = "local.*.medical_employee_fixed_monthly";
pub(crate) const UNEMPLOYMENT_EMPLOYEE_RATE: &str = "local.*.unemployment_employee_rate";
pub(crate) const UNEMPLOYMENT_EMPLOYER_RATE: &str = "local.*.unemployment_employer_rate";
pub(crate) const FLOOR: &str = "social_insurance.contributions.base_floor_ratio";
pub(crate) const CEILING: &str = "social_insurance.contributions.base_ceiling_ratio";
pub(crate) const PENSION_EMPLOYEE_RATE: &str = "social_insurance.contributions.pension_employee_rate";
pub(crate) const PENSION_EMPLOYER_RATE: &str = "social_insurance.contributions.pension_employer_rate";
pub(crate) const FLEXIBLE_RATE: &str = "social_insurance.contributions.flexible_pension_rate";
pub(crate) const MEDICAL_EMPLOYEE_RATE: &str = "social_insurance.contributions.medical_employee_rate";
const INJURY_RATES: &str = "social_insurance.contributions.work_injury_base_rates";
const INJURY_FLOATS_1: &str = "social_insurance.contributions.work_injury_floats_class_1";
const INJURY_FLOATS: &str = "social_insurance.contributions.work_injury_floats_other_classes";
const HF_MIN: &str = "social_insurance.housing_fund.minimum_rate";
const HF_MAX: &str = "social_insurance.housing_fund.maximum_rate";
const HF_CEILING: &str = "social_insurance.housing_fund.base_ceiling_multiple";

fn locality(ev: &mut Eval<'_>, e: Entity) -> Result<Option<Arc<str>>, EvalError> {
    ev.text(&LOCALITY, e, Period::Eternity)
}

/// An input error on this person's `field`, with its rule in English and Chinese.
fn input_error(
    ev: &Eval<'_>,
    e: Entity,
    field: &str,
    value: impl std::fmt::Display,
    rule: String,
    rule_zh: String,
) -> EvalError {
    InputError::new(format!("persons.{}.{field}", person_id(ev, e)), value, rule).zh(rule_zh).into()
}

/// 参保: insured this month: an employee with wages (the employer must insure
/// them, 社会保险法 第五十八条) unless the situation says they are not
/// (`insured: false`), or a flexible worker contributing on their own.
pub static INSURED: Variable = formula("social_insurance.insured")
    .label("本月参加职工社会保险", "Insured as an employee or flexible worker this month")
    .value(ValueType::Bool, PeriodKind::Month)
    .reference("社会保险法 第十条、第二十三条、第五十八条")
    .reads(&[&INSURED_INPUT, &WAGE, &FLEXIBLE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let year = Period::Year(m.year());
        if ev.get(&INSURED_INPUT, e, year)? == Value::Bool(false) {
            return Ok(Value::Bool(false));
        }
        let working = !ev.money(&WAGE, e, p)?.is_zero();
        Ok(Value::Bool(working || ev.flag(&FLEXIBLE, e, year)?))
    });

/// An insured person with no locality: the contributions need the
/// locality's bounds and rates, so they are unknown (the income tax still
/// computes, from the `special_deduction` given or, saying so, without it).
fn no_locality(ev: &mut Eval<'_>, e: Entity, p: Period) -> Result<EvalError, EvalError> {
    let field = format!("persons.{}.locality", person_id(ev, e));
    let unknown = if ev.get(&DECLARED_CONTRIBUTIONS, e, p)? == Value::Absent {
        Unknown::input(
            field,
            vec!["locality".into(), "special_deduction".into()],
            Label {
                zh: "未给出参保地（locality）：五险一金无法计算".into(),
                en: "no `locality` is given, so the contributions (五险一金) cannot be computed".into(),
            },
        )
    } else {
        Unknown::input(
            field,
            vec!["locality".into()],
            Label {
                zh: "未给出参保地（locality）：单位缴费和各险种无法计算（个税按给出的专项扣除计算）".into(),
                en: "no `locality` is given: the employer's and each scheme's contributions cannot be computed (the tax uses the special_deduction given)".into(),
            },
        )
    };
    Ok(EvalError::Unknown(Arc::new(unknown)))
}

/// 当地平均工资（月）: the locality's average wage for contribution bases, a twelfth of the annual figure.
pub static AVERAGE_WAGE: Variable = formula("social_insurance.average_wage")
    .label("缴费基数计算用当地月平均工资", "Local average monthly wage for contribution bases")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国办发〔2019〕13号 四")
    .reads(&[&LOCALITY])
    .params(&[AVERAGE_WAGE_ANNUAL])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let Some(loc) = locality(ev, e)? else { return money(Money::ZERO) };
        let Some(annual) = ev.amount_if_in_force(local(AVERAGE_WAGE_ANNUAL, &loc), m.first_day())? else {
            return Err(EvalError::Unknown(Arc::new(Unknown::input(
                format!("persons.{}.locality", person_id(ev, e)),
                vec!["special_deduction".into()],
                Label {
                    zh: format!("参保地 {loc} 的文件未给出 {m} 的平均工资"),
                    en: format!("the locality file `{loc}` gives no average wage for {m}"),
                },
            ))));
        };
        money(monthly_average_wage(annual))
    });

/// The locality's monthly average wage for contribution bases: a twelfth of
/// the annual figure, rounded half away from zero to the fen (国办发〔2019〕13号
/// 四: bases from the average wage of urban employees). The formulas and the
/// year kernel both compute it here.
#[inline]
pub(crate) fn monthly_average_wage(annual: Money) -> Money {
    annual.div_round(12).unwrap_or(annual)
}

/// 缴费基数 of an employee: the declared wage within the floor and the ceiling
/// (国办发〔2019〕13号 四).
#[inline]
pub(crate) fn base_within(declared: Money, floor: Money, ceiling: Money) -> Money {
    declared.max(floor).min(ceiling)
}

/// A flexible worker's base on a tier (`share`) of the average wage, rounded
/// half away from zero to the fen; `None` beyond any amount money can hold.
/// A tier that is an exact rate (every one a worker picks) is applied in
/// integers, the same rounding as the exact decimal product.
#[inline]
pub(crate) fn tier_base(average: Money, share: Decimal) -> Option<Money> {
    const MAX_FEN: u64 = minsheng_core::money::MAX_INPUT_YUAN as u64 * 100;
    match Rate::from_decimal(share) {
        Ok(tier) => Some(average.mul_rate(tier)).filter(|m| m.fen().unsigned_abs() <= MAX_FEN),
        Err(_) => Money::round_from_decimal(average.to_decimal() * share).ok(),
    }
}

/// The bounds of the contribution base in month `m` in locality `loc`: the
/// floor and ceiling it publishes, or else 60% and 300% of its average wage
/// (国办发〔2019〕13号 四). The caller declares `LOCAL_FLOOR`, `LOCAL_CEILING`,
/// `FLOOR`, `CEILING` and reads `AVERAGE_WAGE`.
pub(crate) fn bounds(ev: &mut Eval<'_>, e: Entity, loc: &str, m: Month) -> Result<(Money, Money), EvalError> {
    let day = m.first_day();
    let floor = match ev.amount_if_in_force(local(LOCAL_FLOOR, loc), day)? {
        Some(floor) => floor,
        None => ev.money(&AVERAGE_WAGE, e, Period::Month(m))?.mul_rate(ev.rate(FLOOR, day)?),
    };
    let ceiling = match ev.amount_if_in_force(local(LOCAL_CEILING, loc), day)? {
        Some(ceiling) => ceiling,
        None => ev.money(&AVERAGE_WAGE, e, Period::Month(m))?.mul_rate(ev.rate(CEILING, day)?),
    };
    Ok((floor, ceiling))
}

/// 缴费基数: the declared wage (or the month's wage) within the bounds: the
/// floor and ceiling the locality publishes, or else 60% and 300% of its
/// average wage; a flexible worker's chosen base, which must lie within them.
pub static BASE: Variable = formula("social_insurance.base")
    .label("社会保险缴费基数", "Social insurance contribution base")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国办发〔2019〕13号 四")
    .reads(&[
        &INSURED,
        &LOCALITY,
        &AVERAGE_WAGE,
        &FLEXIBLE,
        &FLEXIBLE_BASE,
        &FLEXIBLE_BASE_SHARE,
        &DECLARED_BASE,
        &WAGE,
        &DECLARED_CONTRIBUTIONS,
    ])
    .params(&[FLOOR, CEILING, LOCAL_FLOOR, LOCAL_CEILING])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        if !ev.flag(&INSURED, e, p)? {
            return money(Money::ZERO);
        }
        let Some(loc) = locality(ev, e)? else { return Err(no_locality(ev, e, p)?) };
        let (floor, ceiling) = bounds(ev, e, &loc, m)?;
        let year = Period::Year(m.year());
        if ev.flag(&FLEXIBLE, e, year)? {
            let (chosen, field) = match (ev.get(&FLEXIBLE_BASE, e, year)?, ev.number(&FLEXIBLE_BASE_SHARE, e, year)?) {
                (Value::Money(_), Some(_)) => {
                    return Err(input_error(
                        ev,
                        e,
                        &format!("flexible_base_share.{}", m.year()),
                        "(given with flexible_base)",
                        "a flexible worker gives either a base or a share of the average wage, not both".into(),
                        "灵活就业人员给出缴费基数或平均工资档次之一，不能两者都给".into(),
                    ));
                }
                (Value::Money(amount), None) => (amount, "flexible_base"),
                (_, Some(share)) => {
                    let average = ev.money(&AVERAGE_WAGE, e, p)?;
                    let base = tier_base(average, share).unwrap_or(ceiling);
                    (base, "flexible_base_share")
                }
                (_, None) => {
                    return Err(input_error(
                        ev,
                        e,
                        &format!("flexible_base.{}", m.year()),
                        "(missing)",
                        "a flexible worker chooses a base (flexible_base) or a share of the average wage \
                         (flexible_base_share)"
                            .into(),
                        "灵活就业人员须选择缴费基数（flexible_base）或平均工资档次（flexible_base_share）".into(),
                    ));
                }
            };
            if chosen < floor || chosen > ceiling {
                let rule = format!(
                    "in {m} the base lies between {} and {} (the bounds of the locality)",
                    floor.grouped(),
                    ceiling.grouped()
                );
                let zh = format!("{m} 的缴费基数应在 {} 至 {} 之间（当地上下限）", floor.grouped(), ceiling.grouped());
                return Err(input_error(ev, e, &format!("{field}.{}", m.year()), chosen.grouped(), rule, zh));
            }
            return money(chosen);
        }
        let declared = match ev.get(&DECLARED_BASE, e, p)? {
            Value::Money(d) => d,
            _ => ev.money(&WAGE, e, p)?,
        };
        money(base_within(declared, floor, ceiling))
    });

fn flexible(ev: &mut Eval<'_>, e: Entity, m: Month) -> Result<bool, EvalError> {
    ev.flag(&FLEXIBLE, e, Period::Year(m.year()))
}

/// The base times a national rate, for employees (not flexible workers) only when `employees_only`.
fn at_rate(
    ev: &mut Eval<'_>,
    e: Entity,
    p: Period,
    rate_path: &'static str,
    employees_only: bool,
) -> Result<Value, EvalError> {
    let m = ev.this_month(p)?;
    if !ev.flag(&INSURED, e, p)? || (employees_only && flexible(ev, e, m)?) {
        return money(Money::ZERO);
    }
    let base = ev.money(&BASE, e, p)?;
    money(base.mul_rate(ev.rate(rate_path, m.first_day())?))
}

/// The base times a local rate, for employees only; the locality must set it.
fn at_local_rate(ev: &mut Eval<'_>, e: Entity, p: Period, pattern: &'static str) -> Result<Value, EvalError> {
    let m = ev.this_month(p)?;
    if !ev.flag(&INSURED, e, p)? || flexible(ev, e, m)? {
        return money(Money::ZERO);
    }
    let Some(loc) = locality(ev, e)? else { return Err(no_locality(ev, e, p)?) };
    let rate = match ev.param(local(pattern, &loc), m.first_day())? {
        Some(minsheng_core::params::ParamValue::Rate(r)) => r,
        _ => {
            let key = pattern.rsplit('.').next().unwrap_or(pattern);
            let rule = format!("the locality file sets no `{key}` for {m}");
            return Err(input_error(ev, e, "locality", &loc, rule, format!("参保地文件未给出 {m} 的 `{key}`")));
        }
    };
    money(ev.money(&BASE, e, p)?.mul_rate(rate))
}

/// 养老保险个人缴费: 8% of the base (a flexible worker pays 20% alone).
pub static PENSION_EMPLOYEE: Variable = formula("social_insurance.pension_employee")
    .label("基本养老保险（个人）", "Pension contribution (employee)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔2005〕38号 第三条；国办发〔2019〕13号")
    .reads(&[&INSURED, &FLEXIBLE, &BASE])
    .params(&[PENSION_EMPLOYEE_RATE, FLEXIBLE_RATE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let path = if ev.flag(&INSURED, e, p)? && flexible(ev, e, m)? { FLEXIBLE_RATE } else { PENSION_EMPLOYEE_RATE };
        at_rate(ev, e, p, path, false)
    });

/// 养老保险单位缴费: 16% of the base from May 2019 (20% before in most provinces).
pub static PENSION_EMPLOYER: Variable = formula("social_insurance.pension_employer")
    .label("基本养老保险（单位）", "Pension contribution (employer)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国办发〔2019〕13号 一")
    .reads(&[&INSURED, &FLEXIBLE, &BASE])
    .params(&[PENSION_EMPLOYER_RATE])
    .compute(|ev, e, p| at_rate(ev, e, p, PENSION_EMPLOYER_RATE, true));

/// An employee's medical contribution for the month: the base at the
/// employee's rate, plus the fixed amount a locality adds (Beijing's 3 yuan for
/// its serious-illness mutual fund), where it sets one.
#[inline]
pub(crate) fn medical_employee(base: Money, rate: Rate, fixed: Money) -> Money {
    base.mul_rate(rate) + fixed
}

/// 医疗保险个人缴费: 2% of the base (maternity merged into medical), and the
/// locality's fixed monthly amount where it sets one.
pub static MEDICAL_EMPLOYEE: Variable = formula("social_insurance.medical_employee")
    .label("基本医疗保险（个人）", "Medical contribution (employee)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔1998〕44号 三；当地职工医保缴费规定")
    .reads(&[&INSURED, &FLEXIBLE, &BASE, &LOCALITY])
    .params(&[MEDICAL_EMPLOYEE_RATE, MEDICAL_EMPLOYEE_FIXED])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        if !ev.flag(&INSURED, e, p)? || flexible(ev, e, m)? {
            return money(Money::ZERO);
        }
        let base = ev.money(&BASE, e, p)?;
        let rate = ev.rate(MEDICAL_EMPLOYEE_RATE, m.first_day())?;
        let Some(loc) = locality(ev, e)? else { return Err(no_locality(ev, e, p)?) };
        let fixed = ev.amount_if_in_force(local(MEDICAL_EMPLOYEE_FIXED, &loc), m.first_day())?;
        money(medical_employee(base, rate, fixed.unwrap_or(Money::ZERO)))
    });

/// 医疗保险单位缴费 (含生育): the locality's employer rate.
pub static MEDICAL_EMPLOYER: Variable = formula("social_insurance.medical_employer")
    .label("基本医疗保险（含生育，单位）", "Medical and maternity contribution (employer)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔1998〕44号 三；国办发〔2019〕10号")
    .reads(&[&INSURED, &FLEXIBLE, &LOCALITY, &BASE, &DECLARED_CONTRIBUTIONS])
    .params(&[MEDICAL_EMPLOYER_RATE])
    .compute(|ev, e, p| at_local_rate(ev, e, p, MEDICAL_EMPLOYER_RATE));

/// 失业保险个人缴费: the locality's employee rate.
pub static UNEMPLOYMENT_EMPLOYEE: Variable = formula("social_insurance.unemployment_employee")
    .label("失业保险（个人）", "Unemployment contribution (employee)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国办发〔2019〕13号 二")
    .reads(&[&INSURED, &FLEXIBLE, &LOCALITY, &BASE, &DECLARED_CONTRIBUTIONS])
    .params(&[UNEMPLOYMENT_EMPLOYEE_RATE])
    .compute(|ev, e, p| at_local_rate(ev, e, p, UNEMPLOYMENT_EMPLOYEE_RATE));

/// 失业保险单位缴费: the locality's employer rate.
pub static UNEMPLOYMENT_EMPLOYER: Variable = formula("social_insurance.unemployment_employer")
    .label("失业保险（单位）", "Unemployment contribution (employer)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国办发〔2019〕13号 二")
    .reads(&[&INSURED, &FLEXIBLE, &LOCALITY, &BASE, &DECLARED_CONTRIBUTIONS])
    .params(&[UNEMPLOYMENT_EMPLOYER_RATE])
    .compute(|ev, e, p| at_local_rate(ev, e, p, UNEMPLOYMENT_EMPLOYER_RATE));

/// 工伤保险单位缴费: the base × the class's base rate × the allowed float. Not
/// computed when the class is not given.
pub static WORK_INJURY_EMPLOYER: Variable = formula("social_insurance.work_injury_employer")
    .label("工伤保险（单位）", "Work-injury contribution (employer)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("人社部发〔2015〕71号")
    .reads(&[&INSURED, &FLEXIBLE, &BASE, &WORK_INJURY_CLASS, &WORK_INJURY_FLOAT])
    .params(&[INJURY_RATES, INJURY_FLOATS_1, INJURY_FLOATS])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        if !ev.flag(&INSURED, e, p)? || flexible(ev, e, m)? {
            return money(Money::ZERO);
        }
        let Value::Count(class) = ev.get(&WORK_INJURY_CLASS, e, Period::Eternity)? else { return money(Money::ZERO) };
        let day = m.first_day();
        let Some(base_rate) = ev.rate_row(INJURY_RATES, day, &class.to_string())? else {
            let (en, zh) = ("industry classes run from 1 to 8".into(), "行业类别为一至八类".into());
            return Err(input_error(ev, e, "work_injury_class", class, en, zh));
        };
        let float = ev.number(&WORK_INJURY_FLOAT, e, Period::Eternity)?.unwrap_or(Decimal::ONE);
        let floats = if class == 1 { INJURY_FLOATS_1 } else { INJURY_FLOATS };
        let Some(float) = ev.rate_row(floats, day, &float.normalize().to_string())? else {
            let allowed = if class == 1 { "1, 1.2 or 1.5" } else { "0.5, 0.8, 1, 1.2 or 1.5" };
            return Err(input_error(
                ev,
                e,
                "work_injury_float",
                float,
                format!("class {class} may float by {allowed}"),
                format!("{class} 类行业的浮动档次为 {allowed}"),
            ));
        };
        money(ev.money(&BASE, e, p)?.mul_rate(base_rate.times(float)))
    });

/// 住房公积金缴存基数: the declared wage (or the month's wage), at most three
/// times the local average wage; computed when a housing fund rate is given.
pub static HOUSING_FUND_BASE: Variable = formula("housing_fund.base")
    .label("住房公积金缴存基数", "Housing fund base")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("住房公积金管理条例 第十六条；建金〔2005〕5号")
    .reads(&[&HOUSING_FUND_RATE, &LOCALITY, &AVERAGE_WAGE, &DECLARED_BASE, &WAGE, &DECLARED_CONTRIBUTIONS])
    .params(&[HF_CEILING])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        if ev.number(&HOUSING_FUND_RATE, e, Period::Year(m.year()))?.is_none() {
            return money(Money::ZERO);
        }
        let wage = ev.money(&WAGE, e, p)?;
        if wage.is_zero() {
            return money(Money::ZERO);
        }
        if locality(ev, e)?.is_none() {
            return Err(no_locality(ev, e, p)?);
        }
        let declared = match ev.get(&DECLARED_BASE, e, p)? {
            Value::Money(d) => d,
            _ => wage,
        };
        let ceiling = ev.money(&AVERAGE_WAGE, e, p)?.mul_rate(ev.rate(HF_CEILING, m.first_day())?);
        money(declared.min(ceiling))
    });

fn housing_fund(ev: &mut Eval<'_>, e: Entity, p: Period) -> Result<Value, EvalError> {
    let m = ev.this_month(p)?;
    let Some(rate) = ev.number(&HOUSING_FUND_RATE, e, Period::Year(m.year()))? else { return money(Money::ZERO) };
    let (low, high) = (ev.rate(HF_MIN, m.first_day())?, ev.rate(HF_MAX, m.first_day())?);
    let rate = Rate::from_decimal(rate).ok().filter(|r| !r.lt(low) && !high.lt(*r)).ok_or_else(|| {
        input_error(
            ev,
            e,
            &format!("housing_fund_rate.{}", m.year()),
            rate,
            format!("each side contributes between {low} and {high}"),
            format!("单位和个人的缴存比例各在 {low} 至 {high} 之间"),
        )
    })?;
    money(ev.money(&HOUSING_FUND_BASE, e, p)?.mul_rate(rate))
}

/// 住房公积金（个人）: the base × the rate.
pub static HOUSING_FUND_EMPLOYEE: Variable = formula("housing_fund.employee")
    .label("住房公积金（个人）", "Housing fund (employee)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("住房公积金管理条例 第十八条")
    .reads(&[&HOUSING_FUND_RATE, &HOUSING_FUND_BASE])
    .params(&[HF_MIN, HF_MAX])
    .compute(housing_fund);

/// 住房公积金（单位）: the same rate on the same base.
pub static HOUSING_FUND_EMPLOYER: Variable = formula("housing_fund.employer")
    .label("住房公积金（单位）", "Housing fund (employer)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("住房公积金管理条例 第十八条")
    .reads(&[&HOUSING_FUND_RATE, &HOUSING_FUND_BASE])
    .params(&[HF_MIN, HF_MAX])
    .compute(housing_fund);

/// 个人缴费合计: the employee's social insurance and housing fund (三险一金).
pub static EMPLOYEE_TOTAL: Variable = formula("social_insurance.employee_total")
    .label("个人缴纳三险一金合计", "Employee social insurance and housing fund")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("社会保险法；住房公积金管理条例")
    .adds(&[&PENSION_EMPLOYEE, &MEDICAL_EMPLOYEE, &UNEMPLOYMENT_EMPLOYEE, &HOUSING_FUND_EMPLOYEE]);

/// 单位缴费合计: the employer's social insurance and housing fund.
pub static EMPLOYER_TOTAL: Variable = formula("social_insurance.employer_total")
    .label("单位缴纳五险一金合计", "Employer social insurance and housing fund")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("社会保险法；住房公积金管理条例")
    .adds(&[
        &PENSION_EMPLOYER,
        &MEDICAL_EMPLOYER,
        &UNEMPLOYMENT_EMPLOYER,
        &WORK_INJURY_EMPLOYER,
        &HOUSING_FUND_EMPLOYER,
    ]);

#[cfg(test)]
mod tests {
    use minsheng_core::Money;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    proptest! {
        /// The integer path of a tier gives the exact decimal product's rounding, and the same refusal beyond range.
        #[test]
        fn a_tier_in_integers_is_the_exact_product_rounded(
            fen in 0i64..100_000_000_000_000, mantissa in 0i64..100_000_000_000, scale in 0u32..=12,
        ) {
            let (average, share) = (Money::from_fen(fen), Decimal::new(mantissa, scale));
            let exact = Money::round_from_decimal(average.to_decimal() * share).ok();
            prop_assert_eq!(super::tier_base(average, share), exact);
        }
    }
}
