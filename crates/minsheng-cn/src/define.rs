//! Constructors for the `static` variables of the rule book.

use minsheng_core::{EntityKind, FormulaBuilder, Knowledge, PeriodKind, Source, Value, ValueType, Variable};

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

/// A computed person variable, declared field by field
/// ([`minsheng_core::FormulaBuilder`]): formulas read through the evaluator
/// only what `reads` and `params` list.
pub(crate) const fn formula(name: &'static str) -> FormulaBuilder {
    Variable::formula(name, EntityKind::Person)
}

/// A computed household variable, declared as [`formula`] declares a person's.
pub(crate) const fn household_formula(name: &'static str) -> FormulaBuilder {
    Variable::formula(name, EntityKind::Household)
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
