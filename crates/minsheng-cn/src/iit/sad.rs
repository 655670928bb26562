//! Special additional deductions (专项附加扣除), month by month, under the
//! Interim Measures (国发〔2018〕41号) and their amendments.
//!
//! Child education and infant care are figures of the child (the full amount
//! for that child), shared out to the parents who claim them by the shares
//! on the child's `claimants`.

use minsheng_core::money::Money;
use minsheng_core::period::month_reaching_age;
use minsheng_core::{Entity, Eval, EvalError, InputError, Period, PeriodKind, Value, ValueType, Variable};

use super::formula;
use super::inputs::{
    CERTIFICATE, CLAIMANTS, DECLARED, DEGREE_EDUCATION, DEGREE_PRIOR_MONTHS, EDUCATION_END, ELDERLY_SHARE,
    ELDERLY_SIBLINGS, ELDERLY_SUPPORT as ELDERLY_MODE, ILLNESS_COSTS, MORTGAGE, MORTGAGE_PRIOR_MONTHS,
    PARENT_BIRTH_DATE, RENT_CITIES, RENT_CITY,
};
use crate::person::BIRTH_DATE;
use crate::util::{months_through, person_id, year_end};

pub(crate) const PER_CHILD: &str = "iit.special_additional.child_education_per_child";
pub(crate) const START_AGE: &str = "iit.special_additional.child_education_start_age";
pub(crate) const INFANT: &str = "iit.special_additional.infant_care_per_child";
pub(crate) const INFANT_END_AGE: &str = "iit.special_additional.infant_care_end_age";
const DEGREE_MONTHLY: &str = "iit.special_additional.degree_education_monthly";
const DEGREE_MAX: &str = "iit.special_additional.degree_education_max_months";
const CERTIFICATE_AMOUNT: &str = "iit.special_additional.professional_certificate";
const LOAN_MONTHLY: &str = "iit.special_additional.housing_loan_interest_monthly";
const LOAN_MAX: &str = "iit.special_additional.housing_loan_max_months";
const RENT_TABLE: &str = "iit.special_additional.housing_rent_monthly";
pub(crate) const ELDERLY_TOTAL: &str = "iit.special_additional.elderly_support_total";
pub(crate) const ELDERLY_CAP: &str = "iit.special_additional.elderly_support_sibling_cap";
pub(crate) const PARENT_AGE: &str = "iit.special_additional.elderly_support_parent_age";
pub(crate) const ILLNESS_THRESHOLD: &str = "iit.special_additional.serious_illness_threshold";
pub(crate) const ILLNESS_CAP: &str = "iit.special_additional.serious_illness_cap";

fn child_birth(ev: &mut Eval<'_>, e: Entity) -> Result<jiff::civil::Date, EvalError> {
    ev.date(&BIRTH_DATE, e, Period::Eternity)?.ok_or_else(|| {
        EvalError::Input(
            InputError::new(
                format!("persons.{}.birth_date", person_id(ev, e)),
                "(missing)",
                "a child whose deductions are claimed needs a date of birth",
            )
            .zh("申报扣除的子女需要出生日期"),
        )
    })
}

/// 子女教育（按子女）: the child education deduction for this child, before it is
/// shared: from the month the child turns 3 to the month full-time education ends.
pub static CHILD_EDUCATION_PER_CHILD: Variable = formula("iit.sad.child_education_per_child")
    .label("子女教育扣除（按子女全额）", "Child education deduction for this child (full amount)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔2018〕41号 第五条")
    .reads(&[&CLAIMANTS, &BIRTH_DATE, &EDUCATION_END])
    .params(&[PER_CHILD, START_AGE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        if ev.shares(&CLAIMANTS, e, Period::Eternity)?.is_empty() {
            return Ok(Value::Money(Money::ZERO));
        }
        let birth = child_birth(ev, e)?;
        let start_age = ev.count_param(START_AGE, m.first_day())?;
        let ended = ev.month(&EDUCATION_END, e, Period::Eternity)?.is_some_and(|end| m > end);
        if m < month_reaching_age(birth, start_age as i32) || ended {
            return Ok(Value::Money(Money::ZERO));
        }
        Ok(Value::Money(ev.amount(PER_CHILD, m.first_day())?))
    });

/// 3岁以下婴幼儿照护（按子女）: the infant-care deduction for this child, before
/// it is shared: from the month of birth to the month before the 3rd birthday.
pub static INFANT_CARE_PER_CHILD: Variable = formula("iit.sad.infant_care_per_child")
    .label("婴幼儿照护扣除（按子女全额）", "Infant care deduction for this child (full amount)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔2022〕8号 第一条")
    .reads(&[&CLAIMANTS, &BIRTH_DATE])
    .params(&[INFANT, INFANT_END_AGE])
    .compute(|ev, e, p| {
        let m = ev.this_month(p)?;
        if ev.shares(&CLAIMANTS, e, Period::Eternity)?.is_empty() {
            return Ok(Value::Money(Money::ZERO));
        }
        let Some(amount) = ev.amount_if_in_force(INFANT, m.first_day())? else {
            return Ok(Value::Money(Money::ZERO));
        };
        let birth = child_birth(ev, e)?;
        let end_age = ev.count_param(INFANT_END_AGE, m.first_day())?;
        let eligible = minsheng_core::Month::of(birth) <= m && m < month_reaching_age(birth, end_age as i32);
        Ok(Value::Money(if eligible { amount } else { Money::ZERO }))
    });

/// This person's share of the deductions of the children who list them as
/// claimant (found through the situation's index of claims, not by scanning
/// every person).
/// 赡养老人 shared equally: the monthly amount divided among the `children`
/// (rounded half away from zero to the fen), within the cap on each share
/// (国发〔2018〕41号 第二十二条; 国发〔2023〕13号); an only child (one child) takes it whole.
#[inline]
pub(crate) fn elderly_share(total: Money, children: i64, cap: Money) -> Money {
    if children <= 1 { total } else { total.div_round(children).unwrap_or(total).min(cap) }
}

fn claimed_share(ev: &mut Eval<'_>, e: Entity, p: Period, per_child: &'static Variable) -> Result<Value, EvalError> {
    let mut total = Money::ZERO;
    for (child, share) in ev.named_in(&CLAIMANTS, e)? {
        if Entity::Person(child) != e {
            total += ev.money(per_child, Entity::Person(child), p)?.mul_rate(share);
        }
    }
    Ok(Value::Money(total))
}

/// The amount the taxpayer declared for `item` in the month, if any, checked
/// against the standard in force (with full knowledge: a declaration made
/// under the old standard stays valid after a retroactive rise).
fn declared(ev: &mut Eval<'_>, e: Entity, p: Period, item: &'static str) -> Result<Option<Money>, EvalError> {
    let m = ev.this_month(p)?;
    let Some(amount) = ev.amount_by(&DECLARED, e, p, item)? else { return Ok(None) };
    if amount.is_zero() || ev.known_at().is_some() {
        return Ok(Some(amount));
    }
    let day = m.first_day();
    let fail = |ev: &Eval<'_>, rule: String, rule_zh: String| -> EvalError {
        let field = format!("persons.{}.declared_deductions.{m}.{item}", person_id(ev, e));
        InputError::new(field, amount.grouped(), rule).zh(rule_zh).into()
    };
    // A parent claims a child's whole standard or half of it: the amount must
    // be a whole number of halves. `None` when it is; else the standard and its half, as shown.
    let off_halves = |per_child: Money| -> Option<(String, String)> {
        let half = per_child.div_round(2).unwrap_or(per_child);
        let whole_halves = !half.is_zero() && amount.fen() % half.fen() == 0;
        (!whole_halves).then(|| (per_child.grouped(), half.grouped()))
    };
    match item {
        "child_education" => {
            if let Some((whole, half)) = off_halves(ev.amount(PER_CHILD, day)?) {
                let rule = format!(
                    "a parent deducts {whole} a month per child, or half of it (国发〔2018〕41号 第六条): a multiple of {half}"
                );
                let zh = format!("每个子女每月扣除 {whole} 或其一半（国发〔2018〕41号 第六条）：应为 {half} 的整数倍");
                return Err(fail(ev, rule, zh));
            }
        }
        "infant_care" => match ev.amount_if_in_force(INFANT, day)? {
            None => {
                return Err(fail(
                    ev,
                    format!("the infant-care deduction is not in force in {m} (from 2022, 国发〔2022〕8号)"),
                    format!("{m} 婴幼儿照护扣除尚未实施（2022年起，国发〔2022〕8号）"),
                ));
            }
            Some(per_child) => {
                if let Some((whole, half)) = off_halves(per_child) {
                    let rule = format!(
                        "a parent deducts {whole} a month per child under 3, or half of it: a multiple of {half}"
                    );
                    let zh = format!("每个3岁以下婴幼儿每月扣除 {whole} 或其一半：应为 {half} 的整数倍");
                    return Err(fail(ev, rule, zh));
                }
            }
        },
        "continuing_education" => {
            let (degree, certificate) = (ev.amount(DEGREE_MONTHLY, day)?, ev.amount(CERTIFICATE_AMOUNT, day)?);
            if ![degree, certificate, degree + certificate].contains(&amount) {
                let rule = format!(
                    "continuing education is {} a month for a degree, {} in the year of a certificate, or both (国发〔2018〕41号 第八条)",
                    degree.grouped(),
                    certificate.grouped()
                );
                let zh = format!(
                    "继续教育为学历教育每月 {}、取得证书当年 {}，或两者之和（国发〔2018〕41号 第八条）",
                    degree.grouped(),
                    certificate.grouped()
                );
                return Err(fail(ev, rule, zh));
            }
        }
        "housing_loan" => {
            let standard = ev.amount(LOAN_MONTHLY, day)?;
            if amount != standard && Some(amount) != standard.div_round(2) {
                let rule = format!(
                    "mortgage interest is {} a month, or half of it for each spouse (国发〔2018〕41号 第十四条、第十五条)",
                    standard.grouped()
                );
                let zh = format!(
                    "住房贷款利息每月 {}，或夫妻各扣一半（国发〔2018〕41号 第十四条、第十五条）",
                    standard.grouped()
                );
                return Err(fail(ev, rule, zh));
            }
        }
        "housing_rent" => {
            if ev.amount_by(&DECLARED, e, p, "housing_loan")?.is_some_and(|loan| !loan.is_zero()) {
                return Err(fail(
                    ev,
                    "mortgage interest and housing rent cannot both be deducted in the same month (国发〔2018〕41号 第十九条)".into(),
                    "同一月份不能同时扣除住房贷款利息和住房租金（国发〔2018〕41号 第十九条）".into(),
                ));
            }
            let mut standards = Vec::new();
            for city in RENT_CITIES {
                standards.push(ev.table_amount(RENT_TABLE, day, city)?);
            }
            if !standards.contains(&amount) {
                let list: Vec<String> = standards.iter().map(|s| s.grouped()).collect();
                let rule = format!(
                    "housing rent is one of {} a month, by the city (国发〔2018〕41号 第十七条)",
                    list.join(", ")
                );
                let zh = format!("住房租金按城市为每月 {} 之一（国发〔2018〕41号 第十七条）", list.join("、"));
                return Err(fail(ev, rule, zh));
            }
        }
        _ => {
            let total = ev.amount(ELDERLY_TOTAL, day)?;
            if amount > total {
                let rule =
                    format!("elderly support is at most {} a month (国发〔2018〕41号 第二十二条)", total.grouped());
                let zh = format!("赡养老人每月至多 {}（国发〔2018〕41号 第二十二条）", total.grouped());
                return Err(fail(ev, rule, zh));
            }
        }
    }
    Ok(Some(amount))
}

/// 子女教育: this parent's child education deduction for the month: as
/// declared, or the shares of the children claimed.
pub static CHILD_EDUCATION: Variable = formula("iit.sad.child_education")
    .label("子女教育", "Child education")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔2018〕41号 第五条、第六条")
    .reads(&[&DECLARED, &CLAIMANTS, &CHILD_EDUCATION_PER_CHILD])
    .params(&[PER_CHILD])
    .compute(|ev, e, p| match declared(ev, e, p, "child_education")? {
        Some(amount) => Ok(Value::Money(amount)),
        None => claimed_share(ev, e, p, &CHILD_EDUCATION_PER_CHILD),
    });

/// 3岁以下婴幼儿照护: this parent's infant-care deduction for the month: as
/// declared, or the shares of the children claimed.
pub static INFANT_CARE: Variable = formula("iit.sad.infant_care")
    .label("3岁以下婴幼儿照护", "Infant care under 3")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔2022〕8号 第一条、第二条")
    .reads(&[&DECLARED, &CLAIMANTS, &INFANT_CARE_PER_CHILD])
    .params(&[INFANT])
    .compute(|ev, e, p| match declared(ev, e, p, "infant_care")? {
        Some(amount) => Ok(Value::Money(amount)),
        None => claimed_share(ev, e, p, &INFANT_CARE_PER_CHILD),
    });

/// 继续教育: as declared, or degree education (within 48 months for one
/// degree) plus the fixed amount in the month a qualification certificate is obtained.
pub static CONTINUING_EDUCATION: Variable = formula("iit.sad.continuing_education")
    .label("继续教育", "Continuing education")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔2018〕41号 第八条")
    .reads(&[&DECLARED, &DEGREE_EDUCATION, &DEGREE_PRIOR_MONTHS, &CERTIFICATE])
    .params(&[DEGREE_MONTHLY, DEGREE_MAX, CERTIFICATE_AMOUNT])
    .compute(|ev, e, p| {
        if let Some(amount) = declared(ev, e, p, "continuing_education")? {
            return Ok(Value::Money(amount));
        }
        let m = ev.this_month(p)?;
        let mut total = Money::ZERO;
        if ev.flag(&DEGREE_EDUCATION, e, p)? {
            let prior = ev.count(&DEGREE_PRIOR_MONTHS, e, Period::Year(m.year()))?;
            let mut months = 0;
            for k in months_through(m) {
                months += i64::from(ev.flag(&DEGREE_EDUCATION, e, Period::Month(k))?);
            }
            if prior + months <= ev.count_param(DEGREE_MAX, m.first_day())? {
                total += ev.amount(DEGREE_MONTHLY, m.first_day())?;
            }
        }
        if ev.flag(&CERTIFICATE, e, p)? {
            total += ev.amount(CERTIFICATE_AMOUNT, m.first_day())?;
        }
        Ok(Value::Money(total))
    });

/// 住房贷款利息: as declared, or first-home mortgage interest, within 240 months.
pub static HOUSING_LOAN: Variable = formula("iit.sad.housing_loan_interest")
    .label("住房贷款利息", "Mortgage interest")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔2018〕41号 第十四条")
    .reads(&[&DECLARED, &MORTGAGE, &MORTGAGE_PRIOR_MONTHS])
    .params(&[LOAN_MONTHLY, LOAN_MAX])
    .compute(|ev, e, p| {
        if let Some(amount) = declared(ev, e, p, "housing_loan")? {
            return Ok(Value::Money(amount));
        }
        let m = ev.this_month(p)?;
        if !ev.flag(&MORTGAGE, e, p)? {
            return Ok(Value::Money(Money::ZERO));
        }
        let prior = ev.count(&MORTGAGE_PRIOR_MONTHS, e, Period::Year(m.year()))?;
        let mut months = 0;
        for k in months_through(m) {
            months += i64::from(ev.flag(&MORTGAGE, e, Period::Month(k))?);
        }
        if prior + months > ev.count_param(LOAN_MAX, m.first_day())? {
            return Ok(Value::Money(Money::ZERO));
        }
        Ok(Value::Money(ev.amount(LOAN_MONTHLY, m.first_day())?))
    });

/// 住房租金: as declared, or by the category of the main work city.
pub static HOUSING_RENT: Variable = formula("iit.sad.housing_rent")
    .label("住房租金", "Housing rent")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔2018〕41号 第十七条")
    .reads(&[&DECLARED, &RENT_CITY])
    .params(&[RENT_TABLE])
    .compute(|ev, e, p| {
        if let Some(amount) = declared(ev, e, p, "housing_rent")? {
            return Ok(Value::Money(amount));
        }
        let m = ev.this_month(p)?;
        match ev.choice(&RENT_CITY, e, p)? {
            Some(city) => Ok(Value::Money(ev.table_amount(RENT_TABLE, m.first_day(), city)?)),
            None => Ok(Value::Money(Money::ZERO)),
        }
    });

/// 赡养老人: as declared, or from the month the parent turns 60; an only
/// child deducts the whole amount, a sibling their agreed share within the
/// cap, or, sharing equally (均摊), the whole divided by the number of
/// siblings (to the fen), within the cap.
pub static ELDERLY_SUPPORT: Variable = formula("iit.sad.elderly_support")
    .label("赡养老人", "Elderly support")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国发〔2018〕41号 第二十二条、第二十三条")
    .reads(&[&DECLARED, &ELDERLY_MODE, &ELDERLY_SHARE, &ELDERLY_SIBLINGS, &PARENT_BIRTH_DATE])
    .params(&[ELDERLY_TOTAL, ELDERLY_CAP, PARENT_AGE])
    .compute(|ev, e, p| {
        if let Some(amount) = declared(ev, e, p, "elderly_support")? {
            return Ok(Value::Money(amount));
        }
        let m = ev.this_month(p)?;
        let year = Period::Year(m.year());
        let Some(mode) = ev.choice(&ELDERLY_MODE, e, year)? else {
            return Ok(Value::Money(Money::ZERO));
        };
        let id = person_id(ev, e);
        let parent = ev.date(&PARENT_BIRTH_DATE, e, Period::Eternity)?.ok_or_else(|| {
            InputError::new(
                format!("persons.{id}.elderly_parent_birth_date"),
                "(missing)",
                "elderly support needs the supported parent's date of birth (the deduction starts at 60)",
            )
            .zh("赡养老人扣除需要被赡养人的出生日期（年满60岁起扣除）")
        })?;
        let age = ev.count_param(PARENT_AGE, m.first_day())?;
        if m < month_reaching_age(parent, age as i32) {
            return Ok(Value::Money(Money::ZERO));
        }
        if mode == "only_child" {
            return Ok(Value::Money(ev.amount(ELDERLY_TOTAL, m.first_day())?));
        }
        if mode == "shared_equally" {
            let siblings = ev.count(&ELDERLY_SIBLINGS, e, year)?;
            if siblings < 2 {
                return Err(InputError::new(
                    format!("persons.{id}.elderly_support_siblings.{}", m.year()),
                    siblings.to_string(),
                    "sharing equally takes at least two children (an only child gives only_child)",
                )
                .zh("均摊至少需要两名子女（独生子女请选 only_child）")
                .into());
            }
            let total = ev.amount(ELDERLY_TOTAL, m.first_day())?;
            return Ok(Value::Money(elderly_share(total, siblings, ev.amount(ELDERLY_CAP, m.first_day())?)));
        }
        let share = ev.money(&ELDERLY_SHARE, e, year)?;
        let cap = ev.amount(ELDERLY_CAP, m.first_day())?;
        let field = format!("persons.{id}.elderly_support_share.{}", m.year());
        if share.is_zero() {
            return Err(InputError::new(
                field,
                "0",
                "a sibling sharing elderly support gives the agreed monthly share",
            )
            .zh("分摊赡养老人扣除的兄弟姐妹需给出约定的每月分摊额")
            .into());
        }
        if share > cap {
            // Under the law as known before a rise, the payer could only apply
            // the old cap; with full knowledge the share itself is invalid.
            if ev.known_at().is_none() {
                let rule = format!("a sibling may deduct at most {} a month in {}", cap.grouped(), m.year());
                let zh = format!("{} 年每人每月分摊额不超过 {}", m.year(), cap.grouped());
                return Err(InputError::new(field, share.grouped(), rule).zh(zh).into());
            }
            return Ok(Value::Money(cap));
        }
        Ok(Value::Money(share))
    });

/// The month's special additional deductions other than serious illness.
pub static MONTHLY_TOTAL: Variable = formula("iit.sad.monthly_total")
    .label(
        "当月专项附加扣除合计（不含大病医疗）",
        "Special additional deductions for the month (excluding serious illness)",
    )
    .value(ValueType::Money, PeriodKind::Month)
    .reference("个人所得税法 第六条第四款；国发〔2018〕41号")
    .reads(&[&CHILD_EDUCATION, &INFANT_CARE, &CONTINUING_EDUCATION, &HOUSING_LOAN, &HOUSING_RENT, &ELDERLY_SUPPORT])
    .compute(|ev, e, p| {
        let mut total = Money::ZERO;
        for var in
            [&CHILD_EDUCATION, &INFANT_CARE, &CONTINUING_EDUCATION, &HOUSING_LOAN, &HOUSING_RENT, &ELDERLY_SUPPORT]
        {
            total += ev.money(var, e, p)?;
        }
        Ok(Value::Money(total))
    });

/// 大病医疗: out-of-pocket costs above 15,000, up to 80,000; claimed at the
/// annual settlement only.
pub static SERIOUS_ILLNESS: Variable = formula("iit.sad.serious_illness")
    .label("大病医疗", "Serious illness")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国发〔2018〕41号 第十一条；国家税务总局公告2018年第60号")
    .reads(&[&ILLNESS_COSTS, &crate::reimbursement::IIT_BASE])
    .params(&[ILLNESS_THRESHOLD, ILLNESS_CAP])
    .compute(|ev, e, p| {
        let y = ev.this_year(p)?;
        let costs = match ev.get(&ILLNESS_COSTS, e, p)? {
            Value::Money(given) => given,
            _ => ev.money(&crate::reimbursement::IIT_BASE, e, p)?,
        };
        let over = (costs - ev.amount(ILLNESS_THRESHOLD, year_end(y))?).max_zero();
        Ok(Value::Money(over.min(ev.amount(ILLNESS_CAP, year_end(y))?)))
    });
