//! The evaluator: computes variables for a situation on demand, caches each
//! figure, enforces the declared reads, and records what every figure came
//! from so that it can be explained.

use std::borrow::Cow;
use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::money::Money;
use rustc_hash::FxHashMap;

use crate::params::{Confidence, Entry, ParamError, ParamKind, ParamSet, ParamValue, Parameter};
use crate::period::{Month, Period, PeriodKind};
use crate::rate::Rate;
use crate::scale::Scale;
use crate::situation::{InputError, Situation};
use crate::unknown::Unknown;
use crate::value::Value;
use crate::variable::{Entity, EntityKind, Knowledge, Registry, Source, VarSets, Variable};

/// A parameter a formula reads: a fixed path, or a pattern in which `*`
/// stands for a locality (`local.*.average_wage`). Formulas declare the
/// pattern; the evaluator checks the read against it.
#[derive(Copy, Clone, Debug)]
pub struct ParamPath<'a> {
    /// The path or pattern, as declared in the formula's `params`.
    pub declared: &'static str,
    /// The locality put in place of `*`.
    pub locality: Option<&'a str>,
}

impl ParamPath<'_> {
    /// The path read (borrowed when there is no locality to put in, as for
    /// most reads, so a read allocates nothing).
    pub fn resolve(&self) -> Cow<'static, str> {
        match self.locality {
            Some(l) => Cow::Owned(self.declared.replacen('*', l, 1)),
            None => Cow::Borrowed(self.declared),
        }
    }
}

impl From<&'static str> for ParamPath<'static> {
    fn from(declared: &'static str) -> Self {
        ParamPath { declared, locality: None }
    }
}

/// The parameter `pattern` (with `*`) for `locality`.
pub fn local<'a>(pattern: &'static str, locality: &'a str) -> ParamPath<'a> {
    ParamPath { declared: pattern, locality: Some(locality) }
}

/// Why a figure could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// The situation breaks a rule (exit code 2).
    #[error("{0}")]
    Input(#[from] InputError),
    /// A parameter could not be read: a gap in the rule book.
    #[error("computing `{var}`: {error}")]
    Param {
        /// The variable being computed.
        var: &'static str,
        /// The lookup error.
        error: ParamError,
    },
    /// A formula read something it did not declare: a rule-book bug.
    #[error("`{var}` reads `{read}` without declaring it")]
    Undeclared {
        /// The variable being computed.
        var: &'static str,
        /// What it read.
        read: String,
    },
    /// A value of the wrong type: a rule-book bug.
    #[error("`{var}` was expected to be {expected}")]
    Type {
        /// The variable.
        var: &'static str,
        /// The type expected.
        expected: &'static str,
    },
    /// A variable was asked for a period of the wrong kind: a rule-book bug.
    #[error("`{var}` is defined by {kind}, not for {period}")]
    Period {
        /// The variable.
        var: &'static str,
        /// Its period kind.
        kind: crate::period::PeriodKind,
        /// The period asked for.
        period: Period,
    },
    /// A variable depends on itself for the same period.
    #[error("`{0}` depends on itself")]
    Cycle(&'static str),
    /// No such variable.
    #[error("no variable `{0}`")]
    UnknownVariable(String),
    /// Something the figure needs is not known (a parameter not yet
    /// published, an input not given): the figure is unknown, and so is
    /// every figure that reads it; the others are computed.
    #[error("{0}")]
    Unknown(Arc<Unknown>),
}

/// A figure computed although part of what it reads is unknown: the rule
/// took that part as it says (`assumption`) and the result says so.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// The figure.
    pub figure: Key,
    /// What was unknown.
    pub unknown: Arc<Unknown>,
    /// What the rule did instead, in Chinese and English.
    pub assumption: crate::label::Label,
}

/// The identity of one computed figure. Variables are compared and hashed by
/// the address of their name, which the registry keeps unique.
#[derive(Copy, Clone, Debug)]
pub struct Key {
    /// The variable's name.
    pub var: &'static str,
    /// The person or household.
    pub entity: Entity,
    /// The period.
    pub period: Period,
    /// The knowledge date it was computed under (`None`: full knowledge).
    pub known_at: Option<Date>,
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        std::ptr::eq(self.var.as_ptr(), other.var.as_ptr())
            && self.entity == other.entity
            && self.period == other.period
            && self.known_at == other.known_at
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.var.as_ptr() as usize).hash(state);
        self.entity.hash(state);
        self.period.hash(state);
        self.known_at.hash(state);
    }
}

/// A parameter read, as recorded for an explanation: the parameter and the
/// entry used, borrowed from the parameter set.
#[derive(Copy, Clone, Debug)]
pub struct ParamRead<'a> {
    /// The parameter.
    pub parameter: &'a Parameter,
    /// The entry that applied.
    pub entry: &'a Entry,
    /// The date it was read for.
    pub date: Date,
    /// The knowledge date, if any.
    pub known_at: Option<Date>,
}

impl PartialEq for ParamRead<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.parameter, other.parameter)
            && std::ptr::eq(self.entry, other.entry)
            && self.date == other.date
            && self.known_at == other.known_at
    }
}

/// Something a figure was computed from.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Dep<'a> {
    /// Another figure.
    Figure(Key),
    /// A parameter.
    Param(ParamRead<'a>),
}

/// A computed figure and what it came from, as the evaluator holds it.
#[derive(Copy, Clone, Debug)]
pub struct Node<'e, 'a> {
    /// The value.
    pub value: &'e Value,
    /// Its sources, in the order read, without repeats (none without a trace).
    pub deps: &'e [Dep<'a>],
    /// For inputs: whether the situation gave it (or the default applied).
    pub given: Option<bool>,
}

struct Frame<'a> {
    key: Key,
    var: &'static Variable,
    /// The variable's index in the registry.
    id: u32,
    known_at: Option<Date>,
    deps: Vec<Dep<'a>>,
}

/// The inputs each entity of `situation` gives: a bit set of registry indices
/// per person, then per household.
fn given_inputs(registry: &Registry, situation: &Situation) -> VarSets {
    let entities = situation.persons.iter().map(|p| &p.inputs).chain(situation.households.iter().map(|h| &h.inputs));
    let mut sets = VarSets::new(registry.len(), situation.persons.len() + situation.households.len());
    for (row, inputs) in entities.enumerate() {
        for id in inputs.keys().filter_map(|name| registry.get(name).and_then(|v| registry.id(v))) {
            sets.insert(row, id as usize);
        }
    }
    sets
}

/// A stored figure as its reader gets it: an unknown one is an error.
fn known(value: &Value) -> Result<&Value, EvalError> {
    match value {
        Value::Unknown(u) => Err(EvalError::Unknown(Arc::clone(u))),
        v => Ok(v),
    }
}

/// A memo slot with nothing in it yet.
const EMPTY: u32 = u32::MAX;

/// One stored figure.
#[derive(Clone, Debug)]
struct Figure {
    key: Key,
    value: Value,
    given: Option<bool>,
}

/// Where an evaluator keeps computed figures. The figures of the situation's
/// year under full knowledge, or under one of the knowledge states between
/// announcements, sit in dense tables of slots (one block per entity, laid out
/// by the registry), each holding an index into `figures`; anything else
/// (other years, the exact knowledge dates of a traced run) goes to a hash map.
///
/// A population run computes thousands of households one after another: it
/// hands the memo of one evaluator to the next ([`Eval::into_memo`],
/// [`Eval::reusing`]) so that the memory stays allocated and warm.
#[derive(Clone, Debug, Default)]
pub struct Memo {
    /// One table per knowledge state, allocated on first use.
    dense: Vec<Vec<u32>>,
    /// Slots in one table: every person's block, then every household's.
    table_len: usize,
    /// The figures, in the order computed.
    figures: Vec<Figure>,
    /// Figures without a dense slot.
    other: FxHashMap<Key, u32>,
}

/// A dense slot: the knowledge state and the slot within its table.
type Slot = Option<(usize, usize)>;

impl Memo {
    /// Empties the memo for a situation needing `table_len` slots per table and `states` tables.
    fn reset(&mut self, table_len: usize, states: usize) {
        self.figures.clear();
        self.other.clear();
        self.dense.resize_with(states, Vec::new);
        for table in &mut self.dense {
            if !table.is_empty() {
                table.clear();
                table.resize(table_len, EMPTY);
            }
        }
        self.table_len = table_len;
    }

    /// Where the figure is in `figures`, if computed.
    fn index(&self, slot: Slot, key: &Key) -> Option<usize> {
        let i = match slot {
            Some((state, s)) => *self.dense.get(state)?.get(s).filter(|i| **i != EMPTY)?,
            None => *self.other.get(key)?,
        };
        Some(i as usize)
    }

    /// Stores a figure; returns where it is in `figures`.
    fn insert(&mut self, slot: Slot, figure: Figure) -> usize {
        let i = self.figures.len();
        let key = figure.key;
        self.figures.push(figure);
        match slot {
            Some((state, s)) => {
                let table = &mut self.dense[state];
                if table.is_empty() {
                    table.resize(self.table_len, EMPTY);
                }
                table[s] = i as u32;
            }
            None => {
                self.other.insert(key, i as u32);
            }
        }
        i
    }
}

/// Computes figures for one situation under one parameter set.
pub struct Eval<'a> {
    registry: &'a Registry,
    params: &'a ParamSet,
    situation: &'a Situation,
    memo: Memo,
    /// What each figure of the memo came from, by index (traced runs only).
    deps: Vec<Vec<Dep<'a>>>,
    stack: Vec<Frame<'a>>,
    /// Whether to record what each figure came from (for explanations).
    trace: bool,
    /// The latest `known_from` of any parameter entry: knowing the law at or
    /// after it is full knowledge, so such figures share the full-knowledge cache.
    last_announcement: Option<Date>,
    /// Without a trace, knowledge dates are replaced by the canonical date of
    /// their state: [`Date::MIN`] before the first announcement, else the
    /// latest announcement on or before them (the law as known is the same
    /// all through a state). Empty when tracing, which keeps exact dates.
    states: Vec<Date>,
    /// Without a trace: which inputs the situation gives, a bit set of
    /// registry indices per entity (persons, then households). An input it
    /// does not give is its default, read without storing a figure.
    given: Option<VarSets>,
    /// The baseline's figures for the same situation, and which variables
    /// this parameter set may change ([`Registry::affected_by`]): any other
    /// figure the baseline computed is taken from it rather than recomputed.
    baseline: Option<(&'a Memo, &'a [bool])>,
    /// How many figures were asked for, computed or found: the work done,
    /// which a test can count where timing would be noise.
    asked: u64,
    /// Figures computed on an assumption where something was unknown.
    notices: Vec<Notice>,
    /// The parameter entries read below high confidence, each once.
    uncertain: Vec<Uncertain<'a>>,
}

/// A parameter entry read whose value is not confirmed by the official text
/// (its citation's confidence is below high): what a result rests on that its
/// reader should know of.
#[derive(Copy, Clone, Debug)]
pub struct Uncertain<'a> {
    /// The parameter.
    pub parameter: &'a Parameter,
    /// The entry read.
    pub entry: &'a Entry,
    /// The entry's confidence.
    pub confidence: Confidence,
}

impl<'a> Eval<'a> {
    /// A new evaluator.
    pub fn new(registry: &'a Registry, params: &'a ParamSet, situation: &'a Situation) -> Eval<'a> {
        Eval::build(registry, params, situation, true, Memo::default())
    }

    /// An evaluator that does not record what figures came from: the same
    /// values, faster, for population runs; [`crate::explain`] finds nothing to explain.
    pub fn without_trace(registry: &'a Registry, params: &'a ParamSet, situation: &'a Situation) -> Eval<'a> {
        Eval::build(registry, params, situation, false, Memo::default())
    }

    /// An evaluator without a trace that keeps its figures in `memo` (emptied
    /// first), typically taken from the previous household's evaluator.
    pub fn reusing(registry: &'a Registry, params: &'a ParamSet, situation: &'a Situation, memo: Memo) -> Eval<'a> {
        Eval::build(registry, params, situation, false, memo)
    }

    /// The memo, to hand to the next evaluator.
    pub fn into_memo(self) -> Memo {
        self.memo
    }

    fn build(
        registry: &'a Registry,
        params: &'a ParamSet,
        situation: &'a Situation,
        trace: bool,
        mut memo: Memo,
    ) -> Eval<'a> {
        let announcements = params.announcements();
        let states = if trace || announcements.is_empty() {
            Vec::new()
        } else {
            std::iter::once(Date::MIN).chain(announcements[..announcements.len() - 1].iter().copied()).collect()
        };
        let table_len = situation.persons.len() * registry.block(EntityKind::Person) as usize
            + situation.households.len() * registry.block(EntityKind::Household) as usize;
        memo.reset(table_len, states.len() + 1);
        let given = (!trace).then(|| given_inputs(registry, situation));
        Eval {
            registry,
            params,
            situation,
            memo,
            deps: Vec::new(),
            stack: Vec::new(),
            trace,
            last_announcement: params.last_announcement(),
            states,
            given,
            baseline: None,
            asked: 0,
            notices: Vec::new(),
            uncertain: Vec::new(),
        }
    }

    /// Takes from `baseline` (the memo of an untraced evaluator of the same
    /// situation under the baseline parameters) every figure of a variable
    /// that `affected` (by registry index, from [`Registry::affected_by`] on
    /// the parameters this set changes) marks as unchanged: a reform then
    /// computes only what it can change.
    pub fn sharing(mut self, baseline: &'a Memo, affected: &'a [bool]) -> Eval<'a> {
        self.baseline = Some((baseline, affected));
        self
    }

    /// Whether the situation gives input `id` for `entity` in some period
    /// (always true when tracing, which records every input read).
    fn is_given(&self, id: u32, entity: Entity) -> bool {
        let row = match entity {
            Entity::Person(p) => p,
            Entity::Household(h) => self.situation.persons.len() + h,
        };
        self.given.as_ref().and_then(|sets| sets.get(row, id as usize)).unwrap_or(true)
    }

    /// The paths of the parameters read so far by the figures computed, each
    /// once, in order of path. Only an evaluator with a trace ([`Eval::new`])
    /// records them; without one, none.
    ///
    /// ```
    /// # use minsheng_core::{Eval, ParamSet, Registry, Situation};
    /// # fn check(registry: &Registry, params: &ParamSet, situation: &Situation) {
    /// let ev = Eval::without_trace(registry, params, situation);
    /// assert_eq!(ev.parameters_read().count(), 0);
    /// # }
    /// ```
    pub fn parameters_read(&self) -> impl Iterator<Item = &'a str> + '_ {
        let mut paths: Vec<&'a str> = self
            .deps
            .iter()
            .flatten()
            .filter_map(|d| match d {
                Dep::Param(read) => Some(read.parameter.path.as_str()),
                Dep::Figure(_) => None,
            })
            .collect();
        paths.sort_unstable();
        paths.dedup();
        paths.into_iter()
    }

    /// How many figures have been asked for so far, whether computed or
    /// found in the memo: a count of the work done, independent of the machine.
    pub fn work(&self) -> u64 {
        self.asked
    }

    /// Records that the figure being computed takes `unknown` as `assumption`
    /// says (the tax on wages computed without contributions that cannot be
    /// known, say), so that the result can say so.
    pub fn assume(&mut self, unknown: Arc<Unknown>, assumption: crate::label::Label) {
        if let Some(frame) = self.stack.last() {
            let figure = frame.key;
            if !self.notices.iter().any(|n| n.figure == figure && n.unknown == unknown) {
                self.notices.push(Notice { figure, unknown, assumption });
            }
        }
    }

    /// The figures computed on an assumption so far.
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// The parameter entries below high confidence read so far, each once, in
    /// the order first read. Figures taken from a baseline's memo
    /// ([`Eval::sharing`]) read nothing: the baseline's evaluator lists theirs.
    pub fn uncertain(&self) -> &[Uncertain<'a>] {
        &self.uncertain
    }

    /// The situation.
    pub fn situation(&self) -> &'a Situation {
        self.situation
    }

    /// The registry.
    pub fn registry(&self) -> &'a Registry {
        self.registry
    }

    /// The parameter set.
    pub fn params(&self) -> &'a ParamSet {
        self.params
    }

    /// The knowledge date the current figure is computed under (`None`: full
    /// knowledge of the law).
    pub fn known_at(&self) -> Option<Date> {
        self.stack.last().and_then(|f| f.known_at)
    }

    /// The recorded node of a computed figure.
    pub fn node(&self, key: &Key) -> Option<Node<'_, 'a>> {
        let id = self.registry.id(self.registry.get(key.var)?)?;
        let i = self.memo.index(self.slot(id, key), key)?;
        let figure = &self.memo.figures[i];
        Some(Node { value: &figure.value, deps: self.deps.get(i).map_or(&[], Vec::as_slice), given: figure.given })
    }

    /// The dense slot of a figure, if it has one.
    fn slot(&self, id: u32, key: &Key) -> Slot {
        let state = match key.known_at {
            None => 0,
            Some(k) => 1 + self.states.iter().position(|s| *s == k)?,
        };
        let year = self.situation.year;
        let within = match key.period {
            Period::Month(m) if m.year() == year => m.number() as usize - 1,
            Period::Year(y) if y == year => 0,
            Period::Eternity => 0,
            _ => return None,
        };
        let persons = self.situation.persons.len();
        let person_block = self.registry.block(EntityKind::Person) as usize;
        let base = match key.entity {
            Entity::Person(p) if p < persons => p * person_block,
            Entity::Household(h) if h < self.situation.households.len() => {
                persons * person_block + h * self.registry.block(EntityKind::Household) as usize
            }
            _ => return None,
        };
        Some((state, base + self.registry.offset(id) as usize + within))
    }

    /// Computes a variable by name, with full knowledge (the top-level entry).
    pub fn compute(&mut self, name: &str, entity: Entity, period: Period) -> Result<(Key, Value), EvalError> {
        let var = self.registry.get(name).ok_or_else(|| EvalError::UnknownVariable(name.to_string()))?;
        let key = self.key(var, entity, period);
        let value = self.get(var, entity, period)?;
        Ok((key, value))
    }

    /// Computes every formula of the registry for every person and household
    /// of the situation, in each period of its year (everything `calc` can
    /// show), passing over unknown figures; returns how many figures were asked for.
    pub fn compute_all(&mut self) -> Result<usize, EvalError> {
        let year = self.situation.year;
        let mut asked = 0;
        for var in self.registry.iter().filter(|v| !v.is_input()) {
            let entities: Vec<Entity> = match var.entity {
                EntityKind::Person => (0..self.situation.persons.len()).map(Entity::Person).collect(),
                EntityKind::Household => (0..self.situation.households.len()).map(Entity::Household).collect(),
            };
            let periods: Vec<Period> = match var.period {
                PeriodKind::Month => Month::of_year(year).map(Period::Month).collect(),
                PeriodKind::Year => vec![Period::Year(year)],
                PeriodKind::Eternity => vec![Period::Eternity],
            };
            for &entity in &entities {
                for &period in &periods {
                    // An unknown figure stops only its readers.
                    match self.get(var, entity, period) {
                        Ok(_) | Err(EvalError::Unknown(_)) => {}
                        Err(e) => return Err(e),
                    }
                    asked += 1;
                }
            }
        }
        Ok(asked)
    }

    /// The key `var` gets when computed now for `entity` and `period`.
    pub fn key(&self, var: &'static Variable, entity: Entity, period: Period) -> Key {
        let inherited = self.stack.last().and_then(|f| f.known_at);
        let known_at = match var.knowledge {
            Knowledge::AsOfPeriodEnd => match period.last_day() {
                Some(end) => Some(inherited.map_or(end, |k| k.min(end))),
                None => inherited,
            },
            Knowledge::Inherit => inherited,
        }
        .filter(|k| self.last_announcement.is_some_and(|last| *k < last))
        .map(|k| self.canonical(k));
        Key { var: var.name, entity, period, known_at }
    }

    /// The canonical date of knowledge date `k` (itself when tracing).
    fn canonical(&self, k: Date) -> Date {
        match self.states.partition_point(|s| *s <= k) {
            0 => k,
            i => self.states[i - 1],
        }
    }

    /// The value of `var` for `entity` and `period`, computed if needed.
    pub fn get(&mut self, var: &'static Variable, entity: Entity, period: Period) -> Result<Value, EvalError> {
        self.figure(var, entity, period).cloned()
    }

    /// The value of `var` for `entity` and `period`, computed if needed, borrowed from the memo.
    fn figure(&mut self, var: &'static Variable, entity: Entity, period: Period) -> Result<&Value, EvalError> {
        self.asked += 1;
        let id = self.registry.id(var).ok_or_else(|| EvalError::UnknownVariable(var.name.to_string()))?;
        if let Some(frame) = self.stack.last()
            && !self.registry.may_read(frame.id, id)
        {
            return Err(EvalError::Undeclared { var: frame.var.name, read: var.name.to_string() });
        }
        if period.kind() != var.period || entity.kind() != var.entity {
            return Err(EvalError::Period { var: var.name, kind: var.period, period });
        }
        if let Source::Input { default } = &var.source
            && !self.is_given(id, entity)
        {
            return Ok(default);
        }
        let key = self.key(var, entity, period);
        if self.trace
            && let Some(frame) = self.stack.last_mut()
        {
            let dep = Dep::Figure(key);
            if !frame.deps.contains(&dep) {
                frame.deps.push(dep);
            }
        }
        let slot = self.slot(id, &key);
        if let Some(i) = self.memo.index(slot, &key) {
            return known(&self.memo.figures[i].value);
        }
        if let Some((baseline, affected)) = self.baseline
            && !affected.get(id as usize).copied().unwrap_or(true)
            && let Some(i) = baseline.index(slot, &key)
        {
            return known(&baseline.figures[i].value);
        }
        let (figure, deps) = match &var.source {
            Source::Input { default } => {
                let given = self.situation.input(var, entity, period);
                let value = given.unwrap_or(default).clone();
                (Figure { key, value, given: Some(given.is_some()) }, Vec::new())
            }
            Source::Formula { compute, .. } => {
                // A figure being computed is on the stack (shallow): asking for it again is a cycle.
                if self.stack.iter().any(|f| f.key == key) {
                    return Err(EvalError::Cycle(var.name));
                }
                self.stack.push(Frame { key, var, id, known_at: key.known_at, deps: Vec::new() });
                let result = compute(self, entity, period);
                let deps = self.stack.pop().map(|f| f.deps).unwrap_or_default();
                // An unknown figure is kept as such, so that every reader finds it at once.
                let value = match result {
                    Err(EvalError::Unknown(u)) => Value::Unknown(u),
                    other => other?,
                };
                (Figure { key, value, given: None }, deps)
            }
        };
        let i = self.memo.insert(slot, figure);
        if self.trace {
            self.deps.resize_with(i, Vec::new);
            self.deps.push(deps);
        }
        known(&self.memo.figures[i].value)
    }

    /// The sum of the person money figure `var` over the members of `household`
    /// in `period` (zero for a person, or a household the situation does not have).
    pub fn members_sum(
        &mut self,
        var: &'static Variable,
        household: Entity,
        period: Period,
    ) -> Result<Money, EvalError> {
        let situation = self.situation;
        let Entity::Household(h) = household else { return Ok(Money::ZERO) };
        let mut total = Money::ZERO;
        for &m in situation.households.get(h).map_or(&[][..], |h| h.members.as_slice()) {
            total += self.money(var, Entity::Person(m), period)?;
        }
        Ok(total)
    }

    /// An amount.
    pub fn money(&mut self, var: &'static Variable, entity: Entity, period: Period) -> Result<Money, EvalError> {
        match self.figure(var, entity, period)? {
            Value::Money(m) => Ok(*m),
            _ => Err(EvalError::Type { var: var.name, expected: "an amount" }),
        }
    }

    /// A whole number.
    pub fn count(&mut self, var: &'static Variable, entity: Entity, period: Period) -> Result<i64, EvalError> {
        match self.figure(var, entity, period)? {
            Value::Count(n) => Ok(*n),
            _ => Err(EvalError::Type { var: var.name, expected: "a count" }),
        }
    }

    /// Yes or no.
    pub fn flag(&mut self, var: &'static Variable, entity: Entity, period: Period) -> Result<bool, EvalError> {
        match self.figure(var, entity, period)? {
            Value::Bool(b) => Ok(*b),
            _ => Err(EvalError::Type { var: var.name, expected: "yes or no" }),
        }
    }

    /// A choice word, `None` if not given and without default.
    pub fn choice(
        &mut self,
        var: &'static Variable,
        entity: Entity,
        period: Period,
    ) -> Result<Option<&'static str>, EvalError> {
        match self.figure(var, entity, period)? {
            Value::Choice(c) => Ok(Some(*c)),
            Value::Absent => Ok(None),
            _ => Err(EvalError::Type { var: var.name, expected: "a choice" }),
        }
    }

    /// Free text, `None` if not given.
    pub fn text(
        &mut self,
        var: &'static Variable,
        entity: Entity,
        period: Period,
    ) -> Result<Option<Arc<str>>, EvalError> {
        match self.figure(var, entity, period)? {
            Value::Text(t) => Ok(Some(t.clone())),
            Value::Absent => Ok(None),
            _ => Err(EvalError::Type { var: var.name, expected: "text" }),
        }
    }

    /// Whether a text variable holds `text` (false where absent), read in
    /// place: cheaper than [`Eval::text`] for the comparisons rules repeat.
    pub fn text_equals(
        &mut self,
        var: &'static Variable,
        entity: Entity,
        period: Period,
        text: &str,
    ) -> Result<bool, EvalError> {
        match self.figure(var, entity, period)? {
            Value::Text(t) => Ok(&**t == text),
            Value::Absent => Ok(false),
            _ => Err(EvalError::Type { var: var.name, expected: "text" }),
        }
    }

    /// A date, `None` if not given.
    pub fn date(&mut self, var: &'static Variable, entity: Entity, period: Period) -> Result<Option<Date>, EvalError> {
        match self.figure(var, entity, period)? {
            Value::Date(d) => Ok(Some(*d)),
            Value::Absent => Ok(None),
            _ => Err(EvalError::Type { var: var.name, expected: "a date" }),
        }
    }

    /// A month, `None` if not given.
    pub fn month(
        &mut self,
        var: &'static Variable,
        entity: Entity,
        period: Period,
    ) -> Result<Option<Month>, EvalError> {
        match self.figure(var, entity, period)? {
            Value::Month(m) => Ok(Some(*m)),
            Value::Absent => Ok(None),
            _ => Err(EvalError::Type { var: var.name, expected: "a month" }),
        }
    }

    /// The rows of a record by year, `None` if not given.
    pub fn by_year(
        &mut self,
        var: &'static Variable,
        entity: Entity,
        period: Period,
    ) -> Result<Option<Arc<[crate::value::YearRow]>>, EvalError> {
        match self.figure(var, entity, period)? {
            Value::ByYear(rows) => Ok(Some(rows.clone())),
            Value::Absent => Ok(None),
            _ => Err(EvalError::Type { var: var.name, expected: "a record by year" }),
        }
    }

    /// The amount for `key` of an amounts-by-category input, `None` if not given.
    pub fn amount_by(
        &mut self,
        var: &'static Variable,
        entity: Entity,
        period: Period,
        key: &str,
    ) -> Result<Option<Money>, EvalError> {
        match self.figure(var, entity, period)? {
            Value::AmountsBy(t) => Ok(t.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)),
            Value::Absent => Ok(None),
            _ => Err(EvalError::Type { var: var.name, expected: "amounts by category" }),
        }
    }

    /// The rate for `key` of a rates-by-category input, `None` if not given.
    pub fn rate_by(
        &mut self,
        var: &'static Variable,
        entity: Entity,
        period: Period,
        key: &str,
    ) -> Result<Option<Rate>, EvalError> {
        match self.figure(var, entity, period)? {
            Value::RatesBy(t) => Ok(t.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)),
            Value::Absent => Ok(None),
            _ => Err(EvalError::Type { var: var.name, expected: "rates by category" }),
        }
    }

    /// Rate tiers, `None` if not given.
    pub fn rate_tiers(
        &mut self,
        var: &'static Variable,
        entity: Entity,
        period: Period,
    ) -> Result<Option<crate::value::Tiers>, EvalError> {
        match self.figure(var, entity, period)? {
            Value::RateTiers(t) => Ok(Some(t.clone())),
            Value::Absent => Ok(None),
            _ => Err(EvalError::Type { var: var.name, expected: "rate tiers" }),
        }
    }

    /// Shares by person, empty if not given.
    pub fn shares(
        &mut self,
        var: &'static Variable,
        entity: Entity,
        period: Period,
    ) -> Result<Arc<[(usize, Rate)]>, EvalError> {
        match self.figure(var, entity, period)? {
            Value::Shares(s) => Ok(s.clone()),
            Value::Absent => Ok(Arc::from(Vec::new())),
            _ => Err(EvalError::Type { var: var.name, expected: "shares" }),
        }
    }

    /// The persons whose shares input `var` (timeless) names `entity`, with
    /// the share each names it for: the children whose `claimants` list a
    /// parent. Each is read as a figure, so the trace records it; the cost is
    /// the number of such persons, however many the situation holds.
    pub fn named_in(&mut self, var: &'static Variable, entity: Entity) -> Result<Vec<(usize, Rate)>, EvalError> {
        let Entity::Person(me) = entity else { return Ok(Vec::new()) };
        let owners: Vec<usize> = self.situation.named_in(var, me).map(|(owner, _)| owner).collect();
        let mut found = Vec::with_capacity(owners.len());
        for owner in owners {
            let shares = self.shares(var, Entity::Person(owner), Period::Eternity)?;
            found.extend(shares.iter().filter(|(p, _)| *p == me).map(|&(_, share)| (owner, share)));
        }
        Ok(found)
    }

    /// The sum of a monthly amount over `months`.
    pub fn sum_months(
        &mut self,
        var: &'static Variable,
        entity: Entity,
        months: impl IntoIterator<Item = Month>,
    ) -> Result<Money, EvalError> {
        let mut total = Money::ZERO;
        for m in months {
            total += self.money(var, entity, Period::Month(m))?;
        }
        Ok(total)
    }

    /// Reads a parameter on `date` under the current knowledge, `None` where
    /// the rule is explicitly not in force.
    pub fn param<'p>(&mut self, path: impl Into<ParamPath<'p>>, date: Date) -> Result<Option<ParamValue>, EvalError> {
        let path = path.into();
        let resolved = path.resolve();
        let frame =
            self.stack.last_mut().ok_or(EvalError::Undeclared { var: "(top level)", read: resolved.to_string() })?;
        let var = frame.var.name;
        if !frame.var.params().contains(&path.declared) {
            return Err(EvalError::Undeclared { var, read: path.declared.to_string() });
        }
        let looked_up = self.params.lookup(&resolved, date, frame.known_at);
        let model = self.params.model();
        if matches!(looked_up, Err(ParamError::NotCovered { .. })) && !model.covers(date) {
            // A date an input leads to (an unemployment that began in 2018) is outside what the rule book knows.
            let entity = match frame.key.entity {
                Entity::Person(p) => self.situation.persons.get(p).map(|p| format!("persons.{}", p.id)),
                Entity::Household(h) => self.situation.households.get(h).map(|h| format!("households.{}", h.id)),
            }
            .unwrap_or_default();
            let span = match (model.covered_from, model.covered_until) {
                (Some(f), Some(u)) => format!("{f} to {u}"),
                _ => "the covered dates".into(),
            };
            return Err(EvalError::Input(
                InputError::new(
                    format!("{entity} ({var})"),
                    date,
                    format!("computing this needs the law of {date}, outside the dates the rule book covers ({span})"),
                )
                .zh(format!("计算此项需要 {date} 的规则，超出规则库覆盖的日期（{span}）")),
            ));
        }
        let found = looked_up.map_err(|error| EvalError::Param { var, error })?;
        if let Some(c) = found.entry.citation.as_ref().filter(|c| c.confidence < Confidence::High)
            && !found.entry.unknown
            && !self.uncertain.iter().any(|u| std::ptr::eq(u.entry, found.entry))
        {
            self.uncertain.push(Uncertain { parameter: found.parameter, entry: found.entry, confidence: c.confidence });
        }
        let read = ParamRead { parameter: found.parameter, entry: found.entry, date, known_at: frame.known_at };
        let value = found.entry.value.clone();
        let dep = Dep::Param(read);
        if self.trace && !frame.deps.contains(&dep) {
            frame.deps.push(dep);
        }
        if found.entry.unknown {
            let note = found.entry.citation.as_ref().and_then(|c| c.note.as_deref());
            return Err(EvalError::Unknown(Arc::new(Unknown::parameter(
                resolved.into_owned(),
                date,
                found.entry.supplied_by.clone(),
                note,
            ))));
        }
        Ok(value)
    }

    fn param_in_force(&mut self, path: ParamPath<'_>, date: Date, kind: ParamKind) -> Result<ParamValue, EvalError> {
        let var = self.current();
        match self.param(path, date)? {
            Some(v) if v.kind() == kind => Ok(v),
            Some(v) => Err(EvalError::Param {
                var,
                error: ParamError::WrongKind { path: path.resolve().into_owned(), expected: kind, found: v.kind() },
            }),
            None => {
                Err(EvalError::Param { var, error: ParamError::NotInForce { path: path.resolve().into_owned(), date } })
            }
        }
    }

    /// A value of another kind than the one just checked for: cannot happen,
    /// but is reported rather than assumed.
    fn wrong_kind(&self, path: ParamPath<'_>, found: &ParamValue) -> EvalError {
        EvalError::Param {
            var: self.current(),
            error: ParamError::Unknown(format!("{} (holds a {})", path.resolve(), found.kind())),
        }
    }

    /// The month of the figure being computed by a monthly formula: its period,
    /// or [`EvalError::Period`] naming the variable (a rule-book bug). Spares a
    /// formula from naming itself to find its month.
    pub fn this_month(&self, period: Period) -> Result<crate::period::Month, EvalError> {
        match period {
            Period::Month(m) => Ok(m),
            other => {
                Err(EvalError::Period { var: self.current(), kind: crate::period::PeriodKind::Month, period: other })
            }
        }
    }

    /// The year of the figure being computed by a yearly formula (see [`Eval::this_month`]).
    pub fn this_year(&self, period: Period) -> Result<i32, EvalError> {
        match period {
            Period::Year(y) => Ok(y),
            other => {
                Err(EvalError::Period { var: self.current(), kind: crate::period::PeriodKind::Year, period: other })
            }
        }
    }

    /// The variable whose formula is running, if any.
    pub fn computing(&self) -> Option<&'static Variable> {
        self.stack.last().map(|f| f.var)
    }

    fn current(&self) -> &'static str {
        self.stack.last().map_or("(top level)", |f| f.var.name)
    }

    /// An amount parameter in force on `date`.
    pub fn amount<'p>(&mut self, path: impl Into<ParamPath<'p>>, date: Date) -> Result<Money, EvalError> {
        let path: ParamPath<'_> = path.into();
        match self.param_in_force(path, date, ParamKind::Amount)? {
            ParamValue::Amount(m) => Ok(m),
            other => Err(self.wrong_kind(path, &other)),
        }
    }

    /// An amount parameter, `None` where the rule is not in force on `date`.
    pub fn amount_if_in_force<'p>(
        &mut self,
        path: impl Into<ParamPath<'p>>,
        date: Date,
    ) -> Result<Option<Money>, EvalError> {
        let path: ParamPath<'_> = path.into();
        let var = self.current();
        match self.param(path, date)? {
            None => Ok(None),
            Some(ParamValue::Amount(m)) => Ok(Some(m)),
            Some(v) => Err(EvalError::Param {
                var,
                error: ParamError::WrongKind {
                    path: path.resolve().into_owned(),
                    expected: ParamKind::Amount,
                    found: v.kind(),
                },
            }),
        }
    }

    /// A rate parameter in force on `date`.
    pub fn rate<'p>(&mut self, path: impl Into<ParamPath<'p>>, date: Date) -> Result<Rate, EvalError> {
        let path: ParamPath<'_> = path.into();
        match self.param_in_force(path, date, ParamKind::Rate)? {
            ParamValue::Rate(r) => Ok(r),
            other => Err(self.wrong_kind(path, &other)),
        }
    }

    /// A count parameter in force on `date`.
    pub fn count_param<'p>(&mut self, path: impl Into<ParamPath<'p>>, date: Date) -> Result<i64, EvalError> {
        let path: ParamPath<'_> = path.into();
        match self.param_in_force(path, date, ParamKind::Count)? {
            ParamValue::Count(n) => Ok(n),
            other => Err(self.wrong_kind(path, &other)),
        }
    }

    /// A flag parameter on `date`; a rule not in force counts as `false`.
    pub fn flag_param<'p>(&mut self, path: impl Into<ParamPath<'p>>, date: Date) -> Result<bool, EvalError> {
        let path: ParamPath<'_> = path.into();
        let var = self.current();
        match self.param(path, date)? {
            None => Ok(false),
            Some(ParamValue::Flag(b)) => Ok(b),
            Some(v) => Err(EvalError::Param {
                var,
                error: ParamError::WrongKind {
                    path: path.resolve().into_owned(),
                    expected: ParamKind::Flag,
                    found: v.kind(),
                },
            }),
        }
    }

    /// A scale parameter in force on `date`.
    pub fn scale<'p>(&mut self, path: impl Into<ParamPath<'p>>, date: Date) -> Result<Arc<Scale>, EvalError> {
        let path: ParamPath<'_> = path.into();
        match self.param_in_force(path, date, ParamKind::Scale)? {
            ParamValue::Scale(s) => Ok(s),
            other => Err(self.wrong_kind(path, &other)),
        }
    }

    /// The row `key` of a counts parameter in force on `date`.
    pub fn counts_row<'p>(&mut self, path: impl Into<ParamPath<'p>>, date: Date, key: &str) -> Result<i64, EvalError> {
        let path: ParamPath<'_> = path.into();
        let var = self.current();
        match self.param_in_force(path, date, ParamKind::Counts)? {
            ParamValue::Counts(t) => t.get(key).copied().ok_or_else(|| EvalError::Param {
                var,
                error: ParamError::NotCovered { path: format!("{}[{key}]", path.resolve()), date },
            }),
            other => Err(self.wrong_kind(path, &other)),
        }
    }

    /// The row `key` of a rates parameter in force on `date`; `None` if the table has no such row.
    pub fn rate_row<'p>(
        &mut self,
        path: impl Into<ParamPath<'p>>,
        date: Date,
        key: &str,
    ) -> Result<Option<Rate>, EvalError> {
        let path: ParamPath<'_> = path.into();
        match self.param_in_force(path, date, ParamKind::Rates)? {
            ParamValue::Rates(t) => Ok(t.get(key).copied()),
            other => Err(self.wrong_kind(path, &other)),
        }
    }

    /// An exact number (an index, a divisor), `None` if not given.
    pub fn number(
        &mut self,
        var: &'static Variable,
        entity: Entity,
        period: Period,
    ) -> Result<Option<Decimal>, EvalError> {
        match self.figure(var, entity, period)? {
            Value::Number(d) => Ok(Some(*d)),
            Value::Absent => Ok(None),
            _ => Err(EvalError::Type { var: var.name, expected: "a number" }),
        }
    }

    /// The row `key` of a table parameter in force on `date`.
    pub fn table_amount<'p>(
        &mut self,
        path: impl Into<ParamPath<'p>>,
        date: Date,
        key: &str,
    ) -> Result<Money, EvalError> {
        let path: ParamPath<'_> = path.into();
        let var = self.current();
        match self.param_in_force(path, date, ParamKind::Table)? {
            ParamValue::Table(t) => t.get(key).copied().ok_or_else(|| EvalError::Param {
                var,
                error: ParamError::NotCovered { path: format!("{}[{key}]", path.resolve()), date },
            }),
            other => Err(self.wrong_kind(path, &other)),
        }
    }
}
