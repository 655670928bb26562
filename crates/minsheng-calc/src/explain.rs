//! The explanation (计算依据) of one figure of a situation, as asked by a
//! user: the variable by name, the person or household by id, the period as
//! text. The command line's `--explain` and the API's `explain` both ask here.

use minsheng_core::explain::{Explanation, explain};
use minsheng_core::{
    EntityKind, Eval, EvalError, InputError, Month, ParamSet, Period, PeriodKind, Registry, Situation, Variable,
};

/// Which figure to explain.
#[derive(Clone, Copy, Debug)]
pub struct Ask<'a> {
    /// The variable's name.
    pub variable: &'a str,
    /// The person's or household's id (default: the first of the variable's entity).
    pub entity: Option<&'a str>,
    /// The period: `YYYY-MM` for a monthly variable, the year (default) for a yearly one.
    pub period: Option<&'a str>,
    /// How many levels of the tree to expand.
    pub depth: usize,
}

/// The most levels an explanation expands (deeper trees repeat what is above).
pub const MAX_DEPTH: usize = 64;

/// The explanation of the figure `ask` names in `sit` under `params`.
///
/// # Errors
/// [`ExplainError::Input`] naming the field `variable`, `entity`, `period`
/// or `depth` when the ask does not name a figure of `sit`, or any input
/// error of the situation met on the way; a figure that is unknown is
/// explained too, its tree ending at what is not known.
pub fn explain_figure(
    registry: &Registry,
    params: &ParamSet,
    sit: &Situation,
    ask: Ask<'_>,
) -> Result<Explanation, ExplainError> {
    let var = registry.get(ask.variable).ok_or_else(|| {
        InputError::new(
            "variable",
            ask.variable,
            "no such variable; `minsheng vars` or GET /api/v1/variables lists them",
        )
        .zh("没有这个变量；`minsheng vars` 或 GET /api/v1/variables 列出全部变量")
    })?;
    if ask.depth > MAX_DEPTH {
        return Err(InputError::new("depth", ask.depth, format!("at most {MAX_DEPTH} levels"))
            .zh(format!("至多 {MAX_DEPTH} 层"))
            .into());
    }
    let period = period(var, sit.year, ask.period)?;
    // Only the part of the situation holding the entity is computed.
    let ids = sit.ids(var.entity);
    let id = ask.entity.or_else(|| ids.first().copied()).unwrap_or_default();
    let (part, entity) = sit.clone().into_part_holding(var.entity, id).ok_or_else(|| no_such(var, id))?;
    let mut ev = Eval::new(registry, params, &part);
    let key = match ev.compute(ask.variable, entity, period) {
        Ok((key, _)) => key,
        Err(EvalError::Unknown(_)) => ev.key(var, entity, period),
        Err(EvalError::Input(e)) => return Err(ExplainError::Input(e)),
        Err(e) => return Err(ExplainError::Rules(e.to_string())),
    };
    explain(&ev, &key, ask.depth).ok_or_else(|| ExplainError::Rules(format!("no trace recorded for {}", ask.variable)))
}

/// Why a figure could not be explained.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    /// The ask or the situation is bad input.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The rules failed (a bug).
    #[error("{0}")]
    Rules(String),
}

/// The error for an entity the situation does not have.
fn no_such(var: &Variable, id: &str) -> InputError {
    let (en, zh) = match var.entity {
        EntityKind::Person => ("person", "个人"),
        EntityKind::Household => ("household", "家庭"),
    };
    InputError::new("entity", id, format!("no such {en} in the situation (`{}` is a {en} figure)", var.name))
        .zh(format!("情形中没有这个{zh}（`{}` 是{zh}的数值）", var.name))
}

fn period(var: &Variable, year: i32, given: Option<&str>) -> Result<Period, InputError> {
    let yearly = || {
        InputError::new("period", given.unwrap_or_default(), format!("`{}` is yearly; give {year}", var.name))
            .zh(format!("`{}` 按年计算；请填 {year}", var.name))
    };
    match (var.period, given) {
        (PeriodKind::Eternity, _) => Ok(Period::Eternity),
        (PeriodKind::Year, None) => Ok(Period::Year(year)),
        (PeriodKind::Year, Some(p)) if p == year.to_string() => Ok(Period::Year(year)),
        (PeriodKind::Year, Some(_)) => Err(yearly()),
        (PeriodKind::Month, None) => Err(InputError::new(
            "period",
            "(none)",
            format!("`{}` is monthly; give a month of {year}, YYYY-MM", var.name),
        )
        .zh(format!("`{}` 按月计算；请填 {year} 年的月份 YYYY-MM", var.name))),
        (PeriodKind::Month, Some(p)) => match p.parse::<Month>() {
            Ok(m) if m.year() == year => Ok(Period::Month(m)),
            _ => Err(InputError::new("period", p, format!("give a month of {year}, YYYY-MM"))
                .zh(format!("请填 {year} 年的月份 YYYY-MM"))),
        },
    }
}
