//! The figures of one part of a situation under one scenario, held densely:
//! one slot per variable and period of the year for each entity, in the
//! registry's block layout, so that a part costs memory in proportion to its
//! persons and a figure is found by index.

use minsheng_core::eval::Notice;
use minsheng_core::{Entity, EntityKind, Eval, EvalError, Month, ParamSet, Period, PeriodKind, Registry, Situation};
use minsheng_core::{Value, Variable};

/// Which variables to compute and report.
#[derive(Clone, Debug)]
pub enum Outputs {
    /// Every computed variable of the rule book.
    All,
    /// These variables only (and what they need, computed but not reported).
    Only(Vec<&'static Variable>),
}

/// Why a name cannot be an output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputError {
    /// No variable has this name.
    NoSuchVariable(String),
    /// The variable is an input, not a figure the rules compute.
    Input(String),
}

impl Outputs {
    /// The computed variables `names` (blank names passed over); every
    /// computed variable where no name is given.
    pub fn named<'n>(registry: &Registry, names: impl IntoIterator<Item = &'n str>) -> Result<Outputs, OutputError> {
        let mut vars = Vec::new();
        for name in names.into_iter().map(str::trim).filter(|n| !n.is_empty()) {
            match registry.get(name) {
                None => return Err(OutputError::NoSuchVariable(name.to_string())),
                Some(v) if v.is_input() => return Err(OutputError::Input(name.to_string())),
                Some(v) => vars.push(v),
            }
        }
        Ok(if vars.is_empty() { Outputs::All } else { Outputs::Only(vars) })
    }

    /// The computed variables reported, in registry order.
    pub fn variables<'r>(&'r self, registry: &'r Registry) -> Vec<&'static Variable> {
        match self {
            Outputs::All => registry.iter().filter(|v| !v.is_input()).collect(),
            Outputs::Only(vars) => registry.iter().filter(|v| vars.iter().any(|w| std::ptr::eq(*w, *v))).collect(),
        }
    }
}

/// One scenario's figures for one situation.
#[derive(Clone, Debug)]
pub struct Figures {
    year: i32,
    /// Slots per person, then per household, of each entity's block.
    blocks: [usize; 2],
    persons: Vec<Value>,
    households: Vec<Value>,
    /// How many figures the evaluator was asked for: the work done.
    work: u64,
    /// Figures computed on an assumption where something was unknown.
    notices: Vec<Notice>,
    /// The parameter values below high confidence that the figures read.
    uncertain: Vec<crate::findings::UncertainValue>,
}

/// The periods of the year that a variable of `kind` has.
pub fn periods(kind: PeriodKind, year: i32) -> Vec<Period> {
    match kind {
        PeriodKind::Month => Month::of_year(year).map(Period::Month).collect(),
        PeriodKind::Year => vec![Period::Year(year)],
        PeriodKind::Eternity => vec![Period::Eternity],
    }
}

impl Figures {
    /// Computes `outputs` for every person and household of `situation`
    /// under `params`, without a trace (an explanation recomputes the one
    /// figure it explains with one).
    pub fn compute(
        registry: &Registry,
        params: &ParamSet,
        situation: &Situation,
        outputs: &[&'static Variable],
    ) -> Result<Figures, EvalError> {
        let mut ev = Eval::without_trace(registry, params, situation);
        let year = situation.year;
        let blocks = [registry.block(EntityKind::Person) as usize, registry.block(EntityKind::Household) as usize];
        let mut figures = Figures {
            year,
            blocks,
            persons: vec![Value::Absent; blocks[0] * situation.persons.len()],
            households: vec![Value::Absent; blocks[1] * situation.households.len()],
            work: 0,
            notices: Vec::new(),
            uncertain: Vec::new(),
        };
        for &var in outputs {
            let count = match var.entity {
                EntityKind::Person => situation.persons.len(),
                EntityKind::Household => situation.households.len(),
            };
            let Some(id) = registry.id(var) else { continue };
            let offset = registry.offset(id) as usize;
            for i in 0..count {
                let entity = match var.entity {
                    EntityKind::Person => Entity::Person(i),
                    EntityKind::Household => Entity::Household(i),
                };
                for (k, period) in periods(var.period, year).into_iter().enumerate() {
                    // An unknown figure is reported as such; the others are computed all the same.
                    let value = match ev.get(var, entity, period) {
                        Err(EvalError::Unknown(u)) => Value::Unknown(u),
                        other => other?,
                    };
                    let slot = i * blocks[var.entity as usize] + offset + k;
                    match var.entity {
                        EntityKind::Person => figures.persons[slot] = value,
                        EntityKind::Household => figures.households[slot] = value,
                    }
                }
            }
        }
        figures.work = ev.work();
        figures.notices = ev.notices().to_vec();
        figures.uncertain = ev.uncertain().iter().map(crate::findings::UncertainValue::of).collect();
        Ok(figures)
    }

    /// The figures computed on an assumption where something they read was unknown.
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// The parameter values below high confidence that the figures rest on.
    pub fn uncertain(&self) -> &[crate::findings::UncertainValue] {
        &self.uncertain
    }

    /// The year of the figures.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// How many figures the evaluator was asked for, computed or found in its
    /// memo: the work done, which grows with the persons (a test counts it).
    pub fn work(&self) -> u64 {
        self.work
    }

    /// The value of `var` for `entity` in `period` (`Absent` where it was
    /// not computed or has no value).
    pub fn get(&self, registry: &Registry, var: &'static Variable, entity: Entity, period: Period) -> &Value {
        let within = match period {
            Period::Month(m) if m.year() == self.year => m.number() as usize - 1,
            Period::Year(y) if y == self.year => 0,
            Period::Eternity => 0,
            _ => return &Value::Absent,
        };
        let Some(id) = registry.id(var).filter(|_| var.entity == entity.kind()) else { return &Value::Absent };
        let offset = registry.offset(id) as usize + within;
        let slot = match entity {
            Entity::Person(p) => self.persons.get(p * self.blocks[0] + offset),
            Entity::Household(h) => self.households.get(h * self.blocks[1] + offset),
        };
        slot.unwrap_or(&Value::Absent)
    }
}
