//! The explanation (计算依据) of one figure of a situation, as asked by a
//! user: the variable by name, the person or household by id, the period as
//! text. The command line's `--explain` and the API's `explain` both ask here.

use minsheng_core::explain::{Explanation, explain};
use minsheng_core::{
    Entity, EntityKind, Eval, EvalError, InputError, Month, ParamSet, Period, PeriodKind, Registry, Situation, Variable,
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
    let entity = entity(sit, var, ask.entity)?;
    let period = period(var, sit.year, ask.period)?;
    // Only the part of the situation holding the entity is computed.
    let (part, entity) = part_holding(sit, entity);
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

fn entity(sit: &Situation, var: &Variable, id: Option<&str>) -> Result<Entity, InputError> {
    let Some(id) = id else {
        return Ok(match var.entity {
            EntityKind::Person => Entity::Person(0),
            EntityKind::Household => Entity::Household(0),
        });
    };
    let found = match var.entity {
        EntityKind::Person => sit.person_index(id).map(Entity::Person),
        EntityKind::Household => sit.households.iter().position(|h| h.id == id).map(Entity::Household),
    };
    found.ok_or_else(|| {
        let (en, zh) = match var.entity {
            EntityKind::Person => ("person", "个人"),
            EntityKind::Household => ("household", "家庭"),
        };
        InputError::new("entity", id, format!("no such {en} in the situation (`{}` is a {en} figure)", var.name))
            .zh(format!("情形中没有这个{zh}（`{}` 是{zh}的数值）", var.name))
    })
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

/// The independent part of `sit` that holds `entity`, and the entity's index in it.
fn part_holding(sit: &Situation, entity: Entity) -> (Situation, Entity) {
    let id = match entity {
        Entity::Person(p) => sit.persons[p].id.as_str(),
        Entity::Household(h) => sit.households[h].id.as_str(),
    };
    for part in sit.clone().into_components() {
        let found = match entity {
            Entity::Person(_) => part.person_index(id).map(Entity::Person),
            Entity::Household(_) => part.households.iter().position(|h| h.id == id).map(Entity::Household),
        };
        if let Some(e) = found {
            return (part, e);
        }
    }
    (sit.clone(), entity)
}
