//! What a calculation could not compute (unknown figures) and what it
//! computed on an assumption (notices), grouped by cause, with what the user
//! can give to compute it: the document's `unknowns` and `notices`, the
//! warnings under the tables and on standard error.

use std::sync::Arc;

use std::collections::BTreeSet;

use minsheng_core::params::Confidence;
use minsheng_core::{Entity, Label, Lang, Period, Registry, Uncertain, Unknown, Value, Variable};
use rustc_hash::FxHashMap;
use serde_json::{Value as Json, json};

use crate::document::period_key;
use crate::{Part, periods};

/// Figures of one variable of one entity under one scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FigureRef {
    /// The scenario's id.
    pub scenario: String,
    /// The person's or household's id.
    pub entity: String,
    /// The variable.
    pub variable: &'static str,
    /// The periods concerned.
    pub periods: Vec<Period>,
}

/// One cause and the figures it concerns.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// What is not known.
    pub unknown: Arc<Unknown>,
    /// For a notice: what the rule did instead. `None`: the figures are unknown.
    pub assumption: Option<Label>,
    /// The figures.
    pub figures: Vec<FigureRef>,
    /// Where each (scenario, entity, variable) is in `figures`.
    index: FxHashMap<(String, String, &'static str), usize>,
}

/// Findings by cause, with an index from cause to position (a file of many
/// persons may have a cause each, or one cause for all).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FindingList {
    list: Vec<Finding>,
    index: FxHashMap<(Arc<Unknown>, Option<Label>), usize>,
}

impl FindingList {
    /// The findings, in the order their causes were first met.
    pub fn iter(&self) -> std::slice::Iter<'_, Finding> {
        self.list.iter()
    }

    /// How many causes.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    fn add(&mut self, unknown: Arc<Unknown>, assumption: Option<Label>, figure: FigureRef) {
        let key = (unknown, assumption);
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                let (unknown, assumption) = key.clone();
                self.list.push(Finding { unknown, assumption, figures: Vec::new(), index: FxHashMap::default() });
                self.index.insert(key, self.list.len() - 1);
                self.list.len() - 1
            }
        };
        let finding = &mut self.list[i];
        let at = (figure.scenario.clone(), figure.entity.clone(), figure.variable);
        match finding.index.get(&at) {
            Some(&j) => {
                let f = &mut finding.figures[j];
                for p in figure.periods {
                    if !f.periods.contains(&p) {
                        f.periods.push(p);
                    }
                }
            }
            None => {
                finding.index.insert(at, finding.figures.len());
                finding.figures.push(figure);
            }
        }
    }
}

impl<'a> IntoIterator for &'a FindingList {
    type Item = &'a Finding;
    type IntoIter = std::slice::Iter<'a, Finding>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

/// A parameter value a calculation rests on that the official text does not
/// confirm (its citation's confidence is below high): the document's
/// `confidence.parameters`, and a line under the tables.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct UncertainValue {
    /// The parameter's path.
    pub parameter: String,
    /// The first day of the value read.
    pub from: String,
    /// Its confidence.
    pub confidence: Confidence,
    /// The document it cites, by id.
    pub document: String,
}

impl UncertainValue {
    /// The value an evaluator read.
    pub fn of(u: &Uncertain<'_>) -> UncertainValue {
        UncertainValue {
            parameter: u.parameter.path.clone(),
            from: u.entry.from.to_string(),
            confidence: u.confidence,
            document: u.entry.citation.as_ref().map_or(String::new(), |c| c.document_id.clone()),
        }
    }
}

/// Every unknown figure and every notice of a calculation, by cause, and
/// the parameter values below high confidence it rests on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Findings {
    /// Figures that could not be computed.
    pub unknowns: FindingList,
    /// Figures computed on an assumption.
    pub notices: FindingList,
    /// The values below high confidence the figures read, in order of parameter and date.
    pub uncertain: BTreeSet<UncertainValue>,
}

fn entity_id(part: &Part, e: Entity) -> String {
    match e {
        Entity::Person(p) => part.situation.persons.get(p).map(|p| p.id.clone()),
        Entity::Household(h) => part.situation.households.get(h).map(|h| h.id.clone()),
    }
    .unwrap_or_default()
}

impl Findings {
    /// The findings of one part: the reported figures (`vars`) that are
    /// unknown, and every notice its evaluators recorded.
    pub fn of_part(registry: &Registry, part: &Part, scenario_ids: &[String], vars: &[&'static Variable]) -> Findings {
        let mut found = Findings::default();
        for (id, figures) in scenario_ids.iter().zip(&part.figures) {
            for var in vars {
                let count = match var.entity {
                    minsheng_core::EntityKind::Person => part.situation.persons.len(),
                    minsheng_core::EntityKind::Household => part.situation.households.len(),
                };
                for i in 0..count {
                    let entity = match var.entity {
                        minsheng_core::EntityKind::Person => Entity::Person(i),
                        minsheng_core::EntityKind::Household => Entity::Household(i),
                    };
                    for p in periods(var.period, figures.year()) {
                        if let Value::Unknown(u) = figures.get(registry, var, entity, p) {
                            let figure = FigureRef {
                                scenario: id.clone(),
                                entity: entity_id(part, entity),
                                variable: var.name,
                                periods: vec![p],
                            };
                            found.unknowns.add(Arc::clone(u), None, figure);
                        }
                    }
                }
            }
            for notice in figures.notices() {
                let figure = FigureRef {
                    scenario: id.clone(),
                    entity: entity_id(part, notice.figure.entity),
                    variable: notice.figure.var,
                    periods: vec![notice.figure.period],
                };
                found.notices.add(Arc::clone(&notice.unknown), Some(notice.assumption.clone()), figure);
            }
            found.uncertain.extend(figures.uncertain().iter().cloned());
        }
        found
    }

    /// Adds another part's findings.
    pub fn merge(&mut self, other: Findings) {
        self.uncertain.extend(other.uncertain);
        for (list, theirs) in [(&mut self.unknowns, other.unknowns), (&mut self.notices, other.notices)] {
            for f in theirs.list {
                for figure in f.figures {
                    list.add(Arc::clone(&f.unknown), f.assumption.clone(), figure);
                }
            }
        }
    }

    /// Whether everything was computed without assumption.
    pub fn is_empty(&self) -> bool {
        self.unknowns.is_empty() && self.notices.is_empty()
    }

    /// The number of figures (variable, entity, period) reported unknown.
    pub fn unknown_figures(&self) -> usize {
        self.unknowns.iter().flat_map(|f| &f.figures).map(|f| f.periods.len()).sum()
    }

    /// The document's `confidence`: the lowest confidence among the values the
    /// figures rest on (`high` when every one is confirmed by the official
    /// text), and each value below high.
    pub fn confidence_json(&self) -> Json {
        let lowest = self.uncertain.iter().map(|u| u.confidence).min().unwrap_or(Confidence::High);
        json!({
            "lowest": lowest,
            "parameters": self.uncertain.iter().map(|u| json!({
                "parameter": u.parameter,
                "from": u.from,
                "confidence": u.confidence,
                "document": u.document,
            })).collect::<Vec<_>>(),
        })
    }

    /// A line for people under the tables: the values below high confidence
    /// the figures rest on; `None` where there is none.
    pub fn confidence_note(&self, lang: Lang) -> Option<String> {
        if self.uncertain.is_empty() {
            return None;
        }
        let list: Vec<String> = self
            .uncertain
            .iter()
            .map(|u| format!("{} ({}, {}, {})", u.parameter, u.from, u.confidence, u.document))
            .collect();
        let head = lang.pick(
            "以下参数取值尚未经官方原文核实，结果依赖于它们",
            "these figures rest on values not confirmed by the official text",
            " / ",
        );
        let colon = if lang == Lang::Zh { "：" } else { ":" };
        Some(format!("ⓘ {head}{colon}\n    {}\n", list.join("\n    ")))
    }

    /// The document's `unknowns` and `notices`.
    pub fn to_json(&self) -> (Json, Json) {
        let list = |findings: &FindingList| -> Json {
            findings
                .iter()
                .map(|f| {
                    let mut doc = json!({
                        "reason": f.unknown.reason,
                        "supplied_by": f.unknown.supplied_by,
                        "remedy": {"zh": f.unknown.remedy_zh(), "en": f.unknown.remedy_en()},
                        "figures": f.figures.iter().map(|r| json!({
                            "scenario": r.scenario,
                            "entity": r.entity,
                            "variable": r.variable,
                            "periods": r.periods.iter().map(|p| period_key(*p)).collect::<Vec<_>>(),
                        })).collect::<Vec<_>>(),
                    });
                    if let Some(p) = &f.unknown.parameter {
                        doc["parameter"] = json!(p);
                    }
                    if let Some(d) = f.unknown.date {
                        doc["date"] = json!(d.to_string());
                    }
                    if let Some(field) = &f.unknown.field {
                        doc["field"] = json!(field);
                    }
                    if let Some(a) = &f.assumption {
                        doc["assumption"] = json!(a);
                    }
                    doc
                })
                .collect()
        };
        (list(&self.unknowns), list(&self.notices))
    }

    /// Warnings for people, one block per cause (the first `most`, then a
    /// count of the rest): the figures, why, and what to give.
    pub fn warnings(&self, lang: Lang, most: usize) -> String {
        let mut out = String::new();
        let pick = |l: &Label| match lang {
            Lang::Zh => l.zh.clone(),
            Lang::En => l.en.clone(),
            Lang::Both => format!("{} / {}", l.zh, l.en),
        };
        let remedy = |u: &Unknown| match lang {
            Lang::Zh => u.remedy_zh(),
            Lang::En => u.remedy_en(),
            Lang::Both => format!("{} / {}", u.remedy_zh(), u.remedy_en()),
        };
        let head = |zh: &str, en: &str| pick(&Label { zh: format!("⚠ {zh}"), en: format!("⚠ {en}") });
        for f in self.unknowns.iter().take(most) {
            let (head, figures) = (head("未知", "unknown"), describe(&f.figures));
            out.push_str(&format!("{head}: {figures}\n    {} — {}\n", pick(&f.unknown.reason), remedy(&f.unknown)));
        }
        for f in self.notices.iter().take(most) {
            let (head, figures) = (head("假设", "assumed"), describe(&f.figures));
            let assumption = f.assumption.as_ref().map(pick).unwrap_or_default();
            out.push_str(&format!("{head}: {figures}: {assumption}\n    {}\n", pick(&f.unknown.reason)));
        }
        let more = self.unknowns.len().saturating_sub(most) + self.notices.len().saturating_sub(most);
        if more > 0 {
            out.push_str(&match lang {
                Lang::Zh => format!("… 另有 {more} 个原因\n"),
                Lang::En => format!("… and {more} more causes\n"),
                Lang::Both => format!("… 另有 {more} 个原因 and {more} more causes\n"),
            });
        }
        out
    }
}

/// `me: social_insurance.base (2027-01..2027-12), …`, at most a few variables an entity.
fn describe(figures: &[FigureRef]) -> String {
    let mut entities: Vec<(&str, Vec<String>)> = Vec::new();
    for f in figures {
        let span = match (f.periods.first(), f.periods.last()) {
            (Some(a), Some(b)) if a != b => format!("{}..{}", period_key(*a), period_key(*b)),
            (Some(a), _) => period_key(*a),
            _ => String::new(),
        };
        let text = format!("{} ({span})", f.variable);
        match entities.iter_mut().find(|(e, _)| *e == f.entity) {
            Some((_, vars)) if !vars.contains(&text) => vars.push(text),
            Some(_) => {}
            None => entities.push((&f.entity, vec![text])),
        }
    }
    entities
        .iter()
        .map(|(e, vars)| {
            let shown: Vec<&str> = vars.iter().take(4).map(String::as_str).collect();
            let more = if vars.len() > 4 { format!(" +{}", vars.len() - 4) } else { String::new() };
            format!("{e}: {}{more}", shown.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
