//! Medical expense reimbursement (医疗费用报销) under the basic medical
//! insurance of the insured place, critical-illness insurance (大病保险) on the
//! out-of-pocket amount above its threshold, and medical assistance (医疗救助)
//! for assistance recipients; cross-province direct settlement (跨省异地就医直接
//! 结算) under the insured place's deductible, rates and cap, with a lower rate
//! for a patient who did not register (备案) before treatment.
//!
//! The plan figures are set by each insured place and are not shipped: they
//! are inputs (`medical_plan_*`), and a claim without the figures it needs is
//! refused, saying which to give. The in-catalogue cost is as judged under the
//! care place's catalogue. Critical-illness insurance pays by tiers of the
//! amount above its threshold, each tier at its own rate.

use minsheng_core::money::Money;
use minsheng_core::{Entity, Eval, EvalError, InputError, Period, PeriodKind, Rate, Value, ValueType, Variable};
use rust_decimal::Decimal;

use crate::define::{formula, input};
use crate::util::{months_through, person_id, year_sum};

/// Hospital levels (医院等级).
pub const LEVELS: &[&str] = &["primary", "secondary", "tertiary"];

/// Where care was given.
pub const PLACES: &[&str] = &["local", "other_province_registered", "other_province_unregistered"];

/// 起付线: the deductible per inpatient stay, by hospital level (insured place).
pub static DEDUCTIBLE: Variable = input("medical_plan_deductible")
    .label("住院起付标准（按医院等级，参保地）", "Deductible per stay by hospital level (insured place)")
    .value(ValueType::AmountsBy(LEVELS), PeriodKind::Year)
    .reference("社会保险法 第二十八条；参保地医保政策")
    .otherwise(Value::Absent);

/// 报销比例: the share of in-catalogue cost above the deductible the fund pays,
/// by hospital level, as applies to the person (employee, retiree, resident).
pub static RATE: Variable = input("medical_plan_rate")
    .label("住院报销比例（按医院等级，参保地）", "Reimbursement rate by hospital level (insured place)")
    .value(ValueType::RatesBy(LEVELS), PeriodKind::Year)
    .reference("参保地医保政策")
    .otherwise(Value::Absent);

/// 最高支付限额: the basic fund's annual cap.
pub static CAP: Variable = input("medical_plan_cap")
    .label("统筹基金年度最高支付限额（参保地）", "Annual cap of the basic fund (insured place)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("参保地医保政策")
    .otherwise(Value::Absent);

/// The cut in the rate (a fraction, e.g. 0.1 for ten points) for cross-province care without registration.
pub static UNREGISTERED_CUT: Variable = input("medical_plan_unregistered_cut")
    .label("未备案跨省就医降低的报销比例", "Rate cut for cross-province care without registration")
    .value(ValueType::Number, PeriodKind::Year)
    .reference("跨省异地就医直接结算政策")
    .otherwise(Value::Absent);

/// 大病保险起付线: the critical-illness insurance threshold on in-catalogue out-of-pocket cost.
pub static CRITICAL_THRESHOLD: Variable = input("critical_illness_threshold")
    .label("大病保险起付线（参保地）", "Critical-illness insurance threshold (insured place)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国办发〔2015〕57号")
    .otherwise(Value::Absent);

/// 大病保险分段报销比例: the critical-illness insurance rates by tier of the
/// amount above the threshold, e.g. `{0: 0.6, 100000: 0.7}`.
pub static CRITICAL_RATE: Variable = input("critical_illness_rates")
    .label("大病保险分段报销比例（参保地）", "Critical-illness insurance rates by tier (insured place)")
    .value(ValueType::RateTiers, PeriodKind::Year)
    .reference("国办发〔2015〕57号")
    .otherwise(Value::Absent);

/// 医疗救助比例: the share of the remaining in-catalogue cost that medical assistance pays (recipients only).
pub static ASSISTANCE_RATE: Variable = input("medical_assistance_rate")
    .label("医疗救助比例（救助对象）", "Medical assistance rate (assistance recipients)")
    .value(ValueType::Number, PeriodKind::Year)
    .reference("国办发〔2021〕42号")
    .otherwise(Value::Absent);

/// 住院政策范围内费用: in-catalogue cost of the month's inpatient stay.
pub static COST: Variable = input("inpatient_cost")
    .label("住院政策范围内费用", "In-catalogue cost of an inpatient stay")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("社会保险法 第二十八条")
    .otherwise(Value::Money(Money::ZERO));

/// 目录外自费: cost outside the catalogue, paid by the patient.
pub static SELF_PAID: Variable = input("inpatient_self_paid")
    .label("住院政策范围外自费费用", "Cost outside the catalogue")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("社会保险法 第二十八条")
    .otherwise(Value::Money(Money::ZERO));

/// The level of the hospital of the month's stay.
pub static LEVEL: Variable = input("hospital_level")
    .label("医院等级", "Hospital level")
    .value(ValueType::Choice(LEVELS), PeriodKind::Month)
    .reference("参保地医保政策")
    .otherwise(Value::Absent);

/// Where the month's stay took place.
pub static PLACE: Variable = input("care_place")
    .label("就医地（本地、跨省已备案、跨省未备案）", "Place of care (local, other province registered, unregistered)")
    .value(ValueType::Choice(PLACES), PeriodKind::Month)
    .reference("跨省异地就医直接结算政策")
    .otherwise(Value::Choice("local"));

fn missing(ev: &Eval<'_>, e: Entity, field: String, rule: String, rule_zh: String) -> EvalError {
    InputError::new(format!("persons.{}.{field}", person_id(ev, e)), "(missing)", rule).zh(rule_zh).into()
}

fn number_rate(ev: &Eval<'_>, e: Entity, field: &str, d: Decimal) -> Result<Rate, EvalError> {
    Rate::from_decimal(d).ok().filter(|r| !r.lt(Rate::ZERO) && !Rate::ONE.lt(*r)).ok_or_else(|| {
        InputError::new(format!("persons.{}.{field}", person_id(ev, e)), d, "a rate from 0 to 1")
            .zh("0 至 1 的比率")
            .into()
    })
}

/// 统筹基金支付: what the basic fund pays for the month's stay: the cost above
/// the deductible times the rate, within what is left of the annual cap.
pub static FUND_PAYS: Variable = formula("medical.fund_pays")
    .label("基本医保统筹基金支付", "Paid by the basic medical fund")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("社会保险法 第二十八条、第二十九条；参保地医保政策")
    .reads(&[&COST, &LEVEL, &PLACE, &DEDUCTIBLE, &RATE, &CAP, &UNREGISTERED_CUT, &FUND_PAYS])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let cost = ev.money(&COST, e, p)?;
        if cost.is_zero() {
            return Ok(Value::Money(Money::ZERO));
        }
        let year = Period::Year(m.year());
        let level = ev.choice(&LEVEL, e, p)?.ok_or_else(|| {
            missing(
                ev,
                e,
                format!("hospital_level.{m}"),
                "a stay needs the hospital level".into(),
                "住院需给出医院等级".into(),
            )
        })?;
        let deductible = ev.amount_by(&DEDUCTIBLE, e, year, level)?.ok_or_else(|| {
            missing(
                ev,
                e,
                format!("medical_plan_deductible.{}", m.year()),
                format!("the insured place's deductible for {level} hospitals (a local parameter)"),
                format!("参保地 {level} 医院的起付标准（当地参数）"),
            )
        })?;
        let mut rate = ev.rate_by(&RATE, e, year, level)?.ok_or_else(|| {
            missing(
                ev,
                e,
                format!("medical_plan_rate.{}", m.year()),
                format!("the insured place's rate for {level} hospitals (a local parameter)"),
                format!("参保地 {level} 医院的报销比例（当地参数）"),
            )
        })?;
        if ev.choice(&PLACE, e, p)? == Some("other_province_unregistered") {
            let cut = ev.number(&UNREGISTERED_CUT, e, year)?.ok_or_else(|| {
                missing(
                    ev,
                    e,
                    format!("medical_plan_unregistered_cut.{}", m.year()),
                    "the insured place's cut for unregistered cross-province care".into(),
                    "参保地对未备案跨省就医降低的报销比例".into(),
                )
            })?;
            let cut = number_rate(ev, e, "medical_plan_unregistered_cut", cut)?;
            rate = if rate.lt(cut) { Rate::ZERO } else { rate.minus(cut) };
        }
        let Value::Money(cap) = ev.get(&CAP, e, year)? else {
            return Err(missing(
                ev,
                e,
                format!("medical_plan_cap.{}", m.year()),
                "the basic fund's annual cap (a local parameter)".into(),
                "统筹基金年度最高支付限额（当地参数）".into(),
            ));
        };
        let mut paid_before = Money::ZERO;
        for k in months_through(m).filter(|k| *k < m) {
            paid_before += ev.money(&FUND_PAYS, e, Period::Month(k))?;
        }
        let due = (cost - deductible).max_zero().mul_rate(rate);
        Ok(Value::Money(due.min((cap - paid_before).max_zero())))
    });

/// 政策范围内个人自付（当月）: the in-catalogue cost the fund did not pay.
pub static IN_CATALOGUE_OOP: Variable = formula("medical.in_catalogue_out_of_pocket")
    .label("政策范围内个人负担（当月）", "In-catalogue cost left to the patient (month)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("社会保险法 第二十八条")
    .reads(&[&COST, &FUND_PAYS])
    .compute(|ev, e, p| Ok(Value::Money(ev.money(&COST, e, p)? - ev.money(&FUND_PAYS, e, p)?)));

/// 大病保险支付: critical-illness insurance on the year's in-catalogue
/// out-of-pocket cost above its threshold.
pub static CRITICAL_PAYS: Variable = formula("medical.critical_illness_pays")
    .label("大病保险支付", "Paid by critical-illness insurance")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国办发〔2015〕57号")
    .reads(&[&IN_CATALOGUE_OOP, &CRITICAL_THRESHOLD, &CRITICAL_RATE])
    .compute(|ev, e, p| {
        let Value::Money(threshold) = ev.get(&CRITICAL_THRESHOLD, e, p)? else { return Ok(Value::Money(Money::ZERO)) };
        let oop = year_sum(ev, e, p, &IN_CATALOGUE_OOP)?;
        if oop <= threshold {
            return Ok(Value::Money(Money::ZERO));
        }
        let tiers = ev.rate_tiers(&CRITICAL_RATE, e, p)?.ok_or_else(|| {
            missing(
                ev,
                e,
                format!("critical_illness_rates.{}", ev.this_year(p).unwrap_or_default()),
                "the critical-illness insurance rates by tier".into(),
                "大病保险分段报销比例".into(),
            )
        })?;
        let above = oop - threshold;
        let mut paid = Money::ZERO;
        for (i, (from, rate)) in tiers.iter().enumerate() {
            let to = tiers.get(i + 1).map_or(above, |(next, _)| (*next).min(above));
            if to > *from {
                paid += (to - *from).mul_rate(*rate);
            }
        }
        Ok(Value::Money(paid))
    });

/// 医疗救助支付: medical assistance on what is left of the in-catalogue cost.
pub static ASSISTANCE_PAYS: Variable = formula("medical.assistance_pays")
    .label("医疗救助支付", "Paid by medical assistance")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国办发〔2021〕42号")
    .reads(&[&IN_CATALOGUE_OOP, &CRITICAL_PAYS, &ASSISTANCE_RATE])
    .compute(|ev, e, p| {
        let Some(rate) = ev.number(&ASSISTANCE_RATE, e, p)? else { return Ok(Value::Money(Money::ZERO)) };
        let rate = number_rate(ev, e, "medical_assistance_rate", rate)?;
        let left = year_sum(ev, e, p, &IN_CATALOGUE_OOP)? - ev.money(&CRITICAL_PAYS, e, p)?;
        Ok(Value::Money(left.max_zero().mul_rate(rate)))
    });

/// 医保目录内个人自付（年）: in-catalogue cost left after basic and
/// critical-illness insurance: what the IIT serious-illness deduction counts.
pub static IIT_BASE: Variable = formula("medical.insured_out_of_pocket")
    .label("医保报销后医保目录范围内个人自付（年）", "In-catalogue cost left after medical insurance (year)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国发〔2018〕41号 第十一条")
    .reads(&[&IN_CATALOGUE_OOP, &CRITICAL_PAYS])
    .compute(|ev, e, p| Ok(Value::Money(year_sum(ev, e, p, &IN_CATALOGUE_OOP)? - ev.money(&CRITICAL_PAYS, e, p)?)));

/// 个人医疗费用负担（年）: everything the patient pays: in-catalogue cost left
/// after insurance and assistance, plus cost outside the catalogue.
pub static OUT_OF_POCKET: Variable = formula("medical.out_of_pocket")
    .label("个人医疗费用负担（年）", "Medical cost borne by the patient (year)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会保险法 第二十八条")
    .reads(&[&IIT_BASE, &ASSISTANCE_PAYS, &SELF_PAID])
    .compute(|ev, e, p| {
        let left = ev.money(&IIT_BASE, e, p)? - ev.money(&ASSISTANCE_PAYS, e, p)?;
        Ok(Value::Money(left + year_sum(ev, e, p, &SELF_PAID)?))
    });

/// The reimbursement inputs.
pub static INPUTS: &[&Variable] = &[
    &DEDUCTIBLE,
    &RATE,
    &CAP,
    &UNREGISTERED_CUT,
    &CRITICAL_THRESHOLD,
    &CRITICAL_RATE,
    &ASSISTANCE_RATE,
    &COST,
    &SELF_PAID,
    &LEVEL,
    &PLACE,
];

/// The computed reimbursement variables.
pub static VARIABLES: &[&Variable] =
    &[&FUND_PAYS, &IN_CATALOGUE_OOP, &CRITICAL_PAYS, &ASSISTANCE_PAYS, &IIT_BASE, &OUT_OF_POCKET];
