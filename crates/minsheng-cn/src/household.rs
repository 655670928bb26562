//! Household totals (家庭户合计).

use minsheng_core::money::Money;
use minsheng_core::{Entity, EntityKind, Knowledge, PeriodKind, Source, Value, ValueType, Variable};

use crate::iit::annual::TOTAL;

/// The individual income tax of all members for the year.
pub static IIT: Variable = Variable {
    name: "household.iit",
    label_zh: "家庭成员个人所得税合计",
    label_en: "Individual income tax of the household",
    value_type: ValueType::Money,
    entity: EntityKind::Household,
    period: PeriodKind::Year,
    reference: "个人所得税法",
    knowledge: Knowledge::Inherit,
    source: Source::Formula {
        reads: &[&TOTAL],
        params: &[],
        compute: |ev, e, p| {
            let Entity::Household(h) = e else { return Ok(Value::Money(Money::ZERO)) };
            let members = ev.situation().households.get(h).map(|h| h.members.clone()).unwrap_or_default();
            let mut total = Money::ZERO;
            for m in members {
                total += ev.money(&TOTAL, Entity::Person(m), p)?;
            }
            Ok(Value::Money(total))
        },
    },
};

/// Every household variable.
pub static VARIABLES: &[&Variable] = &[&IIT];
