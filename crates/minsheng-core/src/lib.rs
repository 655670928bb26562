//! # minsheng-core
//!
//! The country-neutral engine of minsheng (民生). It knows nothing of China:
//! it provides exact [`Money`] and [`Rate`]s, a calendar of [`Period`]s,
//! dated and cited parameters ([`params`]) with reforms laid over them,
//! [`Variable`]s whose formulas are plain Rust functions declaring what they
//! read, an evaluator ([`Eval`]) that computes, caches and records every
//! figure, and [`explain`]ations that trace a figure down to the parameters
//! and documents it came from.
//!
//! A rule book (such as `minsheng-cn`) supplies the variables, the parameter
//! files and situations to compute.

pub mod eval;
pub mod explain;
pub mod label;
pub mod money;
pub mod params;
pub mod period;
pub mod rate;
pub mod scale;
pub mod situation;
pub mod unknown;
pub mod value;
pub mod variable;

pub use eval::{Eval, EvalError, Key, ParamPath, Uncertain, local};
pub use label::{Label, Lang};
pub use money::Money;
pub use params::{ParamSet, Reform};
pub use period::{Month, Period, PeriodKind};
pub use rate::Rate;
pub use scale::Scale;
pub use situation::{Format, InputError, Situation};
pub use unknown::Unknown;
pub use value::{Column, ColumnKind, Value, ValueType, YearRow};
pub use variable::{
    Declaration, Entity, EntityKind, FormulaBuilder, FormulaParts, InputBuilder, InputParts, Knowledge, Registry,
    Source, Variable,
};
