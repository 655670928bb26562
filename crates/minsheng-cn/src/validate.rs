//! Checks on a situation that the rules impose across inputs: the locality
//! exists, how a child's deductions may be split, rent and mortgage interest
//! not both, one annual bonus a year.

use minsheng_core::situation::InputError;
use minsheng_core::{ParamSet, Period, Rate, Situation, Value};

use crate::iit::inputs::{ANNUAL_BONUS, CLAIMANTS, MORTGAGE, RENT_CITY};
use crate::social_insurance::inputs::LOCALITY;

/// Checks the cross-input rules; each error names the field, the value and the rule.
pub(crate) fn check(s: &Situation, params: &ParamSet) -> Vec<InputError> {
    let localities = localities(params);
    let mut errs = Vec::new();
    for (i, person) in s.persons.iter().enumerate() {
        check_person(s, i, person, &localities, &mut errs);
    }
    errs
}

fn check_person(
    s: &Situation,
    i: usize,
    person: &minsheng_core::situation::Person,
    localities: &[String],
    errs: &mut Vec<InputError>,
) {
    {
        if let Some(Value::Text(loc)) = person.inputs.get(LOCALITY.name).and_then(|v| v.get(&Period::Eternity))
            && !localities.iter().any(|l| l == &**loc)
        {
            errs.push(
                InputError::new(
                    format!("persons.{}.locality", person.id),
                    loc,
                    format!(
                        "no locality file has this id; available: {} (add one under rules/params/local/)",
                        localities.join(", ")
                    ),
                )
                .zh(format!(
                    "没有此编号的参保地文件；可用的有：{}（可在 rules/params/local/ 下添加）",
                    localities.join("、")
                )),
            );
        }
        if let Some(Value::Shares(shares)) = person.inputs.get(CLAIMANTS.name).and_then(|v| v.get(&Period::Eternity)) {
            let field = format!("persons.{}.claimants", person.id);
            let mut total = 0;
            for (p, share) in shares.iter() {
                let claimant = &s.persons[*p].id;
                if *p == i {
                    errs.push(
                        InputError::new(&field, claimant, "a child cannot claim its own deduction")
                            .zh("子女不能申报自己的扣除"),
                    );
                    continue;
                }
                if *share != Rate::from_percent(50) && *share != Rate::from_percent(100) {
                    errs.push(
                        InputError::new(
                            format!("{field}.{claimant}"),
                            share,
                            "parents split a child's deduction 100/0 or 50/50 (国发〔2018〕41号 第六条)",
                        )
                        .zh("父母按 100/0 或 50/50 分摊子女的扣除（国发〔2018〕41号 第六条）"),
                    );
                    continue;
                }
                total += if *share == Rate::ONE { 100 } else { 50 };
            }
            if total > 100 {
                errs.push(
                    InputError::new(
                        &field,
                        format!("{total}%"),
                        "the parents' shares of one child add up to at most 100%",
                    )
                    .zh("父母对同一子女的扣除比例合计不超过 100%"),
                );
            }
        }
        let months = |name| person.inputs.get(name).into_iter().flat_map(|v| v.iter());
        for (period, value) in months(MORTGAGE.name) {
            let rent = person.inputs.get(RENT_CITY.name).and_then(|r| r.get(period));
            if *value == Value::Bool(true) && rent.is_some() {
                errs.push(
                    InputError::new(
                        format!("persons.{}.rent_city.{period}", person.id),
                        rent.map(|r| r.to_string()).unwrap_or_default(),
                        "mortgage interest and housing rent cannot both be deducted in the same month (国发〔2018〕41号 第十九条)",
                    )
                    .zh("同一月份不能同时扣除住房贷款利息和住房租金（国发〔2018〕41号 第十九条）"),
                );
            }
        }
        let bonus_months: Vec<_> =
            months(ANNUAL_BONUS.name).filter(|(_, v)| !matches!(v, Value::Money(m) if m.is_zero())).collect();
        if bonus_months.len() > 1 {
            errs.push(
                InputError::new(
                    format!("persons.{}.annual_bonus", person.id),
                    bonus_months.iter().map(|(p, _)| p.to_string()).collect::<Vec<_>>().join(", "),
                    "one annual one-time bonus a year may be taxed as such; give other bonuses as wages",
                )
                .zh("每年只有一次全年一次性奖金可以按此计税；其他奖金请作为工资给出"),
            );
        }
    }
}

/// The ids of the locality files (`local.<id>.*` parameters).
pub(crate) fn localities(params: &ParamSet) -> Vec<String> {
    let mut ids: Vec<String> =
        params.iter().filter_map(|p| p.path.strip_prefix("local.")?.split('.').next().map(str::to_string)).collect();
    ids.dedup();
    ids
}
