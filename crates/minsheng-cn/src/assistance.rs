//! Social assistance (社会救助): the minimum living guarantee (低保) of a
//! household (support for the destitute is in [`crate::destitute`]).
//!
//! 低保: a household whose counted income per member is below the local
//! standard (and which passes the local asset test) receives each month the
//! standard times its members less its counted monthly income. Counted income
//! is the members' disposable income (the childcare subsidy left out) plus
//! other income the household declares, averaged over the year. The local
//! standard is a household input; without it the national AVERAGE standard for
//! urban or rural areas applies, labelled as an average.

use minsheng_core::money::Money;
use minsheng_core::{Entity, EvalError, Month, Period, PeriodKind, Value, ValueType, Variable};

use crate::define::{formula, household_formula, household_input};
use crate::statement::DISPOSABLE;
use crate::util::money;

pub(crate) const URBAN_AVERAGE: &str = "assistance.dibao.urban_average_monthly";
pub(crate) const RURAL_AVERAGE: &str = "assistance.dibao.rural_average_annual";
pub(crate) const LOCAL_DIBAO: &str = "local.*.dibao_standard_monthly";

pub(crate) const EXCLUDES_BASIC_PENSION: &str = "assistance.dibao.excludes_central_basic_pension";

/// 不计入家庭收入的基础养老金: of a residents' pension `paid` in a month, the part
/// the means test leaves out while the exclusion is in force: the central
/// minimum basic pension, or the whole pension where it is less (民发〔2021〕57号
/// 第十三条第二款第（三）项).
#[inline]
pub(crate) fn basic_pension_not_counted(paid: Money, central_minimum: Money) -> Money {
    paid.min(central_minimum).max_zero()
}

/// 不计入的中央基础养老金（当月）: the central basic pension within this month's
/// residents' pension, which 低保 does not count during the 14th Five-Year Plan.
pub static BASIC_PENSION_NOT_COUNTED: Variable = formula("assistance.basic_pension_not_counted")
    .label("不计入低保家庭收入的中央基础养老金（当月）", "Central basic pension not counted for dibao (this month)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("民发〔2021〕57号 第十三条")
    .reads(&[&crate::pension::resident::MONTHLY])
    .params(&[EXCLUDES_BASIC_PENSION, crate::pension::resident::MINIMUM])
    .compute(|ev, e, p| {
        let paid = ev.money(&crate::pension::resident::MONTHLY, e, p)?;
        let day = ev.this_month(p)?.first_day();
        if paid.is_zero() || !ev.flag_param(EXCLUDES_BASIC_PENSION, day)? {
            return money(Money::ZERO);
        }
        money(basic_pension_not_counted(paid, ev.amount(crate::pension::resident::MINIMUM, day)?))
    });

/// 低保核算收入: disposable income less what the means test leaves out: the
/// childcare subsidy, and the central basic pension while that is excluded.
pub static COUNTED_FOR_DIBAO: Variable = formula("income.counted_for_dibao")
    .label("低保家庭收入核算中计入的收入", "Income counted in the dibao means test")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会救助暂行办法 第九条；育儿补贴制度实施方案；民发〔2021〕57号 第十三条")
    .reads(&[&DISPOSABLE, &crate::childcare::ANNUAL_SUBSIDY, &BASIC_PENSION_NOT_COUNTED])
    .compute(|ev, e, p| {
        let not_counted = ev.sum_months(&BASIC_PENSION_NOT_COUNTED, e, Month::of_year(ev.this_year(p)?))?;
        money(ev.money(&DISPOSABLE, e, p)? - ev.money(&crate::childcare::ANNUAL_SUBSIDY, e, p)? - not_counted)
    });

/// The choices of [`AREA`].
pub const AREAS: &[&str] = &["urban", "rural"];

/// 城乡类别: whether the household is urban or rural, for the national average standard.
pub static AREA: Variable = household_input("area")
    .label("城乡类别", "Urban or rural")
    .value(ValueType::Choice(AREAS), PeriodKind::Eternity)
    .reference("社会救助暂行办法 第十条")
    .otherwise(Value::Absent);

/// 当地低保标准: the local standard per person per month (local parameter).
pub static LOCAL_STANDARD: Variable = household_input("dibao_standard")
    .label("当地低保标准（每人每月）", "Local dibao standard (per person per month)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会救助暂行办法 第十条")
    .otherwise(Value::Absent);

/// Income the model does not compute (business, property, private transfers), counted in the means test.
pub static OTHER_INCOME: Variable = household_input("other_counted_income")
    .label("其他计入收入（经营、财产、赡养等）", "Other counted income (business, property, private transfers)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会救助暂行办法 第九条")
    .otherwise(Value::Money(Money::ZERO));

/// Whether the household meets the local asset conditions. Taken as met unless given.
pub static ASSETS_OK: Variable = household_input("meets_asset_test")
    .label("符合当地家庭财产状况规定", "Meets the local asset conditions")
    .value(ValueType::Bool, PeriodKind::Year)
    .reference("社会救助暂行办法 第九条")
    .otherwise(Value::Bool(true));

/// 低保标准（当月）: the standard that applies: the household's own, else
/// that of the first member's locality file, else the national average.
pub static STANDARD: Variable = household_formula("assistance.dibao_standard")
    .label("适用的低保标准（每人每月）", "Dibao standard applied (per person per month)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("社会救助暂行办法 第十条")
    .reads(&[&LOCAL_STANDARD, &AREA, &crate::social_insurance::inputs::LOCALITY])
    .params(&[URBAN_AVERAGE, RURAL_AVERAGE, LOCAL_DIBAO])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        if let Value::Money(local) = ev.get(&LOCAL_STANDARD, e, Period::Year(m.year()))? {
            return Ok(Value::Money(local));
        }
        let day = m.first_day();
        let members = match e {
            Entity::Household(h) => ev.situation().households.get(h).map(|h| h.members.clone()).unwrap_or_default(),
            Entity::Person(_) => Vec::new(),
        };
        for member in members {
            if let Some(loc) =
                ev.text(&crate::social_insurance::inputs::LOCALITY, Entity::Person(member), Period::Eternity)?
            {
                match ev.amount_if_in_force(minsheng_core::local(LOCAL_DIBAO, &loc), day) {
                    Ok(Some(standard)) => return Ok(Value::Money(standard)),
                    Ok(None) => {}
                    // A locality whose standard is not known stops 低保 only where it is assessed.
                    Err(EvalError::Unknown(_)) if ev.choice(&AREA, e, Period::Eternity)?.is_none() => {
                        return Ok(Value::Absent);
                    }
                    Err(error) => return Err(error),
                }
                break;
            }
        }
        let average = match ev.choice(&AREA, e, Period::Eternity)? {
            None => return Ok(Value::Absent),
            Some("rural") => ev.amount_if_in_force(RURAL_AVERAGE, day)?.map(rural_monthly_standard),
            Some(_) => ev.amount_if_in_force(URBAN_AVERAGE, day)?,
        };
        match average {
            Some(monthly) => Ok(Value::Money(monthly)),
            _ => {
                let id = match e {
                    Entity::Household(h) => ev.situation().households.get(h).map_or(String::new(), |h| h.id.clone()),
                    Entity::Person(_) => String::new(),
                };
                Err(EvalError::Unknown(std::sync::Arc::new(minsheng_core::Unknown::input(
                    format!("households.{id}.dibao_standard.{}", m.year()),
                    vec!["dibao_standard".into()],
                    minsheng_core::Label {
                        zh: format!("{} 年全国低保平均标准不详", m.year()),
                        en: format!("no national average dibao standard is known for {}", m.year()),
                    },
                ))))
            }
        }
    });

/// 家庭核算收入（年）: the members' counted income plus other counted income.
pub static COUNTED_INCOME: Variable = household_formula("assistance.dibao_counted_income")
    .label("低保核算的家庭年收入", "Household income counted for dibao (year)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会救助暂行办法 第九条")
    .reads(&[&COUNTED_FOR_DIBAO, &OTHER_INCOME])
    .compute(|ev, e, p| Ok(Value::Money(ev.members_sum(&COUNTED_FOR_DIBAO, e, p)? + ev.money(&OTHER_INCOME, e, p)?)));

/// 低保金（当月）: the standard times the members, less counted monthly income, if positive.
pub static DIBAO: Variable = household_formula("assistance.dibao")
    .label("低保金（当月）", "Dibao paid this month")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("社会救助暂行办法 第九条、第十一条")
    .reads(&[&STANDARD, &ASSETS_OK, &COUNTED_INCOME])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        let Value::Money(standard) = ev.get(&STANDARD, e, p)? else { return Ok(Value::Money(Money::ZERO)) };
        let year = Period::Year(m.year());
        if !ev.flag(&ASSETS_OK, e, year)? {
            return Ok(Value::Money(Money::ZERO));
        }
        let Entity::Household(h) = e else { return Ok(Value::Money(Money::ZERO)) };
        let size = ev.situation().households.get(h).map_or(0, |h| h.members.len()) as i64;
        Ok(Value::Money(dibao_month(standard, size, monthly_counted(ev.money(&COUNTED_INCOME, e, year)?))))
    });

/// The counted income of a month: a twelfth of the year's, rounded half away
/// from zero to the fen (社会救助暂行办法 第九条: 家庭人均收入 by month).
#[inline]
pub(crate) fn monthly_counted(counted_in_year: Money) -> Money {
    counted_in_year.div_round(12).unwrap_or(counted_in_year)
}

/// 低保金 of a month: the standard times the household's members, less the
/// month's counted income, never below zero (社会救助暂行办法 第十一条).
#[inline]
pub(crate) fn dibao_month(standard: Money, members: i64, monthly_counted: Money) -> Money {
    (standard.times(members) - monthly_counted).max_zero()
}

/// Whether the national average 低保 standards (urban and rural) are known in
/// `year` (on 30 June): where they are not, 低保 by the national average
/// cannot be assessed, and a population run says so rather than guess.
pub fn national_average_known(params: &minsheng_core::ParamSet, year: i32) -> bool {
    let mid = jiff::civil::date(year as i16, 6, 30);
    [URBAN_AVERAGE, RURAL_AVERAGE].iter().all(|p| params.lookup(p, mid, None).is_ok_and(|f| f.entry.value.is_some()))
}

/// The national average rural standard is published per person and year: a
/// month's is a twelfth of it, rounded half away from zero to the fen.
#[inline]
pub(crate) fn rural_monthly_standard(annual: Money) -> Money {
    annual.div_round(12).unwrap_or(annual)
}

/// The year's 低保.
pub static DIBAO_ANNUAL: Variable = household_formula("assistance.dibao_annual")
    .label("低保金（全年）", "Dibao for the year")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("社会救助暂行办法 第十一条")
    .reads(&[&DIBAO])
    .compute(|ev, e, p| Ok(Value::Money(ev.sum_months(&DIBAO, e, Month::of_year(ev.this_year(p)?))?)));

/// The assistance inputs.
pub static INPUTS: &[&Variable] = &[&AREA, &LOCAL_STANDARD, &OTHER_INCOME, &ASSETS_OK];

/// The computed assistance variables.
pub static VARIABLES: &[&Variable] =
    &[&BASIC_PENSION_NOT_COUNTED, &COUNTED_FOR_DIBAO, &STANDARD, &COUNTED_INCOME, &DIBAO, &DIBAO_ANNUAL];
