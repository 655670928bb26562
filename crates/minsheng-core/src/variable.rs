//! Variables (变量): the inputs and computed figures of a rule book, with
//! their metadata and, for computed ones, the formula and what it reads.
//!
//! A variable is a `static` item of the rule crate. Its formula is a plain
//! Rust function; `reads` and `params` list everything the formula may read,
//! and the evaluator refuses any other read, so the dependency graph built
//! from these lists is complete. [`Registry::new`] checks that every read
//! variable is registered and that the graph has no cycle (a variable may read
//! itself, for earlier periods only).

use rustc_hash::FxHashMap;

use crate::eval::{Eval, EvalError};
use crate::period::{Period, PeriodKind};
use crate::value::{Value, ValueType};

/// Which entity a variable belongs to.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person (个人).
    Person,
    /// A household (家庭户).
    Household,
}

/// One entity of a situation: the kind and its index.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    /// The person with this index.
    Person(usize),
    /// The household with this index.
    Household(usize),
}

impl Entity {
    /// The kind of entity.
    pub fn kind(self) -> EntityKind {
        match self {
            Entity::Person(_) => EntityKind::Person,
            Entity::Household(_) => EntityKind::Household,
        }
    }
}

/// Under what knowledge of the law a variable is computed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Knowledge {
    /// As its reader computes it (full knowledge at the top).
    Inherit,
    /// As the law was known at the end of the variable's period: what a payer
    /// could apply then (withholding). Everything it reads inherits this.
    AsOfPeriodEnd,
}

/// A formula: computes the variable for one entity and period.
pub type Compute = fn(&mut Eval<'_>, Entity, Period) -> Result<Value, EvalError>;

/// How a variable gets its value.
pub enum Source {
    /// Given in the situation; `default` where not given.
    Input {
        /// The value when the situation does not give one.
        default: Value,
    },
    /// Computed by a formula.
    Formula {
        /// The variables the formula reads.
        reads: &'static [&'static Variable],
        /// The parameters the formula reads, by path.
        params: &'static [&'static str],
        /// The formula.
        compute: Compute,
    },
}

/// A variable: an input or a computed figure, with its metadata.
pub struct Variable {
    /// Stable dotted name, e.g. `iit.withholding.tax_withheld`.
    pub name: &'static str,
    /// Chinese label.
    pub label_zh: &'static str,
    /// English label.
    pub label_en: &'static str,
    /// The type of its values.
    pub value_type: ValueType,
    /// Person or household.
    pub entity: EntityKind,
    /// The period it is defined for.
    pub period: PeriodKind,
    /// The legal basis of the rule (document and article).
    pub reference: &'static str,
    /// Under what knowledge of the law it is computed.
    pub knowledge: Knowledge,
    /// Input or formula.
    pub source: Source,
}

impl Variable {
    /// Whether the situation gives this variable.
    pub fn is_input(&self) -> bool {
        matches!(self.source, Source::Input { .. })
    }

    /// The variables the formula reads (none for inputs).
    pub fn reads(&self) -> &'static [&'static Variable] {
        match self.source {
            Source::Input { .. } => &[],
            Source::Formula { reads, .. } => reads,
        }
    }

    /// The parameters the formula reads (none for inputs).
    pub fn params(&self) -> &'static [&'static str] {
        match self.source {
            Source::Input { .. } => &[],
            Source::Formula { params, .. } => params,
        }
    }
}

/// A variable under construction, field by field, so that a rule reads like
/// the law it writes down rather than a row of positional arguments. `S` holds
/// what only its kind declares: a formula's knowledge, reads and parameters
/// ([`FormulaBuilder`], ended by [`Declaration::compute`], [`Declaration::adds`]
/// or [`Declaration::adds_members`]), nothing for an input ([`InputBuilder`],
/// ended by [`Declaration::otherwise`]).
///
/// ```
/// use minsheng_core::{EntityKind, PeriodKind, Value, ValueType, Variable};
/// static TWICE: Variable = Variable::formula("twice", EntityKind::Person)
///     .label("两倍", "Twice")
///     .value(ValueType::Count, PeriodKind::Eternity)
///     .reference("an example")
///     .compute(|_, _, _| Ok(Value::Count(2)));
/// static SIZE: Variable = Variable::input("size", EntityKind::Household)
///     .label("户人数", "Household size")
///     .value(ValueType::Count, PeriodKind::Eternity)
///     .otherwise(Value::Count(1));
/// assert_eq!(TWICE.name, "twice");
/// assert!(!TWICE.is_input() && SIZE.is_input());
/// ```
#[derive(Clone, Copy)]
pub struct Declaration<S> {
    name: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    value_type: ValueType,
    entity: EntityKind,
    period: PeriodKind,
    reference: &'static str,
    kind: S,
}

/// What a formula declares beyond any variable: under what knowledge it is
/// computed, and the variables and parameters it reads.
#[derive(Clone, Copy)]
pub struct FormulaParts {
    knowledge: Knowledge,
    reads: &'static [&'static Variable],
    params: &'static [&'static str],
}

/// An input declares nothing beyond any variable but its default.
#[derive(Clone, Copy)]
pub struct InputParts;

/// A computed variable under construction ([`Variable::formula`]).
pub type FormulaBuilder = Declaration<FormulaParts>;

/// An input under construction ([`Variable::input`]).
pub type InputBuilder = Declaration<InputParts>;

/// The sum of the money figures a variable reads, for the same entity and period: the
/// formula of [`Declaration::adds`] (PolicyEngine's `adds`).
fn sum_of_reads(ev: &mut Eval<'_>, e: Entity, p: Period) -> Result<Value, EvalError> {
    let mut total = crate::money::Money::ZERO;
    for var in ev.computing().map_or(&[][..], Variable::reads) {
        total += ev.money(var, e, p)?;
    }
    Ok(Value::Money(total))
}

/// A household's sum, over its members, of the person money figures it reads:
/// the formula of [`Declaration::adds_members`].
fn sum_over_members(ev: &mut Eval<'_>, e: Entity, p: Period) -> Result<Value, EvalError> {
    let mut total = crate::money::Money::ZERO;
    for var in ev.computing().map_or(&[][..], Variable::reads) {
        total += ev.members_sum(var, e, p)?;
    }
    Ok(Value::Money(total))
}

impl Variable {
    /// A computed variable of `entity` named `name`: a money figure of the year under the
    /// knowledge of its reader until said otherwise.
    pub const fn formula(name: &'static str, entity: EntityKind) -> FormulaBuilder {
        Declaration::new(name, entity, FormulaParts { knowledge: Knowledge::Inherit, reads: &[], params: &[] })
    }

    /// An input of `entity` named `name`: a money figure of the year until said otherwise.
    pub const fn input(name: &'static str, entity: EntityKind) -> InputBuilder {
        Declaration::new(name, entity, InputParts)
    }
}

impl<S: Copy> Declaration<S> {
    const fn new(name: &'static str, entity: EntityKind, kind: S) -> Self {
        Declaration {
            name,
            label_zh: "",
            label_en: "",
            value_type: ValueType::Money,
            entity,
            period: PeriodKind::Year,
            reference: "",
            kind,
        }
    }

    /// Its names in Chinese and English.
    pub const fn label(self, zh: &'static str, en: &'static str) -> Self {
        Declaration { label_zh: zh, label_en: en, ..self }
    }

    /// The type of its values and the period it is defined for.
    pub const fn value(self, value_type: ValueType, period: PeriodKind) -> Self {
        Declaration { value_type, period, ..self }
    }

    /// The legal basis: document and article.
    pub const fn reference(self, reference: &'static str) -> Self {
        Declaration { reference, ..self }
    }

    /// The variable, complete.
    const fn finish(self, knowledge: Knowledge, source: Source) -> Variable {
        Variable {
            name: self.name,
            label_zh: self.label_zh,
            label_en: self.label_en,
            value_type: self.value_type,
            entity: self.entity,
            period: self.period,
            reference: self.reference,
            knowledge,
            source,
        }
    }
}

impl FormulaBuilder {
    /// Under what knowledge of the law it is computed (default: its reader's).
    pub const fn knowledge(self, knowledge: Knowledge) -> Self {
        Declaration { kind: FormulaParts { knowledge, ..self.kind }, ..self }
    }

    /// The variables the formula reads.
    pub const fn reads(self, reads: &'static [&'static Variable]) -> Self {
        Declaration { kind: FormulaParts { reads, ..self.kind }, ..self }
    }

    /// The parameters the formula reads, by path.
    pub const fn params(self, params: &'static [&'static str]) -> Self {
        Declaration { kind: FormulaParts { params, ..self.kind }, ..self }
    }

    /// The formula: the variable is complete.
    pub const fn compute(self, compute: Compute) -> Variable {
        let FormulaParts { knowledge, reads, params } = self.kind;
        self.finish(knowledge, Source::Formula { reads, params, compute })
    }

    /// The sum of `addends` (money figures of the same entity and period): the
    /// variable is complete, and reads exactly its addends.
    pub const fn adds(self, addends: &'static [&'static Variable]) -> Variable {
        self.reads(addends).compute(sum_of_reads)
    }

    /// For a household variable, the sum over its members of the person money
    /// figures `addends`, for the same period: the variable is complete, and
    /// reads exactly its addends.
    pub const fn adds_members(self, addends: &'static [&'static Variable]) -> Variable {
        self.reads(addends).compute(sum_over_members)
    }
}

impl InputBuilder {
    /// The value where the situation gives none ([`Value::Absent`]: the
    /// figures that need it are unknown, naming the input): the variable is complete.
    pub const fn otherwise(self, default: Value) -> Variable {
        self.finish(Knowledge::Inherit, Source::Input { default })
    }
}

impl std::fmt::Debug for Variable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Rows of sets of variables (by registry index), one bit per variable:
/// which variables a formula may read, which inputs an entity gives.
#[derive(Clone, Debug, Default)]
pub(crate) struct VarSets {
    words: usize,
    bits: Vec<u64>,
}

impl VarSets {
    /// `rows` empty sets over `vars` variables.
    pub(crate) fn new(vars: usize, rows: usize) -> VarSets {
        let words = vars.div_ceil(64);
        VarSets { words, bits: vec![0; words * rows] }
    }

    /// Puts variable `var` in set `row`.
    pub(crate) fn insert(&mut self, row: usize, var: usize) {
        self.bits[row * self.words + var / 64] |= 1 << (var % 64);
    }

    /// Whether set `row` holds variable `var`; `None` past the last row.
    pub(crate) fn get(&self, row: usize, var: usize) -> Option<bool> {
        self.bits.get(row * self.words + var / 64).map(|w| w & (1 << (var % 64)) != 0)
    }
}

/// A rule book's variables, by name, with what the evaluator needs to find
/// them fast: an index per variable, which variables each may read (a bit
/// set), and where its figures sit in an entity's block of memo slots.
pub struct Registry {
    vars: Vec<&'static Variable>,
    by_name: FxHashMap<&'static str, usize>,
    /// Index of each variable by its address (variables are statics).
    by_addr: FxHashMap<usize, u32>,
    /// Set `i` holds the variables that variable `i` may read.
    readable: VarSets,
    /// The first memo slot of each variable within its entity's block.
    offsets: Vec<u32>,
    /// Slots per person and per household: one per month, year or eternity.
    blocks: [u32; 2],
}

/// The number of slots a variable takes in its entity's block for one year.
fn slots_of(var: &Variable) -> u32 {
    match var.period {
        PeriodKind::Month => 12,
        PeriodKind::Year | PeriodKind::Eternity => 1,
    }
}

/// Whether the declared parameter path (possibly with one `*` standing for a
/// locality, a single path segment) names `path`.
pub fn matches_path(declared: &str, path: &str) -> bool {
    match declared.split_once('*') {
        None => declared == path,
        Some((before, after)) => {
            path.len() >= before.len() + after.len()
                && path.starts_with(before)
                && path.ends_with(after)
                && !path[before.len()..path.len() - after.len()].contains('.')
        }
    }
}

fn address(var: &Variable) -> usize {
    std::ptr::from_ref(var) as usize
}

/// A registry that does not hold together: a rule-book bug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// Two variables share a name.
    #[error("two variables are named `{0}`")]
    Duplicate(&'static str),
    /// A formula reads a variable that is not registered.
    #[error("`{0}` reads `{1}`, which is not registered")]
    Unregistered(&'static str, &'static str),
    /// The variables read each other in a cycle.
    #[error("the variables read each other in a cycle: {0}")]
    Cycle(String),
}

impl Registry {
    /// Builds the registry, checking names, reads and cycles.
    pub fn new(vars: &[&'static Variable]) -> Result<Registry, RegistryError> {
        let mut by_name = FxHashMap::default();
        for (i, v) in vars.iter().enumerate() {
            if by_name.insert(v.name, i).is_some() {
                return Err(RegistryError::Duplicate(v.name));
            }
        }
        for v in vars {
            for r in v.reads() {
                if !by_name.contains_key(r.name) {
                    return Err(RegistryError::Unregistered(v.name, r.name));
                }
            }
        }
        let by_addr: FxHashMap<usize, u32> = vars.iter().enumerate().map(|(i, v)| (address(v), i as u32)).collect();
        let mut readable = VarSets::new(vars.len(), vars.len());
        for (i, v) in vars.iter().enumerate() {
            for r in v.reads() {
                let j = by_addr.get(&address(r)).copied().ok_or(RegistryError::Unregistered(v.name, r.name))?;
                readable.insert(i, j as usize);
            }
        }
        let mut blocks = [0u32; 2];
        let offsets = vars
            .iter()
            .map(|v| {
                let block = &mut blocks[v.entity as usize];
                let offset = *block;
                *block += slots_of(v);
                offset
            })
            .collect();
        let reg = Registry { vars: vars.to_vec(), by_name, by_addr, readable, offsets, blocks };
        reg.check_acyclic()?;
        Ok(reg)
    }

    /// The index of `var`, if registered.
    pub fn id(&self, var: &Variable) -> Option<u32> {
        self.by_addr.get(&address(var)).copied()
    }

    /// Whether the formula of variable `reader` declares that it reads variable `read` (by index).
    pub fn may_read(&self, reader: u32, read: u32) -> bool {
        self.readable.get(reader as usize, read as usize).unwrap_or(false)
    }

    /// The first memo slot of variable `id` within its entity's block.
    pub fn offset(&self, id: u32) -> u32 {
        self.offsets[id as usize]
    }

    /// Memo slots per entity of `kind` for one year: one per month, year or eternity of each of its variables.
    pub fn block(&self, kind: EntityKind) -> u32 {
        self.blocks[kind as usize]
    }

    /// The variable named `name`.
    pub fn get(&self, name: &str) -> Option<&'static Variable> {
        self.by_name.get(name).map(|&i| self.vars[i])
    }

    /// The number of variables.
    pub fn len(&self) -> usize {
        self.vars.len()
    }

    /// Whether there are no variables.
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// All variables, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = &'static Variable> + '_ {
        self.vars.iter().copied()
    }

    /// The variables whose formula reads `var` (reverse dependencies).
    pub fn readers_of(&self, var: &Variable) -> Vec<&'static Variable> {
        self.vars.iter().copied().filter(|v| v.reads().iter().any(|r| r.name == var.name)).collect()
    }

    /// The variables whose formula reads the parameter `path`.
    pub fn readers_of_param(&self, path: &str) -> Vec<&'static Variable> {
        self.vars.iter().copied().filter(|v| v.params().contains(&path)).collect()
    }

    /// Which variables (by index) may take another value when the
    /// parameters at `changed` change: those declaring a read of one of them
    /// (a pattern `local.*.x` matches any locality's `x`), and everything that
    /// reads those, transitively. The others cannot differ between two
    /// parameter sets that differ only there, since every read is declared.
    pub fn affected_by(&self, changed: &[&str]) -> Vec<bool> {
        let mut affected: Vec<bool> = self
            .vars
            .iter()
            .map(|v| v.params().iter().any(|declared| changed.iter().any(|path| matches_path(declared, path))))
            .collect();
        loop {
            let mut grew = false;
            for (i, v) in self.vars.iter().enumerate() {
                if !affected[i] && v.reads().iter().any(|r| self.id(r).is_some_and(|j| affected[j as usize])) {
                    affected[i] = true;
                    grew = true;
                }
            }
            if !grew {
                return affected;
            }
        }
    }

    /// The inputs `var` depends on, directly or through other variables.
    pub fn required_inputs(&self, var: &'static Variable) -> Vec<&'static Variable> {
        let mut seen = vec![var.name];
        let mut stack = vec![var];
        let mut inputs = Vec::new();
        while let Some(v) = stack.pop() {
            if v.is_input() {
                inputs.push(v);
            }
            for r in v.reads() {
                if !seen.contains(&r.name) {
                    seen.push(r.name);
                    stack.push(r);
                }
            }
        }
        inputs.sort_by_key(|v| v.name);
        inputs
    }

    fn check_acyclic(&self) -> Result<(), RegistryError> {
        // 0 = unvisited, 1 = on the path, 2 = done.
        let mut state = vec![0u8; self.vars.len()];
        let mut path = Vec::new();
        for i in 0..self.vars.len() {
            self.visit(i, &mut state, &mut path)?;
        }
        Ok(())
    }

    fn visit(&self, i: usize, state: &mut [u8], path: &mut Vec<&'static str>) -> Result<(), RegistryError> {
        match state[i] {
            2 => return Ok(()),
            1 => {
                let start = path.iter().position(|n| *n == self.vars[i].name).unwrap_or(0);
                let mut cycle = path[start..].to_vec();
                cycle.push(self.vars[i].name);
                return Err(RegistryError::Cycle(cycle.join(" → ")));
            }
            _ => {}
        }
        state[i] = 1;
        path.push(self.vars[i].name);
        for r in self.vars[i].reads() {
            if r.name != self.vars[i].name {
                self.visit(self.by_name[r.name], state, path)?;
            }
        }
        path.pop();
        state[i] = 2;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zero(_: &mut Eval<'_>, _: Entity, _: Period) -> Result<Value, EvalError> {
        Ok(Value::Count(0))
    }

    const fn var(name: &'static str, source: Source) -> Variable {
        Variable {
            name,
            label_zh: "",
            label_en: "",
            value_type: ValueType::Count,
            entity: EntityKind::Person,
            period: PeriodKind::Year,
            reference: "",
            knowledge: Knowledge::Inherit,
            source,
        }
    }

    static INPUT: Variable = var("t.input", Source::Input { default: Value::Count(0) });
    static RATED: Variable = var("t.rated", Source::Formula { reads: &[&INPUT], params: &["t.rate"], compute: zero });
    static READER: Variable = var("t.reader", Source::Formula { reads: &[&RATED], params: &[], compute: zero });
    static LOCAL: Variable =
        var("t.local", Source::Formula { reads: &[&INPUT], params: &["local.*.wage"], compute: zero });
    static OTHER: Variable = var("t.other", Source::Formula { reads: &[&INPUT], params: &["t.other"], compute: zero });

    #[test]
    fn a_change_affects_the_readers_of_its_parameter_and_theirs_only() {
        let reg = Registry::new(&[&INPUT, &RATED, &READER, &LOCAL, &OTHER]).expect("registry");
        assert_eq!(reg.affected_by(&["t.rate"]), vec![false, true, true, false, false]);
        assert_eq!(reg.affected_by(&["local.beijing.wage"]), vec![false, false, false, true, false]);
        assert_eq!(reg.affected_by(&["local.a.b.wage", "t.unread"]), vec![false; 5]);
        assert!(reg.may_read(1, 0) && !reg.may_read(0, 1));
    }

    #[test]
    fn a_pattern_stands_for_one_path_segment() {
        assert!(matches_path("local.*.wage", "local.shanghai.wage"));
        assert!(!matches_path("local.*.wage", "local.wage"));
        assert!(!matches_path("local.*.wage", "local.a.b.wage"));
        assert!(matches_path("iit.x", "iit.x") && !matches_path("iit.x", "iit.xy"));
    }
}
