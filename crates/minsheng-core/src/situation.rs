//! Situations (情形): the persons and households to compute, and their inputs
//! by period, in the style of OpenFisca situations.
//!
//! ```yaml
//! year: 2023
//! persons:
//!   zhang:
//!     birth_date: 1988-03-01
//!     wage: {2023-01..2023-12: 30000}
//!   xiaoming:
//!     birth_date: 2021-06-15
//!     claimants: {zhang: 100}
//! households:
//!   home: {members: [zhang, xiaoming]}
//! ```
//!
//! Monthly inputs take `YYYY-MM` or inclusive ranges `YYYY-MM..YYYY-MM`,
//! yearly ones `YYYY`, timeless ones a bare value. Every key must be an input
//! variable of the rule book; every value is checked against its type. JSON
//! and YAML are read alike; numbers keep their exact decimal value.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::money::Money;
use crate::params::ModelInfo;
use crate::period::{Month, Period, PeriodKind, parse_period_key};
use crate::rate::Rate;
use crate::value::{Column, ColumnKind, Value, ValueType, YearRow};
use crate::variable::{Entity, EntityKind, Registry, Variable};

/// Bad input: the field, the value given and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {value} — {rule}")]
pub struct InputError {
    /// Where, as a dotted path (`persons.zhang.wage.2023-13`).
    pub field: String,
    /// The value given (cut to a readable length).
    pub value: String,
    /// What the rules require, in English.
    pub rule: String,
    /// What the rules require, in Chinese, where the message has been put in Chinese.
    pub rule_zh: Option<String>,
}

/// The dates a situation may give (a birth, a retirement, a month): far
/// enough either way for any person alive in the covered years, near enough
/// that no date arithmetic of the rules can overflow.
const EARLIEST_YEAR: i16 = 1850;
const LATEST_YEAR: i16 = 2200;

/// The longest value an error repeats; a longer one is cut (a 50 MB string
/// is not echoed back).
const VALUE_SHOWN: usize = 120;

impl InputError {
    /// An input error.
    pub fn new(field: impl Into<String>, value: impl fmt::Display, rule: impl Into<String>) -> InputError {
        let mut value = value.to_string();
        let length = value.chars().count();
        if length > VALUE_SHOWN {
            let cut: String = value.chars().take(VALUE_SHOWN).collect();
            value = format!("{cut}… ({length} characters)");
        }
        InputError { field: field.into(), value, rule: rule.into(), rule_zh: None }
    }

    /// The same error with its rule in Chinese too.
    pub fn zh(mut self, rule: impl Into<String>) -> InputError {
        self.rule_zh = Some(rule.into());
        self
    }

    /// The message in `lang`: the field, the value and the rule.
    pub fn message(&self, lang: crate::label::Lang) -> String {
        match (lang, &self.rule_zh) {
            (crate::label::Lang::Zh, Some(zh)) => format!("{}: {} — {zh}", self.field, self.value),
            (crate::label::Lang::Both, Some(zh)) => format!("{}: {} — {zh}；{}", self.field, self.value, self.rule),
            _ => self.to_string(),
        }
    }
}

/// The inputs of one entity: variable name → period → value.
pub type Inputs = BTreeMap<&'static str, BTreeMap<Period, Value>>;

/// A person of the situation.
#[derive(Clone, Debug)]
pub struct Person {
    /// The id given in the situation.
    pub id: String,
    /// The inputs given.
    pub inputs: Inputs,
}

/// A household of the situation.
#[derive(Clone, Debug)]
pub struct Household {
    /// The id given in the situation.
    pub id: String,
    /// Member persons, by index.
    pub members: Vec<usize>,
    /// The household's own inputs.
    pub inputs: Inputs,
}

/// A situation, read and checked against a rule book's variables.
///
/// Built by [`Situation::parse`] or [`Situation::new`], which index the
/// shares inputs by the person they name, so that a rule asking "which
/// children name this parent" ([`Situation::named_in`]) costs the number of
/// such children, not the number of persons.
#[derive(Clone, Debug)]
pub struct Situation {
    /// The year computed.
    pub year: i32,
    /// The persons, in the order given.
    pub persons: Vec<Person>,
    /// The households. A person in none gets a household of their own.
    pub households: Vec<Household>,
    /// Per person: (shares input, the person whose input it is, the share it names this person for).
    named: Vec<Vec<(&'static str, usize, Rate)>>,
}

/// The input format.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

/// A parsed value of any shape, before it is checked against a variable.
#[derive(Clone, Debug, PartialEq)]
enum Raw {
    Number(Decimal),
    Bool(bool),
    Text(String),
    Map(Vec<(String, Raw)>),
    List(Vec<Raw>),
    Null,
}

impl fmt::Display for Raw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Raw::Number(d) => d.fmt(f),
            Raw::Bool(b) => b.fmt(f),
            Raw::Text(t) => write!(f, "{t:?}"),
            Raw::Map(_) => f.write_str("a mapping"),
            Raw::List(_) => f.write_str("a list"),
            Raw::Null => f.write_str("null"),
        }
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, a boolean, a string, a mapping or a list")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Number(Decimal::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::Number(Decimal::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        // The shortest text that round-trips is the decimal the user wrote.
        Decimal::from_str_exact(&v.to_string()).map(Raw::Number).map_err(|_| {
            E::custom(format!("{v} has more digits than an exact number can hold; write it with at most 28 decimals"))
        })
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Text(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Text(v))
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Raw>()? {
            items.push(item);
        }
        Ok(Raw::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries: Vec<(String, Raw)> = Vec::new();
        // Keys seen, hashed: a map of many persons is checked in linear time.
        let mut seen = rustc_hash::FxHashSet::default();
        while let Some((k, v)) = map.next_entry::<Raw, Raw>()? {
            let key = match k {
                Raw::Text(t) => t,
                Raw::Number(n) => n.to_string(),
                other => return Err(de::Error::custom(format!("{other} cannot be a key"))),
            };
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            entries.push((key, v));
        }
        Ok(Raw::Map(entries))
    }
}

impl<'de> serde::Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

/// The YAML reader's limits, grown with the text: the input limit bounds
/// the file, so a situation of many persons is not refused for its size.
fn yaml_options(text: &str) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(text.len());
    budget.max_events = budget.max_events.max(text.len().saturating_mul(2));
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(text.len());
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// The YAML reader's message in the project's words, without the library's
/// configuration advice (`set DuplicateKeyPolicy in Options`).
fn yaml_message(e: &serde_saphyr::Error) -> String {
    e.to_string()
        .replace(", set DuplicateKeyPolicy in Options if acceptable", " (each key is given once)")
        .replace("budget breached", "the file is nested too deeply or is too large for YAML (give JSON)")
}

/// The most significant digits a fractional number keeps through the JSON
/// and YAML readers, which read it as a binary float: 15 digits survive the
/// round trip exactly, more may not.
const EXACT_DIGITS: usize = 15;

/// Refuses a fractional number (one with a point or an exponent) written
/// with more significant digits than survive the readers, so that
/// `0.10000000000000001` is an error rather than 0.1. Quoted text is skipped:
/// a number written as a string (`"1234.56"`) is read exactly. Every such
/// number of the text is named, with its line.
fn check_precision(text: &str) -> Result<(), Vec<InputError>> {
    let mut errs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut escaped = false;
        let mut token = String::new();
        let check = |token: &mut String, errs: &mut Vec<InputError>| {
            let t = token.trim_start_matches(['-', '+']);
            let numeric = t.chars().next().is_some_and(|c| c.is_ascii_digit())
                && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+' | '_'))
                && (t.contains('.') || t.contains(['e', 'E']))
                && !t.contains("..")
                && t.matches('.').count() <= 1;
            if numeric {
                let mantissa = t.split(['e', 'E']).next().unwrap_or(t);
                let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
                let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
                if significant > EXACT_DIGITS {
                    errs.push(
                        InputError::new(
                            format!("(line {})", n + 1),
                            token.as_str(),
                            format!("a number with more than {EXACT_DIGITS} significant digits is not read exactly; write it as a string, \"{t}\""),
                        )
                        .zh(format!("超过 {EXACT_DIGITS} 位有效数字的数无法精确读取；请写成字符串 \"{t}\"")),
                    );
                }
            }
            token.clear();
        };
        for c in line.chars() {
            match quote {
                Some(q) => {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' && q == '"' {
                        escaped = true;
                    } else if c == q {
                        quote = None;
                    }
                }
                None if c == '"' || c == '\'' => {
                    check(&mut token, &mut errs);
                    quote = Some(c);
                }
                None if c == '#' => break,
                None if c.is_whitespace() || matches!(c, ',' | ':' | '{' | '}' | '[' | ']') => {
                    check(&mut token, &mut errs)
                }
                None => token.push(c),
            }
        }
        if quote.is_none() {
            check(&mut token, &mut errs);
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}

/// The persons' ids, found by a hash lookup (a file of many persons is read
/// in time linear in its size).
struct PersonIds<'a> {
    ids: &'a [String],
    index: rustc_hash::FxHashMap<&'a str, usize>,
}

impl<'a> PersonIds<'a> {
    fn new(ids: &'a [String]) -> PersonIds<'a> {
        PersonIds { ids, index: ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect() }
    }

    fn find(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// A "did you mean" hint among the ids (looked for only on an error).
    fn suggest(&self, id: &str) -> String {
        suggest(id, self.ids.iter().map(String::as_str))
    }
}

/// Words close to `word` among `candidates`, for "did you mean" hints.
fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let mut best: Vec<(usize, &str)> =
        candidates.map(|c| (edit_distance(word, c), c)).filter(|(d, _)| *d <= 3).collect();
    best.sort();
    match best.first() {
        Some((_, c)) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(cur) };
            prev = cur;
        }
    }
    row[b.len()]
}

impl Situation {
    /// Reads a situation and checks it against the registry and the dates the
    /// rule book covers; the first error found (see [`Situation::read`] for all).
    pub fn parse(text: &str, format: Format, registry: &Registry, model: &ModelInfo) -> Result<Situation, InputError> {
        Situation::read(text, format, registry, model).map_err(|mut errors| errors.swap_remove(0))
    }

    /// Reads a situation and checks it against the registry and the dates the
    /// rule book covers, reporting every input error at once (a file that is
    /// not a mapping, or has no usable year or persons, gives one).
    pub fn read(
        text: &str,
        format: Format,
        registry: &Registry,
        model: &ModelInfo,
    ) -> Result<Situation, Vec<InputError>> {
        check_precision(text)?;
        let raw: Raw = match format {
            Format::Json => {
                serde_json::from_str(text).map_err(|e| vec![InputError::new("(file)", "JSON", e.to_string())])?
            }
            Format::Yaml => serde_saphyr::from_str_with_options(text, yaml_options(text))
                .map_err(|e| vec![InputError::new("(file)", "YAML", yaml_message(&e))])?,
        };
        let Raw::Map(top) = raw else {
            return Err(vec![
                InputError::new("(file)", raw, "a situation is a mapping with `year`, `persons` and `households`")
                    .zh("情形应为包含 year、persons 和 households 的映射"),
            ]);
        };
        let mut errs = Vec::new();
        let mut year = None;
        let mut raw_persons = None;
        let mut raw_households = None;
        for (k, v) in top {
            match k.as_str() {
                "year" => year = Some(v),
                "persons" => raw_persons = Some(v),
                "households" => raw_households = Some(v),
                _ => {
                    let hint = suggest(&k, ["year", "persons", "households"].into_iter());
                    errs.push(
                        InputError::new(
                            k.clone(),
                            "(field)",
                            format!("unknown field; a situation has `year`, `persons` and `households`{hint}"),
                        )
                        .zh(format!("未知字段；情形只有 year、persons 和 households{hint}")),
                    );
                }
            }
        }
        let fatal = |mut errs: Vec<InputError>, e: InputError| {
            errs.push(e);
            errs
        };
        let year = match year {
            Some(Raw::Number(n)) if n.fract().is_zero() && n.to_i32().is_some_and(|y| (1900..=2200).contains(&y)) => {
                n.to_i32().unwrap_or_default()
            }
            Some(other) => {
                let e = InputError::new("year", other, "the year computed, e.g. 2023").zh("计算的年份，例如 2023");
                return Err(fatal(errs, e));
            }
            None => {
                let e = InputError::new("year", "(missing)", "give the year to compute, e.g. `year: 2023`")
                    .zh("请给出计算年份，例如 `year: 2023`");
                return Err(fatal(errs, e));
            }
        };
        let (first, last) = (Month::new(year, 1), Month::new(year, 12));
        let covered = first.zip(last).is_some_and(|(f, l)| model.covers(f.first_day()) && model.covers(l.last_day()));
        if !covered {
            let span = match (model.covered_from, model.covered_until) {
                (Some(f), Some(u)) => format!("{} to {}", f.year(), u.year()),
                _ => "the covered years".into(),
            };
            let e = InputError::new("year", year, format!("the rules cover the years {span}"))
                .zh(format!("规则覆盖的年份为 {span}"));
            return Err(fatal(errs, e));
        }

        let Some(Raw::Map(raw_persons)) = raw_persons else {
            let e = InputError::new(
                "persons",
                "(missing)",
                "a situation needs `persons`: a mapping from person id to inputs",
            )
            .zh("情形需要 persons：从人员编号到输入的映射");
            return Err(fatal(errs, e));
        };
        let names: Vec<String> = raw_persons.iter().map(|(k, _)| k.clone()).collect();
        let ids = PersonIds::new(&names);
        let mut persons = Vec::new();
        for (id, raw_inputs) in &raw_persons {
            let field = format!("persons.{id}");
            let inputs = match raw_inputs {
                Raw::Map(m) => read_inputs(&field, m, EntityKind::Person, registry, year, &ids, &mut errs),
                Raw::Null => Inputs::new(),
                other => {
                    errs.push(
                        InputError::new(field, other, "a person is a mapping from input to value")
                            .zh("每个人员是从输入名到取值的映射"),
                    );
                    Inputs::new()
                }
            };
            persons.push(Person { id: id.clone(), inputs });
        }

        let mut households = Vec::new();
        let mut placed = vec![false; persons.len()];
        match raw_households {
            None | Some(Raw::Null) => {}
            Some(Raw::Map(hs)) => {
                for (hid, h) in hs {
                    let field = format!("households.{hid}");
                    let Some((members, inputs)) = read_household(&field, &h, &ids, registry, year, &mut errs) else {
                        continue;
                    };
                    let mut clash = false;
                    for &m in &members {
                        if placed[m] {
                            errs.push(
                                InputError::new(
                                    format!("{field}.members"),
                                    &names[m],
                                    "a person belongs to one household only",
                                )
                                .zh("一个人只能属于一个家庭户"),
                            );
                            clash = true;
                        }
                        placed[m] = true;
                    }
                    if !clash {
                        households.push(Household { id: hid, members, inputs });
                    }
                }
            }
            Some(other) => {
                errs.push(
                    InputError::new("households", other, "a mapping from household id to `{members: [...]}`")
                        .zh("households 应为从家庭户编号到 `{members: [...]}` 的映射"),
                );
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        for (i, p) in persons.iter().enumerate() {
            if !placed[i] {
                households.push(Household { id: p.id.clone(), members: vec![i], inputs: Inputs::new() });
            }
        }
        Ok(Situation::new(year, persons, households))
    }

    /// A situation of these persons and households (every person in exactly
    /// one household, every shares input naming persons of this situation).
    pub fn new(year: i32, persons: Vec<Person>, households: Vec<Household>) -> Situation {
        let mut named = vec![Vec::new(); persons.len()];
        for (owner, person) in persons.iter().enumerate() {
            for (name, series) in &person.inputs {
                for value in series.values() {
                    if let Value::Shares(shares) = value {
                        for &(p, share) in shares.iter() {
                            if let Some(list) = named.get_mut(p) {
                                list.push((*name, owner, share));
                            }
                        }
                    }
                }
            }
        }
        Situation { year, persons, households, named }
    }

    /// The index of the person with id `id`.
    pub fn person_index(&self, id: &str) -> Option<usize> {
        self.persons.iter().position(|p| p.id == id)
    }

    /// The person or household (as `kind` says) whose id is `id`.
    pub fn entity(&self, kind: EntityKind, id: &str) -> Option<Entity> {
        match kind {
            EntityKind::Person => self.person_index(id).map(Entity::Person),
            EntityKind::Household => self.households.iter().position(|h| h.id == id).map(Entity::Household),
        }
    }

    /// The ids of the persons or households (as `kind` says), in order.
    pub fn ids(&self, kind: EntityKind) -> Vec<&str> {
        match kind {
            EntityKind::Person => self.persons.iter().map(|p| p.id.as_str()).collect(),
            EntityKind::Household => self.households.iter().map(|h| h.id.as_str()).collect(),
        }
    }

    /// The independent part ([`Situation::into_components`]) that holds the
    /// person or household `id`, and that entity's index in it.
    pub fn into_part_holding(self, kind: EntityKind, id: &str) -> Option<(Situation, Entity)> {
        self.into_components().into_iter().find_map(|part| part.entity(kind, id).map(|e| (part, e)))
    }

    /// The persons whose shares input `var` names `person`, with the share it
    /// names them for, in the order of the persons.
    pub fn named_in<'s>(&'s self, var: &'s Variable, person: usize) -> impl Iterator<Item = (usize, Rate)> + 's {
        self.named
            .get(person)
            .into_iter()
            .flatten()
            .filter(move |(name, ..)| *name == var.name)
            .map(|&(_, o, r)| (o, r))
    }

    /// Splits the situation into its independent parts: the persons linked by
    /// a household or by a shares input (a child and the parents claiming it),
    /// each part a situation of its own with its persons and households in
    /// the order given. No rule reads across parts, so computing each part
    /// alone gives the same figures as computing the whole, in time and memory
    /// that grow with the part rather than the file.
    pub fn into_components(self) -> Vec<Situation> {
        let n = self.persons.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
            let (ra, rb) = (root(parent, a), root(parent, b));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
            }
        };
        for h in &self.households {
            for w in h.members.windows(2) {
                join(&mut parent, w[0], w[1]);
            }
        }
        for (p, list) in self.named.iter().enumerate() {
            for &(_, owner, _) in list {
                join(&mut parent, p, owner);
            }
        }
        // Component of each person, numbered by first appearance; new index within it.
        let mut component = vec![usize::MAX; n];
        let mut local = vec![0; n];
        let mut sizes: Vec<usize> = Vec::new();
        for p in 0..n {
            let r = root(&mut parent, p);
            if component[r] == usize::MAX {
                component[r] = sizes.len();
                sizes.push(0);
            }
            let c = component[r];
            component[p] = c;
            local[p] = sizes[c];
            sizes[c] += 1;
        }
        let mut parts: Vec<(Vec<Person>, Vec<Household>)> =
            sizes.iter().map(|&s| (Vec::with_capacity(s), Vec::new())).collect();
        for (p, mut person) in self.persons.into_iter().enumerate() {
            for series in person.inputs.values_mut() {
                for value in series.values_mut() {
                    if let Value::Shares(shares) = value {
                        *value = Value::Shares(shares.iter().map(|&(q, r)| (local[q], r)).collect());
                    }
                }
            }
            parts[component[p]].0.push(person);
        }
        for mut h in self.households {
            let Some(&first) = h.members.first() else { continue };
            let c = component[first];
            for m in &mut h.members {
                *m = local[*m];
            }
            parts[c].1.push(h);
        }
        parts.into_iter().map(|(persons, households)| Situation::new(self.year, persons, households)).collect()
    }

    /// The input value given for `var`, `entity` and `period`, if any.
    pub fn input(&self, var: &Variable, entity: Entity, period: Period) -> Option<&Value> {
        let inputs = match entity {
            Entity::Person(p) => &self.persons.get(p)?.inputs,
            Entity::Household(h) => &self.households.get(h)?.inputs,
        };
        inputs.get(var.name)?.get(&period)
    }
}

fn read_household(
    field: &str,
    raw: &Raw,
    ids: &PersonIds<'_>,
    registry: &Registry,
    year: i32,
    errs: &mut Vec<InputError>,
) -> Option<(Vec<usize>, Inputs)> {
    let Raw::Map(fields) = raw else {
        errs.push(
            InputError::new(field, raw, "a household is `{members: [person ids]}` with its inputs")
                .zh("家庭户应为 `{members: [人员编号]}` 及其输入"),
        );
        return None;
    };
    let (member_fields, input_fields): (Vec<_>, Vec<_>) = fields.iter().cloned().partition(|(k, _)| k == "members");
    let before = errs.len();
    let inputs = read_inputs(field, &input_fields, EntityKind::Household, registry, year, ids, errs);
    let mut members = Vec::new();
    let mut listed = rustc_hash::FxHashSet::default();
    for (k, v) in &member_fields {
        let Raw::List(list) = v else {
            errs.push(InputError::new(format!("{field}.{k}"), v, "a list of person ids").zh("人员编号的列表"));
            continue;
        };
        for item in list {
            let Raw::Text(t) = item else {
                errs.push(InputError::new(format!("{field}.members"), item, "a person id").zh("人员编号"));
                continue;
            };
            let Some(i) = ids.find(t) else {
                let hint = ids.suggest(t);
                errs.push(
                    InputError::new(format!("{field}.members"), t, format!("no such person{hint}"))
                        .zh(format!("没有这个人员{hint}")),
                );
                continue;
            };
            if !listed.insert(i) {
                errs.push(InputError::new(format!("{field}.members"), t, "listed twice").zh("重复列出"));
                continue;
            }
            members.push(i);
        }
    }
    if members.is_empty() && errs.len() == before {
        errs.push(
            InputError::new(format!("{field}.members"), "[]", "a household has at least one member")
                .zh("家庭户至少有一名成员"),
        );
    }
    (errs.len() == before).then_some((members, inputs))
}

fn read_inputs(
    field: &str,
    map: &[(String, Raw)],
    entity: EntityKind,
    registry: &Registry,
    year: i32,
    ids: &PersonIds<'_>,
    errs: &mut Vec<InputError>,
) -> Inputs {
    let mut inputs = Inputs::new();
    for (name, raw) in map {
        match read_input(field, name, raw, entity, registry, year, ids) {
            Ok((var, series)) => {
                inputs.insert(var, series);
            }
            Err(e) => errs.push(e),
        }
    }
    inputs
}

/// One input of an entity: the variable and its values by period.
fn read_input(
    field: &str,
    name: &str,
    raw: &Raw,
    entity: EntityKind,
    registry: &Registry,
    year: i32,
    ids: &PersonIds<'_>,
) -> Result<(&'static str, BTreeMap<Period, Value>), InputError> {
    {
        let f = format!("{field}.{name}");
        let var = registry.get(name).ok_or_else(|| {
            let inputs = registry.iter().filter(|v| v.is_input() && v.entity == entity).map(|v| v.name);
            let hint = suggest(name, inputs);
            InputError::new(&f, "(field)", format!("unknown input{hint}; `minsheng vars` lists them"))
                .zh(format!("未知输入{hint}；`minsheng vars` 列出全部输入"))
        })?;
        if !var.is_input() {
            return Err(InputError::new(&f, "(field)", "this figure is computed by the rules, not given as input")
                .zh("此项由规则计算，不作为输入"));
        }
        if var.entity != entity {
            let (en, zh) = match var.entity {
                EntityKind::Person => ("this input belongs to a person", "此输入属于人员"),
                EntityKind::Household => ("this input belongs to a household", "此输入属于家庭户"),
            };
            return Err(InputError::new(&f, "(field)", en).zh(zh));
        }
        let mut series = BTreeMap::new();
        match (var.period, raw) {
            (PeriodKind::Eternity, _) => {
                series.insert(Period::Eternity, convert(&f, raw, var, ids)?);
            }
            (_, Raw::Map(by_period)) => {
                for (key, v) in by_period {
                    let pf = format!("{f}.{key}");
                    let periods = parse_period_key(key, var.period).map_err(|e| {
                        InputError::new(&pf, key, format!("not a valid period: expected a {}", e.expected)).zh(
                            match var.period {
                                PeriodKind::Month => "期间无效：应为月份 YYYY-MM，或闭区间 YYYY-MM..YYYY-MM",
                                _ => "期间无效：应为年份 YYYY",
                            },
                        )
                    })?;
                    let value = convert(&pf, v, var, ids)?;
                    for p in periods {
                        let in_year = match p {
                            Period::Year(y) => y == year,
                            Period::Month(m) => m.year() == year,
                            Period::Eternity => true,
                        };
                        if !in_year {
                            return Err(InputError::new(&pf, key, format!("outside the situation's year {year}"))
                                .zh(format!("不在情形的年份 {year} 之内")));
                        }
                        if series.insert(p, value.clone()).is_some() {
                            return Err(InputError::new(&pf, key, "this period is given twice").zh("同一期间重复给出"));
                        }
                    }
                }
            }
            (kind, other) => {
                let example = if kind == PeriodKind::Month {
                    format!("{{{year}-01..{year}-12: …}}")
                } else {
                    format!("{{{year}: …}}")
                };
                return Err(InputError::new(&f, other, format!("a {kind}ly input is given by period, e.g. {example}"))
                    .zh(format!("按期间给出，例如 {example}")));
            }
        }
        Ok((var.name, series))
    }
}

fn convert(field: &str, raw: &Raw, var: &Variable, ids: &PersonIds<'_>) -> Result<Value, InputError> {
    // Amounts and exact numbers may come as decimal strings too (`"1234.56"`),
    // as the schema writes them: read them exactly.
    if let (ValueType::Money | ValueType::Number, Raw::Text(t)) = (var.value_type, raw)
        && let Ok(d) = Decimal::from_str(t.trim())
    {
        return convert(field, &Raw::Number(d), var, ids);
    }
    let bad = |rule: String, zh: &str| InputError::new(field, raw, rule).zh(zh);
    match (var.value_type, raw) {
        (ValueType::Money, Raw::Number(d)) => {
            if d.is_sign_negative() && !d.is_zero() {
                return Err(bad("an amount cannot be negative".into(), "金额不能为负"));
            }
            Money::from_decimal(*d).map(Value::Money).map_err(|e| {
                let zh = match e {
                    crate::money::MoneyError::SubFen(_) => "金额以元计，至多两位小数（精确到分）",
                    crate::money::MoneyError::OutOfRange(_) => "金额超出允许范围（±1,000,000,000,000 元）",
                };
                bad(e.to_string(), zh)
            })
        }
        (ValueType::Money, _) => {
            Err(bad("an amount in yuan, e.g. 30000 or 1234.56".into(), "以元计的金额，例如 30000 或 1234.56"))
        }
        (ValueType::Count, Raw::Number(d))
            if d.fract().is_zero() && !d.is_sign_negative() && *d <= Decimal::from(10_000) =>
        {
            Ok(Value::Count(d.to_i64().unwrap_or_default()))
        }
        (ValueType::Count, _) => Err(bad("a whole number from 0 to 10000".into(), "0 至 10000 的整数")),
        (ValueType::Bool, Raw::Bool(b)) => Ok(Value::Bool(*b)),
        (ValueType::Bool, _) => Err(bad("true or false".into(), "true 或 false")),
        (ValueType::Choice(options), Raw::Text(t)) => {
            options.iter().find(|o| **o == t).map(|o| Value::Choice(o)).ok_or_else(|| {
                bad(format!("one of: {}", options.join(", ")), &format!("取值之一：{}", options.join("、")))
            })
        }
        (ValueType::Choice(options), _) => {
            Err(bad(format!("one of: {}", options.join(", ")), &format!("取值之一：{}", options.join("、"))))
        }
        (ValueType::Text, Raw::Text(t)) if !t.trim().is_empty() && t.chars().count() <= 100 => {
            Ok(Value::Text(Arc::from(t.trim())))
        }
        (ValueType::Text, Raw::Number(n)) => Ok(Value::Text(Arc::from(n.to_string()))),
        (ValueType::Text, _) => Err(bad("a name of 1 to 100 characters".into(), "1 至 100 个字符的名称")),
        (ValueType::Number, Raw::Number(d)) if !d.is_sign_negative() && *d <= Decimal::from(100_000) => {
            Ok(Value::Number(*d))
        }
        (ValueType::Number, _) => {
            Err(bad("a number from 0 to 100000, e.g. 1.2345".into(), "0 至 100000 的数，例如 1.2345"))
        }
        (ValueType::Date, Raw::Text(t)) => match jiff::civil::Date::from_str(t) {
            Ok(d) if (EARLIEST_YEAR..=LATEST_YEAR).contains(&d.year()) => Ok(Value::Date(d)),
            Ok(_) => Err(bad(
                format!("a date from {EARLIEST_YEAR} to {LATEST_YEAR}"),
                &format!("{EARLIEST_YEAR} 至 {LATEST_YEAR} 年之间的日期"),
            )),
            Err(_) => Err(bad("a real calendar date, YYYY-MM-DD".into(), "真实存在的日期，YYYY-MM-DD")),
        },
        (ValueType::Date, _) => Err(bad("a date, YYYY-MM-DD".into(), "日期，YYYY-MM-DD")),
        (ValueType::Month, Raw::Text(t)) => match t.parse::<Month>() {
            Ok(m) if (i32::from(EARLIEST_YEAR)..=i32::from(LATEST_YEAR)).contains(&m.year()) => Ok(Value::Month(m)),
            Ok(_) => Err(bad(
                format!("a month from {EARLIEST_YEAR} to {LATEST_YEAR}"),
                &format!("{EARLIEST_YEAR} 至 {LATEST_YEAR} 年之间的月份"),
            )),
            Err(_) => Err(bad("a month, YYYY-MM".into(), "月份，YYYY-MM")),
        },
        (ValueType::Month, _) => Err(bad("a month, YYYY-MM".into(), "月份，YYYY-MM")),
        (ValueType::Shares, Raw::Map(m)) => {
            let mut shares = Vec::new();
            for (id, v) in m {
                let f = format!("{field}.{id}");
                let p = ids.find(id).ok_or_else(|| {
                    InputError::new(&f, id, format!("no such person in the situation{}", ids.suggest(id)))
                        .zh(format!("情形中没有这个人员{}", ids.suggest(id)))
                })?;
                match v {
                    Raw::Number(d) if d.fract().is_zero() && *d > Decimal::ZERO && *d <= Decimal::ONE_HUNDRED => {
                        shares.push((p, Rate::from_percent(d.to_i64().unwrap_or_default())));
                    }
                    other => {
                        return Err(InputError::new(&f, other, "a share in whole percent, above 0 and at most 100")
                            .zh("以整数百分比表示的份额，大于 0 且不超过 100"));
                    }
                }
            }
            Ok(Value::Shares(Arc::from(shares)))
        }
        (ValueType::Shares, _) => Err(bad(
            "a mapping from person id to percent, e.g. {zhang: 50, wang: 50}".into(),
            "从人员编号到百分比的映射，例如 {zhang: 50, wang: 50}",
        )),
        (ValueType::AmountsBy(keys), Raw::Map(m)) => {
            let mut rows = Vec::new();
            for (k, v) in m {
                let (f, key) = category(field, k, keys)?;
                match v {
                    Raw::Number(d) if !d.is_sign_negative() => {
                        rows.push((key, Money::from_decimal(*d).map_err(|e| InputError::new(&f, v, e.to_string()))?))
                    }
                    other => {
                        return Err(
                            InputError::new(&f, other, "an amount in yuan, not negative").zh("以元计的非负金额")
                        );
                    }
                }
            }
            Ok(Value::AmountsBy(Arc::from(rows)))
        }
        (ValueType::RatesBy(keys), Raw::Map(m)) => {
            let mut rows = Vec::new();
            for (k, v) in m {
                let (f, key) = category(field, k, keys)?;
                match v {
                    Raw::Number(d) if !d.is_sign_negative() && *d <= Decimal::ONE => {
                        rows.push((key, Rate::from_decimal(*d).map_err(|e| InputError::new(&f, v, e.to_string()))?))
                    }
                    other => {
                        return Err(
                            InputError::new(&f, other, "a rate from 0 to 1, e.g. 0.85").zh("0 至 1 的比率，例如 0.85")
                        );
                    }
                }
            }
            Ok(Value::RatesBy(Arc::from(rows)))
        }
        (ValueType::RateTiers, Raw::Map(m)) => {
            let mut tiers = Vec::new();
            for (k, v) in m {
                let f = format!("{field}.{k}");
                let from = Decimal::from_str(k)
                    .ok()
                    .filter(|d| !d.is_sign_negative())
                    .and_then(|d| Money::from_decimal(d).ok())
                    .ok_or_else(|| {
                        InputError::new(&f, k, "a tier starts from an amount in yuan, e.g. 0 or 100000")
                            .zh("每档起点为以元计的金额，例如 0 或 100000")
                    })?;
                match v {
                    Raw::Number(d) if !d.is_sign_negative() && *d <= Decimal::ONE => {
                        tiers.push((from, Rate::from_decimal(*d).map_err(|e| InputError::new(&f, v, e.to_string()))?))
                    }
                    other => {
                        return Err(
                            InputError::new(&f, other, "a rate from 0 to 1, e.g. 0.6").zh("0 至 1 的比率，例如 0.6")
                        );
                    }
                }
            }
            tiers.sort_by_key(|(from, _)| *from);
            if tiers.first().is_none_or(|(from, _)| !from.is_zero()) {
                return Err(bad("the first tier starts from 0".into(), "第一档从 0 起"));
            }
            Ok(Value::RateTiers(Arc::from(tiers)))
        }
        (ValueType::RateTiers, _) => Err(bad(
            "a mapping from the amount each tier starts at to its rate, e.g. {0: 0.6, 100000: 0.7}".into(),
            "从每档起点金额到比率的映射，例如 {0: 0.6, 100000: 0.7}",
        )),
        (ValueType::ByYear(columns), Raw::Map(m)) => by_year(field, m, columns),
        (ValueType::ByYear(columns), _) => Err(bad(
            format!(
                "a mapping from year to that year's figures ({}), e.g. {{2016: {{{}: …}}}}",
                columns.iter().map(|c| c.name).collect::<Vec<_>>().join(", "),
                columns.first().map_or("", |c| c.name)
            ),
            "从年份到当年各项数字的映射，例如 {2016: {base: 8000}}",
        )),
        (ValueType::AmountsBy(keys) | ValueType::RatesBy(keys), _) => Err(bad(
            format!("a mapping from category ({}) to value", keys.join(", ")),
            &format!("从类别（{}）到取值的映射", keys.join("、")),
        )),
    }
}

/// A record by year: each key a year, each value a mapping of the columns
/// given that year, each figure checked against its column's kind.
fn by_year(field: &str, map: &[(String, Raw)], columns: &'static [Column]) -> Result<Value, InputError> {
    let mut rows: Vec<YearRow> = Vec::with_capacity(map.len());
    for (key, v) in map {
        let f = format!("{field}.{key}");
        let year = key
            .parse::<i32>()
            .ok()
            .filter(|y| (i32::from(EARLIEST_YEAR)..=i32::from(LATEST_YEAR)).contains(y))
            .ok_or_else(|| {
                InputError::new(&f, key, format!("a year from {EARLIEST_YEAR} to {LATEST_YEAR}, e.g. 2016"))
                    .zh(format!("{EARLIEST_YEAR} 至 {LATEST_YEAR} 之间的年份，例如 2016"))
            })?;
        if rows.iter().any(|r| r.year == year) {
            return Err(InputError::new(&f, key, "this year is given twice").zh("同一年份给出了两次"));
        }
        let Raw::Map(cells) = v else {
            return Err(InputError::new(&f, v, "a mapping of this year's figures, e.g. {base: 8000, months: 12}")
                .zh("当年各项数字的映射，例如 {base: 8000, months: 12}"));
        };
        let mut given = Vec::with_capacity(cells.len());
        for (name, raw) in cells {
            let cf = format!("{f}.{name}");
            let Some(column) = columns.iter().find(|c| c.name == name) else {
                let hint = suggest(name, columns.iter().map(|c| c.name));
                let names = columns.iter().map(|c| c.name).collect::<Vec<_>>();
                return Err(InputError::new(
                    &cf,
                    "(field)",
                    format!("unknown column{hint}; the columns are {}", names.join(", ")),
                )
                .zh(format!("未知列{hint}；可用的列为 {}", names.join("、"))));
            };
            let d = match raw {
                Raw::Number(d) => Some(*d),
                Raw::Text(t) => Decimal::from_str(t.trim()).ok(),
                _ => None,
            };
            let d = match (column.kind, d) {
                (_, Some(d)) if d.is_sign_negative() && !d.is_zero() => None,
                (ColumnKind::Money, Some(d)) => Money::from_decimal(d).ok().map(|_| d),
                (ColumnKind::Months, Some(d)) => Some(d).filter(|d| d.fract().is_zero() && *d <= Decimal::from(12)),
                (ColumnKind::Rate, Some(d)) => Some(d).filter(|d| *d <= Decimal::ONE),
                (_, None) => None,
            };
            let Some(d) = d else {
                let (en, zh) = match column.kind {
                    ColumnKind::Money => ("an amount in yuan, not negative, to the fen", "以元计的非负金额，精确到分"),
                    ColumnKind::Months => ("a whole number of months from 0 to 12", "0 至 12 的整月数"),
                    ColumnKind::Rate => ("a rate from 0 to 1, e.g. 0.0261", "0 至 1 的比率，例如 0.0261"),
                };
                return Err(InputError::new(&cf, raw, format!("{}: {en}", column.label_en))
                    .zh(format!("{}：{zh}", column.label_zh)));
            };
            given.push((column.name, d));
        }
        rows.push(YearRow { year, cells: Arc::from(given) });
    }
    rows.sort_by_key(|r| r.year);
    Ok(Value::ByYear(Arc::from(rows)))
}

/// The field `field.k` of a by-category input, and the category `k` names
/// from the closed list `keys`.
fn category(field: &str, k: &str, keys: &'static [&'static str]) -> Result<(String, &'static str), InputError> {
    let f = format!("{field}.{k}");
    match keys.iter().find(|c| **c == k) {
        Some(key) => Ok((f, *key)),
        None => {
            Err(InputError::new(&f, k, format!("one of: {}", keys.join(", ")))
                .zh(format!("取值之一：{}", keys.join("、"))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_decimal_text() {
        let raw: Raw = serde_json::from_str("[1234.56, 0.1, 30000, 1e3]").unwrap();
        let Raw::List(items) = raw else { panic!() };
        assert_eq!(items[0], Raw::Number(Decimal::from_str("1234.56").unwrap()));
        assert_eq!(items[1], Raw::Number(Decimal::from_str("0.1").unwrap()));
        assert_eq!(items[2], Raw::Number(Decimal::from(30000)));
        assert_eq!(items[3], Raw::Number(Decimal::from(1000)));
        let yaml: Raw = serde_saphyr::from_str("{2023-01: 1234.56, 2023: 7}").unwrap();
        assert_eq!(
            yaml,
            Raw::Map(vec![
                ("2023-01".into(), Raw::Number(Decimal::from_str("1234.56").unwrap())),
                ("2023".into(), Raw::Number(Decimal::from(7)))
            ])
        );
    }

    #[test]
    fn numbers_that_would_lose_digits_are_refused() {
        assert!(check_precision("{\"wage\": {\"2024-01\": 0.10000000000000001}}").is_err());
        assert!(check_precision("wage: {2024-01: 1234.567890123456789}\n").is_err());
        assert!(check_precision("wage: {2024-01: 1.5e-3}\n").is_ok());
        assert!(check_precision("wage: {2024-01: \"0.10000000000000001\"}\n").is_ok(), "a string is exact");
        assert!(check_precision("birth_date: 1990-04-12\nwage: {2023-01..2023-12: 20000.50}\n").is_ok());
        assert!(check_precision("name: x # 0.10000000000000001\n").is_ok(), "a comment");
        assert!(check_precision("id: 12345678901234567890\n").is_ok(), "a whole number is exact");
    }

    #[test]
    fn suggests_near_names() {
        assert_eq!(suggest("wages", ["wage", "employer"].into_iter()), "; did you mean `wage`?");
        assert_eq!(suggest("zzzzzzzz", ["wage"].into_iter()), "");
    }
}
