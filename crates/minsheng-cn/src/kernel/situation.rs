//! The situation of a kernel household: the same description of its members
//! given to the formulas, so that a population member is described once
//! ([`Person`], [`Household`]) and both readings of the rules take it.

use std::sync::Arc;

use minsheng_core::situation::{Household as SituationHousehold, Inputs, Person as SituationPerson};
use minsheng_core::{Month, Period, Rate, Situation, Value, Variable};

use super::{Area, Household, Person};
use crate::assistance;
use crate::iit::inputs as iit;
use crate::pension::inputs as pension;
use crate::social_insurance::inputs as si;

fn set(inputs: &mut Inputs, var: &'static Variable, period: Period, value: Value) {
    inputs.entry(var.name).or_default().insert(period, value);
}

/// The inputs of one member for `year`, insured in `locality`.
fn person_inputs(p: &Person<'_>, year: i32, locality: &str) -> Inputs {
    let mut inputs = Inputs::new();
    set(&mut inputs, &crate::person::BIRTH_DATE, Period::Eternity, Value::Date(p.birth));
    let paid = !p.monthly_wage.is_zero();
    if paid {
        for month in Month::of_year(year) {
            set(&mut inputs, &crate::person::WAGE, Period::Month(month), Value::Money(p.monthly_wage));
        }
    }
    if p.insured {
        set(&mut inputs, &si::LOCALITY, Period::Eternity, Value::Text(Arc::from(locality)));
    } else if paid || p.flexible_share.is_some() {
        // A wage earner is insured unless said otherwise (社会保险法 第五十八条).
        set(&mut inputs, &si::INSURED, Period::Year(year), Value::Bool(false));
    }
    if let Some(tier) = p.flexible_share {
        set(&mut inputs, &si::FLEXIBLE, Period::Year(year), Value::Bool(true));
        set(&mut inputs, &si::FLEXIBLE_BASE_SHARE, Period::Year(year), Value::Number(tier));
    }
    if !p.claimants.is_empty() {
        let share = Rate::from_percent(100 / p.claimants.len() as i64);
        let shares: Vec<(usize, Rate)> = p.claimants.iter().map(|c| (*c, share)).collect();
        set(&mut inputs, &iit::CLAIMANTS, Period::Eternity, Value::Shares(Arc::from(shares)));
    }
    if let Some(parent) = p.elderly_parent {
        let (mode, siblings) =
            if parent.children <= 1 { ("only_child", 0) } else { ("shared_equally", parent.children) };
        set(&mut inputs, &iit::ELDERLY_SUPPORT, Period::Year(year), Value::Choice(mode));
        set(&mut inputs, &iit::ELDERLY_SIBLINGS, Period::Year(year), Value::Count(i64::from(siblings)));
        set(&mut inputs, &iit::PARENT_BIRTH_DATE, Period::Eternity, Value::Date(parent.birth));
    }
    if let Some(last) = p.pension_last_december {
        set(&mut inputs, &pension::LAST_DECEMBER, Period::Year(year), Value::Money(last));
    }
    if let Some(spell) = p.unemployment {
        set(&mut inputs, &crate::unemployment::START, Period::Eternity, Value::Month(spell.start));
        let months = Value::Count(spell.contribution_months);
        set(&mut inputs, &crate::unemployment::CONTRIBUTION, Period::Eternity, months);
        set(&mut inputs, &crate::unemployment::AMOUNT, Period::Year(year), Value::Money(spell.monthly_amount));
    }
    if let Some(fee) = p.preschool_fee {
        set(&mut inputs, &crate::preschool::ENROLLED, Period::Year(year), Value::Bool(true));
        set(&mut inputs, &crate::preschool::FEE, Period::Year(year), Value::Money(fee));
    }
    if let Some(account) = p.resident_pension {
        set(&mut inputs, &pension::RESIDENT_ENROLLED, Period::Eternity, Value::Bool(true));
        set(&mut inputs, &pension::RESIDENT_MONTHS, Period::Eternity, Value::Count(account.months));
        set(&mut inputs, &pension::RESIDENT_ACCOUNT, Period::Eternity, Value::Money(account.account));
    }
    inputs
}

impl Household<'_> {
    /// The situation the formulas compute for this household in `year`, its
    /// insured members in `locality`: persons `p0`, `p1`, … in one household `h`.
    pub fn situation(&self, year: i32, locality: &str) -> Situation {
        let persons: Vec<SituationPerson> = self
            .members
            .iter()
            .enumerate()
            .map(|(i, p)| SituationPerson { id: format!("p{i}"), inputs: person_inputs(p, year, locality) })
            .collect();
        let mut inputs = Inputs::new();
        if let Some(area) = self.area {
            let area = match area {
                Area::Urban => "urban",
                Area::Rural => "rural",
            };
            set(&mut inputs, &assistance::AREA, Period::Eternity, Value::Choice(area));
        }
        if let Some(standard) = self.local_standard {
            set(&mut inputs, &assistance::LOCAL_STANDARD, Period::Year(year), Value::Money(standard));
        }
        set(&mut inputs, &assistance::OTHER_INCOME, Period::Year(year), Value::Money(self.other_income));
        set(&mut inputs, &assistance::ASSETS_OK, Period::Year(year), Value::Bool(self.meets_asset_test));
        let members = (0..persons.len()).collect();
        Situation::new(year, persons, vec![SituationHousehold { id: "h".into(), members, inputs }])
    }
}
