//! Constructors for the `static` variables of the rule book.

use minsheng_core::variable::Compute;
use minsheng_core::{EntityKind, Knowledge, PeriodKind, Source, Value, ValueType, Variable};

/// A person input: given in the situation, `default` where not.
pub(crate) const fn input(
    name: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    value_type: ValueType,
    period: PeriodKind,
    reference: &'static str,
    default: Value,
) -> Variable {
    Variable {
        name,
        label_zh,
        label_en,
        value_type,
        entity: EntityKind::Person,
        period,
        reference,
        knowledge: Knowledge::Inherit,
        source: Source::Input { default },
    }
}

/// A computed person variable (formulas read through the evaluator only what
/// `reads` and `params` list).
#[allow(clippy::too_many_arguments)]
pub(crate) const fn computed(
    name: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    value_type: ValueType,
    period: PeriodKind,
    knowledge: Knowledge,
    reference: &'static str,
    reads: &'static [&'static Variable],
    params: &'static [&'static str],
    compute: Compute,
) -> Variable {
    Variable {
        name,
        label_zh,
        label_en,
        value_type,
        entity: EntityKind::Person,
        period,
        reference,
        knowledge,
        source: Source::Formula { reads, params, compute },
    }
}

/// A household input: given under the household in the situation.
pub(crate) const fn household_input(
    name: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    value_type: ValueType,
    period: PeriodKind,
    reference: &'static str,
    default: Value,
) -> Variable {
    let mut var = input(name, label_zh, label_en, value_type, period, reference, default);
    var.entity = EntityKind::Household;
    var
}

/// A computed household variable.
#[allow(clippy::too_many_arguments)]
pub(crate) const fn household_computed(
    name: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    value_type: ValueType,
    period: PeriodKind,
    reference: &'static str,
    reads: &'static [&'static Variable],
    params: &'static [&'static str],
    compute: Compute,
) -> Variable {
    let mut var =
        computed(name, label_zh, label_en, value_type, period, Knowledge::Inherit, reference, reads, params, compute);
    var.entity = EntityKind::Household;
    var
}
