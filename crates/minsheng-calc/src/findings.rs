//! What a calculation could not compute (unknown figures) and what it
//! computed on an assumption (notices), grouped by cause, with what the user
//! can give to compute it: the document's `unknowns` and `notices`, the
//! warnings under the tables and on standard error.

use std::sync::Arc;

use minsheng_core::{Entity, Label, Lang, Period, Registry, Unknown, Value, Variable};
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
}

/// Every unknown figure and every notice of a calculation, by cause.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Findings {
    /// Figures that could not be computed.
    pub unknowns: Vec<Finding>,
    /// Figures computed on an assumption.
    pub notices: Vec<Finding>,
}

fn entity_id(part: &Part, e: Entity) -> String {
    match e {
        Entity::Person(p) => part.situation.persons.get(p).map(|p| p.id.clone()),
        Entity::Household(h) => part.situation.households.get(h).map(|h| h.id.clone()),
    }
    .unwrap_or_default()
}

fn add(list: &mut Vec<Finding>, unknown: Arc<Unknown>, assumption: Option<Label>, figure: FigureRef) {
    let finding = match list.iter_mut().find(|f| f.unknown == unknown && f.assumption == assumption) {
        Some(f) => f,
        None => {
            list.push(Finding { unknown, assumption, figures: Vec::new() });
            list.last_mut().expect("just pushed")
        }
    };
    match finding
        .figures
        .iter_mut()
        .find(|f| f.scenario == figure.scenario && f.entity == figure.entity && f.variable == figure.variable)
    {
        Some(f) => {
            for p in figure.periods {
                if !f.periods.contains(&p) {
                    f.periods.push(p);
                }
            }
        }
        None => finding.figures.push(figure),
    }
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
                            add(&mut found.unknowns, Arc::clone(u), None, figure);
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
                add(&mut found.notices, Arc::clone(&notice.unknown), Some(notice.assumption.clone()), figure);
            }
        }
        found
    }

    /// Adds another part's findings.
    pub fn merge(&mut self, other: Findings) {
        for (list, theirs) in [(&mut self.unknowns, other.unknowns), (&mut self.notices, other.notices)] {
            for f in theirs {
                for figure in f.figures {
                    add(list, Arc::clone(&f.unknown), f.assumption.clone(), figure);
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

    /// The document's `unknowns` and `notices`.
    pub fn to_json(&self) -> (Json, Json) {
        let list = |findings: &[Finding]| -> Json {
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

    /// Warnings for people, one block per cause: the figures, why, and what to give.
    pub fn warnings(&self, lang: Lang) -> String {
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
        for f in &self.unknowns {
            let figures = describe(&f.figures);
            let head = match lang {
                Lang::Zh => "⚠ 未知",
                Lang::En => "⚠ unknown",
                Lang::Both => "⚠ 未知 unknown",
            };
            out.push_str(&format!("{head}: {figures}\n    {} — {}\n", pick(&f.unknown.reason), remedy(&f.unknown)));
        }
        for f in &self.notices {
            let figures = describe(&f.figures);
            let head = match lang {
                Lang::Zh => "⚠ 假设",
                Lang::En => "⚠ assumed",
                Lang::Both => "⚠ 假设 assumed",
            };
            let assumption = f.assumption.as_ref().map(pick).unwrap_or_default();
            out.push_str(&format!("{head}: {figures}: {assumption}\n    {}\n", pick(&f.unknown.reason)));
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
