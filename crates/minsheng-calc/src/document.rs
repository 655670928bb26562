//! The calculation document, schema version 1: what `minsheng calc --json`
//! prints, what the HTTP API returns and what the Python package reads.
//!
//! ```json
//! {
//!   "schema_version": "1.0",
//!   "year": 2023,
//!   "scenarios": [{"id": "baseline", "label": {"zh": "现行政策", "en": "Current law"}}],
//!   "persons": {
//!     "mother": {
//!       "household": "home",
//!       "figures": {"baseline": {"iit.annual.tax": {"2023": "1234.50"},
//!                                "iit.withholding.wage_tax": {"2023-01": "102.90", "…": "…"}}}
//!     }
//!   },
//!   "households": {"home": {"members": ["mother"], "figures": {"baseline": {"…": {}}}}}
//! }
//! ```
//!
//! Outputs only: the inputs stay in the situation. Each figure is keyed by
//! its variable (`minsheng vars --json` gives its type, unit, entity and
//! period) and then by its period: `YYYY-MM` for a monthly figure, `YYYY`
//! for a yearly one, `eternity` for a timeless one. Values by type: money is
//! an exact decimal string of yuan with two decimals (`"1234.50"`), an exact
//! number (an index) a decimal string, a count an integer, yes/no a boolean,
//! a choice, a text, a date (`YYYY-MM-DD`) or a month (`YYYY-MM`) a string,
//! and a figure without a value `null`.
//!
//! `unknowns` lists, by cause, the figures that could not be computed (their
//! value is `null`): the parameter or input that is not known, why, and the
//! inputs that would supply them (`supplied_by`, `remedy`). `notices` lists
//! the figures computed on an assumption where something they read was
//! unknown (the tax on wages without contributions that cannot be known),
//! with the assumption made. `confidence` gives the lowest confidence of the
//! parameter values the figures read and lists each value below high (the
//! parameter, the day it applies from, its confidence and its document): a
//! result resting on a figure the official text does not confirm says so.

use std::io::{self, Write};

use minsheng_core::{Entity, EntityKind, Period, PeriodKind, Registry, Value, Variable};
use serde_json::{Map, Value as Json, json};

use crate::findings::Findings;
use crate::{Part, Scenario, periods};

/// The version of the document's shape. A reader checks the major number;
/// a minor rise only adds fields.
pub const SCHEMA_VERSION: &str = "1.0";

/// A value in the schema's types.
pub fn value(v: &Value) -> Json {
    match v {
        Value::Money(m) => Json::String(m.to_string()),
        Value::Count(n) => Json::from(*n),
        Value::Bool(b) => Json::Bool(*b),
        Value::Choice(c) => Json::String((*c).to_string()),
        Value::Text(t) => Json::String(t.to_string()),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Month(m) => Json::String(m.to_string()),
        Value::Number(d) => Json::String(d.normalize().to_string()),
        Value::Shares(_) | Value::AmountsBy(_) | Value::RatesBy(_) | Value::RateTiers(_) | Value::ByYear(_) => {
            Json::String(v.to_string())
        }
        Value::Absent | Value::Unknown(_) => Json::Null,
    }
}

/// The key of a period in the document.
pub fn period_key(p: Period) -> String {
    match p {
        Period::Eternity => "eternity".into(),
        other => other.to_string(),
    }
}

/// Appends `v` as JSON in the schema's types.
fn push_value(out: &mut String, v: &Value) {
    use std::fmt::Write as _;
    match v {
        Value::Money(m) => {
            let _ = write!(out, "\"{m}\"");
        }
        Value::Count(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Date(d) => {
            let _ = write!(out, "\"{d}\"");
        }
        Value::Month(m) => {
            let _ = write!(out, "\"{m}\"");
        }
        Value::Absent => out.push_str("null"),
        other => out.push_str(&value(other).to_string()),
    }
}

/// Appends `text` as a JSON string.
fn push_str(out: &mut String, text: &str) {
    out.push_str(&Json::from(text).to_string());
}

/// The periods of a year and their keys as written (`"2023-01":`), made once a part.
struct PeriodKeys {
    months: Vec<Period>,
    month_keys: Vec<String>,
    year: [Period; 1],
    year_key: [String; 1],
}

impl PeriodKeys {
    fn of(year: i32) -> PeriodKeys {
        let months = periods(PeriodKind::Month, year);
        let month_keys = months.iter().map(|p| format!("\"{}\":", period_key(*p))).collect();
        PeriodKeys { months, month_keys, year: [Period::Year(year)], year_key: [format!("\"{year}\":")] }
    }
}

/// Appends the figures of one entity of a part under each scenario:
/// `{"baseline": {"var": {"2023-01": "…", …}, …}, …}`. Variable names and
/// period keys are plain ASCII identifiers, written without escaping.
fn push_figures(
    out: &mut String,
    registry: &Registry,
    part: &Part,
    ids: &[String],
    vars: &[&'static Variable],
    entity: Entity,
) {
    let keys = PeriodKeys::of(part.figures.first().map_or(0, |f| f.year()));
    out.push('{');
    for (i, (id, figures)) in ids.iter().zip(&part.figures).enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_str(out, id);
        out.push_str(":{");
        let mut first = true;
        for var in vars.iter().filter(|v| v.entity == entity.kind()) {
            if !first {
                out.push(',');
            }
            first = false;
            out.push('"');
            out.push_str(var.name);
            out.push_str("\":{");
            let (periods, keys) = match var.period {
                PeriodKind::Month => (&keys.months[..], &keys.month_keys[..]),
                PeriodKind::Year => (&keys.year[..], &keys.year_key[..]),
                PeriodKind::Eternity => (&[Period::Eternity][..], &["\"eternity\":".to_string()][..]),
            };
            for (k, (p, key)) in periods.iter().zip(keys).enumerate() {
                if k > 0 {
                    out.push(',');
                }
                out.push_str(key);
                push_value(out, figures.get(registry, var, entity, *p));
            }
            out.push('}');
        }
        out.push('}');
    }
    out.push('}');
}

/// One part rendered for the document: its persons' entries, joined by
/// commas, and each household's entry. Rendering is the costly step, so it
/// runs where the part was computed (in parallel); the writer only joins.
#[derive(Clone, Debug, Default)]
pub struct PartJson {
    persons: String,
    households: Vec<String>,
    findings: Findings,
}

impl PartJson {
    /// Renders the figures `vars` of `part` under the scenarios `ids`.
    pub fn render(registry: &Registry, part: &Part, ids: &[String], vars: &[&'static Variable]) -> PartJson {
        let sit = &part.situation;
        let mut household_of = vec![None; sit.persons.len()];
        for h in &sit.households {
            for &m in &h.members {
                household_of[m] = Some(h.id.as_str());
            }
        }
        let mut persons = String::new();
        for (p, person) in sit.persons.iter().enumerate() {
            if p > 0 {
                persons.push(',');
            }
            push_str(&mut persons, &person.id);
            persons.push_str(":{\"household\":");
            match household_of[p] {
                Some(h) => push_str(&mut persons, h),
                None => persons.push_str("null"),
            }
            persons.push_str(",\"figures\":");
            push_figures(&mut persons, registry, part, ids, vars, Entity::Person(p));
            persons.push('}');
        }
        let households = sit
            .households
            .iter()
            .enumerate()
            .map(|(h, household)| {
                let mut out = String::new();
                push_str(&mut out, &household.id);
                out.push_str(":{\"members\":[");
                for (i, &m) in household.members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_str(&mut out, &sit.persons[m].id);
                }
                out.push_str("],\"figures\":");
                push_figures(&mut out, registry, part, ids, vars, Entity::Household(h));
                out.push('}');
                out
            })
            .collect();
        PartJson { persons, households, findings: Findings::of_part(registry, part, ids, vars) }
    }

    /// What the part could not compute, or computed on an assumption.
    pub fn findings(&self) -> &Findings {
        &self.findings
    }
}

/// Writes a calculation document part by part: persons are written as
/// their part arrives, households (a few figures each) are held until
/// [`DocumentWriter::finish`].
pub struct DocumentWriter<W: Write> {
    out: W,
    persons_written: bool,
    households: Vec<String>,
    findings: Findings,
}

impl<W: Write> DocumentWriter<W> {
    /// Starts a document for `year` under `scenarios`.
    pub fn begin(mut out: W, year: i32, scenarios: &[Scenario<'_>]) -> io::Result<DocumentWriter<W>> {
        let list: Vec<Json> = scenarios.iter().map(|s| json!({"id": s.id, "label": s.label})).collect();
        write!(
            out,
            "{{\"schema_version\":{},\"year\":{year},\"scenarios\":{},\"persons\":{{",
            Json::from(SCHEMA_VERSION),
            Json::Array(list)
        )?;
        Ok(DocumentWriter { out, persons_written: false, households: Vec::new(), findings: Findings::default() })
    }

    /// Writes the persons of one rendered part and keeps its households.
    pub fn part(&mut self, part: PartJson) -> io::Result<()> {
        if !part.persons.is_empty() {
            if self.persons_written {
                self.out.write_all(b",")?;
            }
            self.out.write_all(part.persons.as_bytes())?;
            self.persons_written = true;
        }
        self.households.extend(part.households);
        self.findings.merge(part.findings);
        Ok(())
    }

    /// What the document's parts could not compute, so far.
    pub fn findings(&self) -> &Findings {
        &self.findings
    }

    /// Writes the households, the unknown figures and the notices, and closes the document.
    pub fn finish(self) -> io::Result<W> {
        self.finish_with(Map::new())
    }

    /// Like [`DocumentWriter::finish`], with `extra` members after the notices: the
    /// `explanations` and `axis` the API's `calculate` was asked for.
    pub fn finish_with(mut self, extra: Map<String, Json>) -> io::Result<W> {
        self.out.write_all(b"},\"households\":{")?;
        self.out.write_all(self.households.join(",").as_bytes())?;
        let (unknowns, notices) = self.findings.to_json();
        let confidence = self.findings.confidence_json();
        write!(self.out, "}},\"unknowns\":{unknowns},\"notices\":{notices},\"confidence\":{confidence}")?;
        for (key, member) in extra {
            write!(self.out, ",{}:{member}", Json::from(key))?;
        }
        writeln!(self.out, "}}")?;
        Ok(self.out)
    }
}

/// The error document: every input error found, each with its field path
/// (`persons.me.wage.2023-13`), the value given, the rule it breaks and a
/// message; `line` is the line of a stream the errors are on.
pub fn error_document(line: Option<usize>, errors: &[minsheng_core::InputError]) -> Json {
    let list: Vec<Json> = errors
        .iter()
        .map(|e| {
            json!({
                "code": "invalid_input",
                "field": e.field,
                "value": e.value,
                "rule": e.rule,
                "message": {"en": e.to_string(), "zh": e.message(minsheng_core::Lang::Zh)},
                "rule_zh": e.rule_zh,
            })
        })
        .collect();
    let mut doc = json!({"schema_version": SCHEMA_VERSION, "errors": list});
    if let Some(n) = line {
        doc["line"] = Json::from(n);
    }
    doc
}

/// The changes each reform makes, gathered part by part: for each reform,
/// each amount (money, or an exact number) that differs from the baseline, as
/// reform minus baseline, exact; unchanged figures are left out.
///
/// ```json
/// {"no-2024-rises": {"persons": {"me": {"iit.total": {"2024": "-120.00"}}}, "households": {}}}
/// ```
#[derive(Clone, Debug, Default)]
pub struct Differences {
    by_reform: Map<String, Json>,
}

impl Differences {
    /// Adds what each reform (`ids` after the first, the baseline) changes in the figures `vars` of `part`.
    pub fn add(&mut self, registry: &Registry, part: &Part, ids: &[String], vars: &[&'static Variable]) {
        let sit = &part.situation;
        let Some(base) = part.figures.first() else { return };
        for (s, reform) in ids.iter().enumerate().skip(1) {
            let entry =
                self.by_reform.entry(reform.clone()).or_insert_with(|| json!({"persons": {}, "households": {}}));
            for (kind, key) in [(EntityKind::Person, "persons"), (EntityKind::Household, "households")] {
                let Some(entities) = entry.get_mut(key).and_then(Json::as_object_mut) else { continue };
                for (i, id) in sit.ids(kind).into_iter().enumerate() {
                    let entity = match kind {
                        EntityKind::Person => Entity::Person(i),
                        EntityKind::Household => Entity::Household(i),
                    };
                    let mut changed = Map::new();
                    for &v in vars.iter().filter(|v| v.entity == kind) {
                        let mut deltas = Map::new();
                        for period in periods(v.period, sit.year) {
                            let delta = match (
                                base.get(registry, v, entity, period),
                                part.figures[s].get(registry, v, entity, period),
                            ) {
                                (Value::Money(before), Value::Money(after)) if after != before => {
                                    Some((*after - *before).to_string())
                                }
                                (Value::Number(before), Value::Number(after)) if after != before => {
                                    Some(format!("{:.2}", after - before))
                                }
                                _ => None,
                            };
                            if let Some(delta) = delta {
                                deltas.insert(period_key(period), Json::String(delta));
                            }
                        }
                        if !deltas.is_empty() {
                            changed.insert(v.name.to_string(), Json::Object(deltas));
                        }
                    }
                    if !changed.is_empty() {
                        entities.insert(id.to_string(), Json::Object(changed));
                    }
                }
            }
        }
    }

    /// The changes gathered, by reform.
    pub fn into_json(self) -> Json {
        Json::Object(self.by_reform)
    }
}
