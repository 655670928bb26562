//! Constructors for the `static` variables of the rule book: each is declared
//! field by field ([`minsheng_core::Declaration`]).

use minsheng_core::{EntityKind, FormulaBuilder, InputBuilder, Variable};

/// A person input: given in the situation, [`minsheng_core::Declaration::otherwise`] where not.
pub(crate) const fn input(name: &'static str) -> InputBuilder {
    Variable::input(name, EntityKind::Person)
}

/// A household input: given under the household in the situation.
pub(crate) const fn household_input(name: &'static str) -> InputBuilder {
    Variable::input(name, EntityKind::Household)
}

/// A computed person variable: formulas read through the evaluator only what
/// `reads` and `params` list.
pub(crate) const fn formula(name: &'static str) -> FormulaBuilder {
    Variable::formula(name, EntityKind::Person)
}

/// A computed household variable, declared as [`formula`] declares a person's.
pub(crate) const fn household_formula(name: &'static str) -> FormulaBuilder {
    Variable::formula(name, EntityKind::Household)
}
