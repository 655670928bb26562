//! Residents' basic medical insurance (城乡居民医保) and basic public health
//! funding: who is in which scheme, the individual contribution (less what
//! medical assistance pays for 低保 and 特困 members, where the locality does
//! so), the fiscal subsidy per insured resident, and the public health funding
//! per capita. National minimum standards; a locality's higher contribution is
//! an input.

use minsheng_core::money::Money;
use minsheng_core::{Month, Period, PeriodKind, Value, ValueType, Variable};

use crate::define::{formula, input};
use crate::social_insurance::contributions::INSURED;
use crate::social_insurance::inputs::DECLARED_CONTRIBUTIONS;
use crate::util::year_end;

pub(crate) const SUBSIDY: &str = "medical.resident.fiscal_subsidy";
pub(crate) const CONTRIBUTION: &str = "medical.resident.individual_contribution";
pub(crate) const PUBLIC_HEALTH: &str = "medical.public_health.funding_per_capita";

/// The choices of [`SCHEME_INPUT`] and [`SCHEME`].
pub const SCHEMES: &[&str] = &["employee", "resident", "none"];

/// 参保类型: the medical scheme, if the situation says. Not given: the
/// employee scheme for anyone insured as an employee in the year (or paying
/// the employee contributions given as `special_deduction`), otherwise the
/// residents' scheme (coverage is near universal).
pub static SCHEME_INPUT: Variable = input("medical_scheme")
    .label("基本医疗保险参保类型", "Basic medical insurance scheme")
    .value(ValueType::Choice(SCHEMES), PeriodKind::Year)
    .reference("社会保险法 第二十三条、第二十五条")
    .otherwise(Value::Absent);

/// The individual contribution the locality sets for residents, where above the national minimum.
pub static LOCAL_CONTRIBUTION: Variable = input("resident_medical_contribution")
    .label("当地居民医保个人缴费标准", "Local individual contribution to residents' medical insurance")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("年度城乡居民基本医疗保障工作通知")
    .otherwise(Value::Absent);

/// What medical assistance pays towards the person's contribution (特困 in
/// full, 低保 a fixed amount, as the locality sets).
pub static ASSISTANCE_PAYS: Variable = input("medical_contribution_assistance")
    .label("医疗救助资助参保金额", "Contribution paid by medical assistance")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国办发〔2021〕42号")
    .otherwise(Value::Money(Money::ZERO));

/// 参保类型: the scheme the person is in: as given, else the employee scheme
/// for anyone insured as an employee in the year (or paying the employee
/// contributions given as `special_deduction`) and for retirees drawing the
/// employee pension, who stay in the employee scheme without paying (社会保险法
/// 第二十七条; the contribution years it requires are taken as met), else the
/// residents' scheme.
pub static SCHEME: Variable = formula("medical.scheme")
    .label("基本医疗保险参保类型", "Medical insurance scheme")
    .value(ValueType::Choice(SCHEMES), PeriodKind::Year)
    .reference("社会保险法 第二十三条、第二十五条、第二十七条")
    .reads(&[&SCHEME_INPUT, &INSURED, &DECLARED_CONTRIBUTIONS, &crate::pension::employee::MONTHLY])
    .compute(|ev, e, p| {
        if let Some(given) = ev.choice(&SCHEME_INPUT, e, p)? {
            return Ok(Value::Choice(given));
        }
        let y = ev.this_year(p)?;
        for m in Month::of_year(y) {
            let m = Period::Month(m);
            let pays = matches!(ev.get(&DECLARED_CONTRIBUTIONS, e, m)?, Value::Money(d) if !d.is_zero());
            let retired = !ev.money(&crate::pension::employee::MONTHLY, e, m)?.is_zero();
            if pays || retired || ev.flag(&INSURED, e, m)? {
                return Ok(Value::Choice("employee"));
            }
        }
        Ok(Value::Choice("resident"))
    });

/// 居民医保个人缴费: the individual contribution of a resident enrollee: the
/// local standard where given, otherwise the national minimum.
pub static RESIDENT_CONTRIBUTION: Variable = formula("medical.resident_contribution")
    .label("居民医保个人缴费标准", "Residents' medical insurance individual contribution")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("年度城乡居民基本医疗保障工作通知")
    .reads(&[&SCHEME, &LOCAL_CONTRIBUTION])
    .params(&[CONTRIBUTION])
    .compute(|ev, e, p| {
        if ev.choice(&SCHEME, e, p)? != Some("resident") {
            return Ok(Value::Money(Money::ZERO));
        }
        if let Value::Money(local) = ev.get(&LOCAL_CONTRIBUTION, e, p)? {
            return Ok(Value::Money(local));
        }
        // Unknown where the year's financing notice is not known (the parameter says which input supplies it).
        let y = ev.this_year(p)?;
        Ok(Value::Money(ev.amount(CONTRIBUTION, year_end(y))?))
    });

/// 个人实际缴费: the contribution less what medical assistance pays.
pub static RESIDENT_PAID: Variable = formula("medical.resident_contribution_paid")
    .label("居民医保个人实际缴费", "Residents' medical contribution paid by the person")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国办发〔2021〕42号")
    .reads(&[&RESIDENT_CONTRIBUTION, &ASSISTANCE_PAYS])
    .compute(|ev, e, p| {
        Ok(Value::Money((ev.money(&RESIDENT_CONTRIBUTION, e, p)? - ev.money(&ASSISTANCE_PAYS, e, p)?).max_zero()))
    });

/// 居民医保财政补助: the fiscal subsidy per insured resident (a cost to the budget, not income).
pub static RESIDENT_SUBSIDY: Variable = formula("medical.resident_fiscal_subsidy")
    .label("居民医保人均财政补助", "Fiscal subsidy for this insured resident")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("年度城乡居民基本医疗保障工作通知；2022年政府工作报告")
    .reads(&[&SCHEME])
    .params(&[SUBSIDY])
    .compute(|ev, e, p| {
        if ev.choice(&SCHEME, e, p)? != Some("resident") {
            return Ok(Value::Money(Money::ZERO));
        }
        Ok(Value::Money(ev.amount(SUBSIDY, year_end(ev.this_year(p)?))?))
    });

/// 基本公共卫生服务经费: the per-capita funding of basic public health services
/// (a cost to the budget per resident); unknown where the year's standard is not known.
pub static PUBLIC_HEALTH_FUNDING: Variable = formula("medical.public_health_funding")
    .label("基本公共卫生服务人均经费", "Basic public health funding for this person")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("年度基本公共卫生服务项目通知；2022年政府工作报告")
    .params(&[PUBLIC_HEALTH])
    .compute(|ev, _, p| {
        let y = ev.this_year(p)?;
        Ok(Value::Money(ev.amount(PUBLIC_HEALTH, year_end(y))?))
    });

/// The medical inputs.
pub static INPUTS: &[&Variable] = &[&SCHEME_INPUT, &LOCAL_CONTRIBUTION, &ASSISTANCE_PAYS];

/// The computed medical variables.
pub static VARIABLES: &[&Variable] =
    &[&SCHEME, &RESIDENT_CONTRIBUTION, &RESIDENT_PAID, &RESIDENT_SUBSIDY, &PUBLIC_HEALTH_FUNDING];
