//! Explanations (计算依据): the tree of figures and parameters a computed
//! figure came from, each with its value, meaning and legal source.

use std::collections::HashSet;
use std::fmt::Write;

use crate::eval::{Dep, Eval, Key, ParamRead};
use crate::label::Lang;
use crate::params::Origin;
use crate::value::Value;
use crate::variable::Entity;

/// One figure of an explanation tree.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Explanation {
    /// The variable's name.
    pub variable: &'static str,
    /// Chinese label.
    pub label_zh: &'static str,
    /// English label.
    pub label_en: &'static str,
    /// The person or household id.
    pub entity: String,
    /// The period.
    pub period: String,
    /// The knowledge date it was computed under, if not full knowledge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_at: Option<String>,
    /// The value.
    pub value: Value,
    /// The value as shown to a reader.
    pub text: String,
    /// The unit.
    pub unit: &'static str,
    /// The legal basis of the rule.
    pub reference: &'static str,
    /// For inputs: `given` or `default`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<&'static str>,
    /// Explained already, higher up in the tree.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub repeated: bool,
    /// Not expanded: the depth limit was reached.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    /// What it was computed from, in the order read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Item>,
}

/// One source of a figure.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Item {
    /// Another figure.
    Figure(Box<Explanation>),
    /// A parameter.
    Parameter(Box<ParamExplanation>),
}

/// A parameter read, with its meaning and citation.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ParamExplanation {
    /// The path.
    pub path: String,
    /// Chinese label.
    pub label_zh: String,
    /// English label.
    pub label_en: String,
    /// The date read for.
    pub date: String,
    /// As known on this date, if not full knowledge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_at: Option<String>,
    /// The value (or "not in force").
    pub value: String,
    /// First day of the value.
    pub in_force_from: String,
    /// Document number, title and article.
    pub citation: String,
    /// Where to read the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Baseline, or the reform that set it.
    pub origin: String,
}

/// Builds the explanation tree of `key`, expanding each figure once and
/// stopping at `max_depth` levels.
pub fn explain(ev: &Eval<'_>, key: &Key, max_depth: usize) -> Option<Explanation> {
    let mut seen = HashSet::new();
    build(ev, key, 0, max_depth, &mut seen)
}

fn build(ev: &Eval<'_>, key: &Key, depth: usize, max_depth: usize, seen: &mut HashSet<Key>) -> Option<Explanation> {
    let node = ev.node(key)?;
    let var = ev.registry().get(key.var)?;
    let sit = ev.situation();
    let entity = match key.entity {
        Entity::Person(p) => sit.persons.get(p).map(|p| p.id.clone()),
        Entity::Household(h) => sit.households.get(h).map(|h| h.id.clone()),
    }
    .unwrap_or_default();
    let text = match &node.value {
        Value::Shares(s) => s
            .iter()
            .map(|(p, r)| format!("{}: {r}", sit.persons.get(*p).map_or("?", |p| p.id.as_str())))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Unknown(u) => format!("unknown 未知: {u}"),
        v => v.to_string(),
    };
    let repeated = !node.deps.is_empty() && !seen.insert(*key);
    let truncated = !repeated && !node.deps.is_empty() && depth >= max_depth;
    let mut sources = Vec::new();
    if !repeated && !truncated {
        for dep in node.deps {
            match dep {
                Dep::Figure(k) => {
                    if let Some(e) = build(ev, k, depth + 1, max_depth, seen) {
                        sources.push(Item::Figure(Box::new(e)));
                    }
                }
                Dep::Param(read) => sources.push(Item::Parameter(Box::new(param_explanation(read)))),
            }
        }
    }
    Some(Explanation {
        variable: var.name,
        label_zh: var.label_zh,
        label_en: var.label_en,
        entity,
        period: key.period.to_string(),
        known_at: key.known_at.map(|d| d.to_string()),
        value: node.value.clone(),
        text,
        unit: var.value_type.unit(),
        reference: var.reference,
        input: node.given.map(|g| if g { "given" } else { "default" }),
        repeated,
        truncated,
        sources,
    })
}

fn param_explanation(read: &ParamRead<'_>) -> ParamExplanation {
    let (param, entry) = (read.parameter, read.entry);
    ParamExplanation {
        path: param.path.clone(),
        label_zh: param.label.zh.clone(),
        label_en: param.label.en.clone(),
        date: read.date.to_string(),
        known_at: read.known_at.map(|d| d.to_string()),
        value: match &entry.value {
            Some(v) => v.to_string(),
            None if entry.unknown => "unknown 未知 (not yet published)".to_string(),
            None => "not in force".to_string(),
        },
        in_force_from: entry.from.to_string(),
        citation: entry.citation.as_ref().map_or("(no citation)".to_string(), |c| c.to_string()),
        url: entry.citation.as_ref().and_then(|c| c.document.url.clone()),
        origin: match &entry.origin {
            Origin::Baseline => "baseline".into(),
            Origin::Reform(name) => format!("reform {name}"),
            Origin::CarriedForward(since) => format!("carried forward from {since} 沿用"),
        },
    }
}

/// Renders an explanation as an indented tree of text.
pub fn render(e: &Explanation, lang: Lang) -> String {
    let mut out = String::new();
    render_figure(e, lang, "", "", &mut out);
    out
}

fn label(zh: &str, en: &str, lang: Lang) -> String {
    match lang {
        Lang::Both => format!("{zh} {en}"),
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

fn render_figure(e: &Explanation, lang: Lang, first: &str, rest: &str, out: &mut String) {
    let mut line = format!("{first}{} = {}", label(e.label_zh, e.label_en, lang), e.text);
    let _ = write!(line, "  [{} · {} · {}", e.variable, e.entity, e.period);
    if let Some(k) = &e.known_at {
        let _ = write!(line, " · as known {k}");
    }
    line.push(']');
    match e.input {
        Some("given") => line.push_str("  (input)"),
        Some(_) => line.push_str("  (input, default)"),
        None => {}
    }
    if e.repeated {
        line.push_str("  (explained above)");
    }
    if e.truncated {
        line.push_str("  (…)");
    }
    out.push_str(&line);
    out.push('\n');
    if !e.sources.is_empty() && e.input.is_none() && !e.reference.is_empty() {
        let _ = writeln!(out, "{rest}│  ⤷ {}", e.reference);
    }
    let n = e.sources.len();
    for (i, item) in e.sources.iter().enumerate() {
        let last = i + 1 == n;
        let (f, r) = if last { ("└─ ", "   ") } else { ("├─ ", "│  ") };
        match item {
            Item::Figure(child) => render_figure(child, lang, &format!("{rest}{f}"), &format!("{rest}{r}"), out),
            Item::Parameter(p) => {
                let _ = write!(
                    out,
                    "{rest}{f}⚙ {} = {}  [{} @ {}",
                    label(&p.label_zh, &p.label_en, lang),
                    p.value,
                    p.path,
                    p.date
                );
                if let Some(k) = &p.known_at {
                    let _ = write!(out, " as known {k}");
                }
                let _ = writeln!(out, "; from {}; {}]", p.in_force_from, p.origin);
                let _ = writeln!(out, "{rest}{r}  § {}", p.citation);
            }
        }
    }
}
