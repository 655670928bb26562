//! The unemployment insurance benefit (失业保险金): Social Insurance Law art.
//! 45–47. Duration by months of contribution (12, 18 or 24 months) with
//! carried-over entitlement up to 24; the monthly amount is set locally between
//! the 低保 standard and the minimum wage, so it is an input here, checked
//! against those two where they are given.

use minsheng_core::money::Money;
use minsheng_core::{EvalError, InputError, Month, Period, PeriodKind, Value, ValueType, Variable};

use crate::define::{formula, input};
use crate::social_insurance::inputs::LOCALITY;
use crate::util::person_id;

pub(crate) const MINIMUM: &str = "unemployment.benefit.minimum_contribution_months";
pub(crate) const DURATION: &str = "unemployment.benefit.duration_by_contribution";
pub(crate) const MAXIMUM: &str = "unemployment.benefit.maximum_duration";
const LOCAL_MINIMUM_WAGE: &str = "local.*.minimum_wage_monthly";
const LOCAL_DIBAO: &str = "local.*.dibao_standard_monthly";

/// The first month of the benefit (after registering as unemployed).
pub static START: Variable = input("unemployment_start")
    .label("开始领取失业保险金月份", "First month of the unemployment benefit")
    .value(ValueType::Month, PeriodKind::Eternity)
    .reference("社会保险法 第四十五条")
    .otherwise(Value::Absent);

/// Months of unemployment insurance contribution (employer and worker).
pub static CONTRIBUTION: Variable = input("unemployment_contribution_months")
    .label("失业保险累计缴费（月）", "Months of unemployment insurance contribution")
    .value(ValueType::Count, PeriodKind::Eternity)
    .reference("社会保险法 第四十五条、第四十六条")
    .otherwise(Value::Count(0));

/// Entitlement left unused from an earlier spell, added up to the maximum.
pub static CARRIED: Variable = input("unemployment_carried_months")
    .label("前次失业应领而未领的月数", "Months of entitlement carried over from an earlier spell")
    .value(ValueType::Count, PeriodKind::Eternity)
    .reference("社会保险法 第四十六条")
    .otherwise(Value::Count(0));

/// The locality's monthly unemployment benefit (local parameter).
pub static AMOUNT: Variable = input("unemployment_benefit_amount")
    .label("当地失业保险金月标准", "Local monthly unemployment benefit")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会保险法 第四十七条")
    .otherwise(Value::Absent);

/// The local minimum wage (最低工资标准), to check the benefit against.
pub static MINIMUM_WAGE: Variable = input("local_minimum_wage")
    .label("当地最低工资标准（月）", "Local monthly minimum wage")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("失业保险条例 第十八条")
    .otherwise(Value::Absent);

/// The local urban 低保 standard, to check the benefit against.
pub static DIBAO: Variable = input("local_dibao_standard")
    .label("当地城市居民最低生活保障标准（月）", "Local urban minimum living standard (monthly)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会保险法 第四十七条")
    .otherwise(Value::Absent);

/// 领取期限: months of benefit: by contribution (12 to 5 years, 18 to 10, 24
/// beyond), plus carried-over entitlement, at most 24; none under one year.
pub static ENTITLED_MONTHS: Variable = formula("unemployment.entitled_months")
    .label("失业保险金领取期限（月）", "Months of unemployment benefit")
    .value(ValueType::Count, PeriodKind::Eternity)
    .reference("社会保险法 第四十五条、第四十六条")
    .reads(&[&START, &CONTRIBUTION, &CARRIED])
    .params(&[MINIMUM, DURATION, MAXIMUM])
    .compute(|ev, e, _| {
        let Some(start) = ev.month(&START, e, Period::Eternity)? else { return Ok(Value::Count(0)) };
        let day = start.first_day();
        let months = ev.count(&CONTRIBUTION, e, Period::Eternity)?;
        let carried = ev.count(&CARRIED, e, Period::Eternity)?;
        let minimum = ev.count_param(MINIMUM, day)?;
        let Some(minsheng_core::params::ParamValue::Counts(table)) = ev.param(DURATION, day)? else {
            return Ok(Value::Count(0));
        };
        let maximum = ev.count_param(MAXIMUM, day)?;
        Ok(Value::Count(entitled_months(months, carried, minimum, &table, maximum)))
    });

/// The months of benefit for `months` of contribution and `carried` months
/// left from an earlier spell: none under `minimum` months of contribution,
/// else the longest duration whose threshold (`table`'s keys, in months of
/// contribution) the record reaches, plus the carried months, at most
/// `maximum` (社会保险法 第四十六条).
pub(crate) fn entitled_months(
    months: i64,
    carried: i64,
    minimum: i64,
    table: &std::collections::BTreeMap<String, i64>,
    maximum: i64,
) -> i64 {
    let own = if months < minimum {
        0
    } else {
        table
            .iter()
            .filter_map(|(from, duration)| from.parse::<i64>().ok().map(|f| (f, *duration)))
            .filter(|(from, _)| months >= *from)
            .map(|(_, duration)| duration)
            .max()
            .unwrap_or(0)
    };
    (own + carried).min(maximum)
}

/// Whether the benefit is paid in month `m` of a spell from `start` with
/// `entitled` months.
#[inline]
pub(crate) fn paid_in(start: Month, entitled: i64, m: Month) -> bool {
    m >= start && i64::from(start.months_until(m)) < entitled
}

/// 失业保险金: the benefit paid in the month, within the entitled months.
pub static BENEFIT: Variable = formula("unemployment.benefit")
    .label("失业保险金", "Unemployment benefit paid this month")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("社会保险法 第四十七条；失业保险条例 第十八条")
    .reads(&[&START, &ENTITLED_MONTHS, &AMOUNT, &MINIMUM_WAGE, &DIBAO, &LOCALITY])
    .params(&[LOCAL_MINIMUM_WAGE, LOCAL_DIBAO])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let Some(start) = ev.month(&START, e, Period::Eternity)? else { return Ok(Value::Money(Money::ZERO)) };
        let entitled = ev.count(&ENTITLED_MONTHS, e, Period::Eternity)?;
        if !paid_in(start, entitled, m) {
            return Ok(Value::Money(Money::ZERO));
        }
        let year = Period::Year(m.year());
        let field = format!("persons.{}.unemployment_benefit_amount.{}", person_id(ev, e), m.year());
        let Value::Money(amount) = ev.get(&AMOUNT, e, year)? else {
            return Err(InputError::new(
                field,
                "(missing)",
                "the benefit is set locally: give the locality's monthly amount",
            )
            .zh("失业保险金标准由各地确定：请给出当地的月标准")
            .into());
        };
        // The bounds: as given, or as the person's locality file sets them.
        let loc = ev.text(&LOCALITY, e, Period::Eternity)?;
        // A bound the locality's file does not know is not checked, and the result says so.
        let mut bound = |input: &'static Variable, pattern: &'static str| -> Result<Option<Money>, EvalError> {
            match (ev.get(input, e, year)?, &loc) {
                (Value::Money(v), _) => Ok(Some(v)),
                (_, Some(l)) => match ev.amount_if_in_force(minsheng_core::local(pattern, l), m.first_day()) {
                    Err(EvalError::Unknown(u)) => {
                        let key = pattern.rsplit('.').next().unwrap_or(pattern);
                        ev.assume(
                            u,
                            minsheng_core::Label {
                                zh: format!("当地 {key} 未知，未据此核对失业保险金；可提供 {}", input.name),
                                en: format!(
                                    "the locality's {key} is not known, so the benefit is not checked against it; give {}",
                                    input.name
                                ),
                            },
                        );
                        Ok(None)
                    }
                    known => known,
                },
                _ => Ok(None),
            }
        };
        let (minimum_wage, dibao) = (bound(&MINIMUM_WAGE, LOCAL_MINIMUM_WAGE)?, bound(&DIBAO, LOCAL_DIBAO)?);
        if let Some(wage) = minimum_wage
            && amount >= wage
        {
            return Err(InputError::new(
                field,
                amount.grouped(),
                format!("the benefit must be below the minimum wage ({})", wage.grouped()),
            )
            .zh(format!("失业保险金不得高于最低工资标准（{}）", wage.grouped()))
            .into());
        }
        if let Some(dibao) = dibao
            && amount < dibao
        {
            return Err(InputError::new(
                field,
                amount.grouped(),
                format!("the benefit may not be below the 低保 standard ({})", dibao.grouped()),
            )
            .zh(format!("失业保险金不得低于低保标准（{}）", dibao.grouped()))
            .into());
        }
        Ok(Value::Money(amount))
    });

/// The year's unemployment benefit.
pub static ANNUAL: Variable = formula("unemployment.annual_benefit")
    .label("全年失业保险金", "Unemployment benefit received in the year")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会保险法 第四十七条")
    .reads(&[&BENEFIT])
    .compute(|ev, e, p| Ok(Value::Money(ev.sum_months(&BENEFIT, e, Month::of_year(ev.this_year(p)?))?)));

/// The unemployment inputs.
pub static INPUTS: &[&Variable] = &[&START, &CONTRIBUTION, &CARRIED, &AMOUNT, &MINIMUM_WAGE, &DIBAO];

/// The computed unemployment variables.
pub static VARIABLES: &[&Variable] = &[&ENTITLED_MONTHS, &BENEFIT, &ANNUAL];
