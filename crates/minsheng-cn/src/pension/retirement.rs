//! The statutory retirement age (法定退休年龄) with its gradual increase from
//! 2025, elastic retirement (弹性退休), and the minimum contribution years.
//!
//! The delay for a cohort is read on the day the person reaches the old
//! statutory age: for a birth month `d` months after the first delayed cohort,
//! the delay is `min(max, d ÷ step + 1)` months (NPC Standing Committee
//! decision of 2024-09-13, State Council measures, attachments 1–3).

use jiff::civil::Date;
use minsheng_core::period::month_reaching_age;
use minsheng_core::{Entity, Eval, EvalError, InputError, Month, Period, PeriodKind, Value, ValueType, Variable};

use super::career::{self, MONTHS};
use super::inputs::{CONTRIBUTION_MONTHS, PLANNED_RETIREMENT, RETIREMENT_GROUP};
use crate::define::formula;
use crate::person::BIRTH_DATE;
use crate::util::person_id;

/// The parameter paths of one retirement group.
struct Group {
    old_age: &'static str,
    first_cohort: &'static str,
    step: &'static str,
    max_delay: &'static str,
}

fn group(name: &str) -> Group {
    match name {
        "female_55" => Group {
            old_age: "pension.retirement.old_age_women_cadre",
            first_cohort: "pension.retirement.first_cohort_women_cadre",
            step: "pension.retirement.step_months_women_cadre",
            max_delay: "pension.retirement.max_delay_months_women_cadre",
        },
        "female_50" => Group {
            old_age: "pension.retirement.old_age_women_worker",
            first_cohort: "pension.retirement.first_cohort_women_worker",
            step: "pension.retirement.step_months_women_worker",
            max_delay: "pension.retirement.max_delay_months_women_worker",
        },
        _ => Group {
            old_age: "pension.retirement.old_age_men",
            first_cohort: "pension.retirement.first_cohort_men",
            step: "pension.retirement.step_months_men",
            max_delay: "pension.retirement.max_delay_months_men",
        },
    }
}

const ALL_GROUP_PARAMS: &[&str] = &[
    "pension.retirement.old_age_men",
    "pension.retirement.first_cohort_men",
    "pension.retirement.step_months_men",
    "pension.retirement.max_delay_months_men",
    "pension.retirement.old_age_women_cadre",
    "pension.retirement.first_cohort_women_cadre",
    "pension.retirement.step_months_women_cadre",
    "pension.retirement.max_delay_months_women_cadre",
    "pension.retirement.old_age_women_worker",
    "pension.retirement.first_cohort_women_worker",
    "pension.retirement.step_months_women_worker",
    "pension.retirement.max_delay_months_women_worker",
];
const EARLIER: &str = "pension.retirement.elastic_earlier_months";
const LATER: &str = "pension.retirement.elastic_later_months";
const MINIMUM: &str = "pension.retirement.minimum_contribution_months";

fn absent() -> Result<Value, EvalError> {
    Ok(Value::Absent)
}

/// The first covered day: retirement before it is outside the rules.
fn covered_from(ev: &Eval<'_>) -> Date {
    ev.params().model().covered_from.unwrap_or(jiff::civil::date(2019, 1, 1))
}

/// The old statutory age (years) and the month it is reached, checked to lie
/// within the covered dates.
fn old_age(ev: &mut Eval<'_>, e: Entity, group: &Group, birth: Date) -> Result<(i64, Month), EvalError> {
    let start = covered_from(ev);
    let old = ev.count_param(group.old_age, start)?;
    let reached = month_reaching_age(birth, old as i32);
    if reached.first_day() < start {
        let field = format!("persons.{}.birth_date", person_id(ev, e));
        let rule = format!(
            "reached the old retirement age in {reached}, before the covered dates begin ({start}); for a pension in payment give `pension_last_december`"
        );
        let zh = format!(
            "在 {reached} 已达原法定退休年龄，早于规则覆盖的起始日（{start}）；已在领取的养老金请给出 `pension_last_december`"
        );
        return Err(InputError::new(field, birth, rule).zh(zh).into());
    }
    Ok((old, reached))
}

/// 法定退休年龄（月）: the statutory retirement age in months, after the gradual increase.
pub static STATUTORY_AGE: Variable = formula("pension.statutory_retirement_age")
    .label("法定退休年龄（月）", "Statutory retirement age (months)")
    .value(ValueType::Count, PeriodKind::Eternity)
    .reference("全国人大常委会关于实施渐进式延迟法定退休年龄的决定；国务院关于渐进式延迟法定退休年龄的办法 第二条")
    .reads(&[&RETIREMENT_GROUP, &BIRTH_DATE])
    .params(ALL_GROUP_PARAMS)
    .compute(|ev, e, _| {
        let (Some(name), Some(birth)) =
            (ev.choice(&RETIREMENT_GROUP, e, Period::Eternity)?, ev.date(&BIRTH_DATE, e, Period::Eternity)?)
        else {
            return absent();
        };
        let g = group(name);
        let (old, reached) = old_age(ev, e, &g, birth)?;
        let on = reached.first_day();
        let delay = match ev.param(g.first_cohort, on)? {
            Some(minsheng_core::params::ParamValue::Count(first_year)) => {
                let d = (i64::from(birth.year()) - first_year) * 12 + i64::from(birth.month()) - 1;
                if d < 0 { 0 } else { (d / ev.count_param(g.step, on)? + 1).min(ev.count_param(g.max_delay, on)?) }
            }
            _ => 0,
        };
        Ok(Value::Count(old * 12 + delay))
    });

/// 法定退休月份: the month the statutory retirement age is reached.
pub static STATUTORY_MONTH: Variable = formula("pension.statutory_retirement_month")
    .label("法定退休时间", "Statutory retirement month")
    .value(ValueType::Month, PeriodKind::Eternity)
    .reference("国务院关于渐进式延迟法定退休年龄的办法 第二条")
    .reads(&[&BIRTH_DATE, &STATUTORY_AGE])
    .compute(|ev, e, _| {
        let (Some(birth), Value::Count(age)) =
            (ev.date(&BIRTH_DATE, e, Period::Eternity)?, ev.get(&STATUTORY_AGE, e, Period::Eternity)?)
        else {
            return absent();
        };
        Ok(Value::Month(Month::of(birth).plus(age as i32)))
    });

/// 弹性提前退休最早时间: the earliest month of elastic retirement: up to
/// 36 months before the statutory month, never before the old statutory age.
pub static EARLIEST_MONTH: Variable = formula("pension.earliest_retirement_month")
    .label("弹性提前退休最早时间", "Earliest elastic retirement month")
    .value(ValueType::Month, PeriodKind::Eternity)
    .reference("国务院关于渐进式延迟法定退休年龄的办法 第三条；人社部发〔2024〕94号")
    .reads(&[&STATUTORY_MONTH, &RETIREMENT_GROUP, &BIRTH_DATE])
    .params(&[
        EARLIER,
        "pension.retirement.old_age_men",
        "pension.retirement.old_age_women_cadre",
        "pension.retirement.old_age_women_worker",
    ])
    .compute(|ev, e, _| {
        let Some(statutory) = ev.month(&STATUTORY_MONTH, e, Period::Eternity)? else { return absent() };
        let (Some(name), Some(birth)) =
            (ev.choice(&RETIREMENT_GROUP, e, Period::Eternity)?, ev.date(&BIRTH_DATE, e, Period::Eternity)?)
        else {
            return absent();
        };
        let earlier = ev.count_param(EARLIER, statutory.first_day())? as i32;
        let (_, old_month) = old_age(ev, e, &group(name), birth)?;
        Ok(Value::Month(statutory.plus(-earlier).max(old_month)))
    });

/// 弹性延迟退休最晚时间: the latest month of elastic retirement: up to 36
/// months after the statutory month.
pub static LATEST_MONTH: Variable = formula("pension.latest_retirement_month")
    .label("弹性延迟退休最晚时间", "Latest elastic retirement month")
    .value(ValueType::Month, PeriodKind::Eternity)
    .reference("国务院关于渐进式延迟法定退休年龄的办法 第三条；人社部发〔2024〕94号")
    .reads(&[&STATUTORY_MONTH])
    .params(&[LATER])
    .compute(|ev, e, _| {
        let Some(statutory) = ev.month(&STATUTORY_MONTH, e, Period::Eternity)? else { return absent() };
        let later = ev.count_param(LATER, statutory.first_day())? as i32;
        Ok(Value::Month(statutory.plus(later)))
    });

/// 退休时间: the statutory month, or the elastic month chosen within the
/// allowed span ([`EARLIEST_MONTH`] to [`LATEST_MONTH`], and early only
/// with the minimum contribution).
pub static RETIREMENT_MONTH: Variable = formula("pension.retirement_month")
    .label("退休时间", "Retirement month")
    .value(ValueType::Month, PeriodKind::Eternity)
    .reference("国务院关于渐进式延迟法定退休年龄的办法 第三条；人社部发〔2024〕94号")
    .reads(&[
        &STATUTORY_MONTH,
        &PLANNED_RETIREMENT,
        &EARLIEST_MONTH,
        &LATEST_MONTH,
        &CONTRIBUTION_MONTHS,
        &career::CAREER,
        &career::PRIOR_MONTHS,
    ])
    .params(&[EARLIER, LATER, MINIMUM])
    .compute(|ev, e, _| {
        let Some(statutory) = ev.month(&STATUTORY_MONTH, e, Period::Eternity)? else { return absent() };
        let Some(planned) = ev.month(&PLANNED_RETIREMENT, e, Period::Eternity)? else {
            return Ok(Value::Month(statutory));
        };
        let (Some(earliest), Some(latest)) =
            (ev.month(&EARLIEST_MONTH, e, Period::Eternity)?, ev.month(&LATEST_MONTH, e, Period::Eternity)?)
        else {
            return absent();
        };
        let on = statutory.first_day();
        let (earlier, later) = (ev.count_param(EARLIER, on)?, ev.count_param(LATER, on)?);
        let field = format!("persons.{}.planned_retirement", person_id(ev, e));
        if planned < earliest {
            let rule = format!(
                "the earliest retirement allowed is {earliest} (statutory {statutory}, at most {earlier} months earlier, never before the old age)"
            );
            let zh =
                format!("最早可于 {earliest} 退休（法定 {statutory}，最多提前 {earlier} 个月，且不早于原退休年龄）");
            return Err(InputError::new(field, planned, rule).zh(zh).into());
        }
        if planned > latest {
            let rule = format!("the latest retirement allowed is {latest} (statutory {statutory} plus {later} months)");
            let zh = format!("最晚可于 {latest} 退休（法定 {statutory} 加 {later} 个月）");
            return Err(InputError::new(field, planned, rule).zh(zh).into());
        }
        if planned < statutory {
            let minimum = ev.count_param(MINIMUM, planned.first_day())?;
            let months = career::months_before(ev, e, Some(planned))?;
            if months < minimum {
                let rule = format!(
                    "retiring early needs the minimum contribution of {minimum} months; the record has {months}"
                );
                let zh = format!("提前退休须满最低缴费年限 {minimum} 个月；记录只有 {months} 个月");
                return Err(InputError::new(field, planned, rule).zh(zh).into());
            }
        }
        Ok(Value::Month(planned))
    });

/// 退休时年龄（月）: age at retirement in whole months.
pub static AGE_AT_RETIREMENT: Variable = formula("pension.age_at_retirement")
    .label("退休时年龄（月）", "Age at retirement (months)")
    .value(ValueType::Count, PeriodKind::Eternity)
    .reference("国发〔2005〕38号 附件")
    .reads(&[&BIRTH_DATE, &RETIREMENT_MONTH])
    .compute(|ev, e, _| {
        match (ev.date(&BIRTH_DATE, e, Period::Eternity)?, ev.month(&RETIREMENT_MONTH, e, Period::Eternity)?) {
            (Some(birth), Some(r)) => Ok(Value::Count(i64::from(Month::of(birth).months_until(r)))),
            _ => absent(),
        }
    });

/// 最低缴费年限（月）: the minimum contribution for a monthly pension at the retirement date.
pub static MINIMUM_CONTRIBUTION: Variable = formula("pension.minimum_contribution_months")
    .label("按月领取养老金的最低缴费年限（月）", "Minimum contribution for a monthly pension (months)")
    .value(ValueType::Count, PeriodKind::Eternity)
    .reference("社会保险法 第十六条；国务院关于渐进式延迟法定退休年龄的办法 第四条")
    .reads(&[&RETIREMENT_MONTH])
    .params(&[MINIMUM])
    .compute(|ev, e, _| match ev.month(&RETIREMENT_MONTH, e, Period::Eternity)? {
        Some(r) => Ok(Value::Count(ev.count_param(MINIMUM, r.first_day())?)),
        None => absent(),
    });

/// 符合按月领取条件: contribution reaches the minimum at retirement.
pub static ELIGIBLE: Variable = formula("pension.eligible")
    .label("符合按月领取基本养老金条件", "Entitled to a monthly basic pension")
    .value(ValueType::Bool, PeriodKind::Eternity)
    .reference("社会保险法 第十六条")
    .reads(&[&MINIMUM_CONTRIBUTION, &MONTHS])
    .compute(|ev, e, _| match ev.get(&MINIMUM_CONTRIBUTION, e, Period::Eternity)? {
        Value::Count(minimum) => Ok(Value::Bool(ev.count(&MONTHS, e, Period::Eternity)? >= minimum)),
        _ => Ok(Value::Bool(false)),
    });
