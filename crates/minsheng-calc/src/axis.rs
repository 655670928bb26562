//! Axes (变量轴): one money input of one person varied over a range, the
//! other inputs held, and chosen figures traced along it: the net-income
//! and marginal-rate curves of an analyst, the "what if I earned more" of a
//! citizen. Each point is the situation read again with the input set, so
//! every check of the rules applies at every point.

use minsheng_cn::RuleBook;
use minsheng_core::situation::Format;
use minsheng_core::{EvalError, InputError, Money, PeriodKind, Situation, Value, ValueType, Variable};
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json, json};

use crate::document::{period_key, value};
use crate::{Figures, Outputs, Scenario, periods};

/// The most points an axis may have.
pub const MAX_POINTS: usize = 201;

/// The most person-points (points × persons of the part varied) an axis may cost.
pub const MAX_PERSON_POINTS: usize = 20_000;

/// One input varied: `input` of `person` from `from` to `to` by `step`, in yuan.
#[derive(Clone, Debug)]
pub struct Axis {
    /// The person's id (default: the first person).
    pub person: Option<String>,
    /// A money input of persons (`wage`, `labour_income`, …).
    pub input: String,
    /// The first value.
    pub from: String,
    /// The last value (reached if `to - from` is a whole number of steps).
    pub to: String,
    /// The step.
    pub step: String,
}

/// Why an axis could not be run.
#[derive(Debug, thiserror::Error)]
pub enum AxisError {
    /// The axis or a point's situation is bad input (fields under `axes.`).
    #[error("{}", .0.first().map(ToString::to_string).unwrap_or_default())]
    Input(Vec<InputError>),
    /// The rules failed (a bug).
    #[error("{0}")]
    Rules(String),
}

impl From<InputError> for AxisError {
    fn from(e: InputError) -> AxisError {
        AxisError::Input(vec![e])
    }
}

fn amount(field: &str, text: &str) -> Result<Money, InputError> {
    let refuse = |rule: String| InputError::new(format!("axes.{field}"), text, rule);
    let d: Decimal = text.trim().parse().map_err(|_| {
        refuse("an amount of yuan as a decimal string, such as \"5000\" or \"12.50\"".into())
            .zh("金额（元），十进制字符串，如 \"5000\" 或 \"12.50\"")
    })?;
    let m = Money::from_decimal(d).map_err(|e| refuse(e.to_string()).zh("金额须精确到分，且在允许范围内"))?;
    if m.is_negative() {
        return Err(refuse("an input amount is never negative".into()).zh("输入金额不能为负"));
    }
    Ok(m)
}

impl Axis {
    /// The values of the axis, checked: from ≤ to, a positive step, at most [`MAX_POINTS`].
    pub fn values(&self) -> Result<Vec<Money>, InputError> {
        let (from, to, step) = (amount("from", &self.from)?, amount("to", &self.to)?, amount("step", &self.step)?);
        if to < from {
            return Err(InputError::new("axes.to", &self.to, format!("at least `from` ({from})"))
                .zh(format!("不得小于 from（{from}）")));
        }
        if step.is_zero() {
            return Err(InputError::new("axes.step", &self.step, "a positive step").zh("步长须为正数"));
        }
        let points = (to.fen() - from.fen()) / step.fen() + 1;
        if points > MAX_POINTS as i64 {
            return Err(InputError::new(
                "axes.step",
                &self.step,
                format!("{points} points from {from} to {to}; at most {MAX_POINTS}: take a larger step"),
            )
            .zh(format!("共 {points} 个点，至多 {MAX_POINTS} 个：请加大步长")));
        }
        Ok((0..points).map(|i| Money::from_fen(from.fen() + i * step.fen())).collect())
    }
}

/// The input variable an axis varies: a money input of persons.
fn input_variable(book: &RuleBook, name: &str) -> Result<&'static Variable, InputError> {
    let var = book.registry.get(name).filter(|v| v.is_input()).ok_or_else(|| {
        InputError::new("axes.input", name, "not an input; GET /api/v1/inputs lists them").zh("不是输入变量")
    })?;
    if var.value_type != ValueType::Money || var.entity != minsheng_core::EntityKind::Person {
        return Err(InputError::new("axes.input", name, "an axis varies a money input of a person (such as `wage`)")
            .zh("变量轴只能改变个人的金额输入（如 `wage`）"));
    }
    Ok(var)
}

/// `situation` (JSON) with `input` of `person` set to `amount` for the whole year.
fn with_input(situation: &Json, year: i32, person: &str, var: &Variable, amount: Money) -> Json {
    let number: Json = serde_json::from_str(&amount.to_string()).unwrap_or(Json::Null);
    let given = match var.period {
        PeriodKind::Month => json!({ format!("{year}-01..{year}-12"): number }),
        PeriodKind::Year => json!({ year.to_string(): number }),
        PeriodKind::Eternity => number,
    };
    let mut s = situation.clone();
    if let Some(p) = s.get_mut("persons").and_then(|p| p.get_mut(person)).and_then(Json::as_object_mut) {
        p.insert(var.name.to_string(), given);
    }
    s
}

/// Runs `axis` over `base` (the situation as read) and its JSON `situation`:
/// for each scenario and each asked figure of the entities in the part of
/// the situation that holds the person, the figure's value at every point.
///
/// The slope of each figure between points is per yuan of the input over
/// the figure's period (a monthly input set for the year is twelve times its
/// value in a yearly figure), so that a tax's slope is its marginal rate.
/// A kink (or cliff) is a point where a figure's slope changes; its causes
/// are the figures underneath whose own slope changes there while nothing
/// they read does, with their legal references and parameters.
///
/// ```json
/// {"person": "me", "input": "wage", "values": ["0.00", "1000.00", "2000.00"],
///  "figures": {"baseline": {"iit.total": {"me": {"2026": ["0.00", "0.00", "0.00"]}}}},
///  "slopes": {"baseline": {"iit.total": {"me": {"2026": ["0", "0"]}}}},
///  "kinks": {"baseline": [{"figure": "iit.total", "entity": "me", "at": 1, "value": "1000.00",
///            "causes": [{"variable": "…", "label": {…}, "reference": "…", "parameters": […]}]}]}}
/// ```
///
/// # Errors
/// [`AxisError::Input`] for a bad axis (fields `axes.*`), a point whose
/// situation breaks a rule, or `outputs` not given.
pub fn run_axis(
    book: &RuleBook,
    situation: &Json,
    base: &Situation,
    axis: &Axis,
    scenarios: &[Scenario<'_>],
    outputs: &Outputs,
) -> Result<Json, AxisError> {
    let Outputs::Only(_) = outputs else {
        return Err(InputError::new("outputs", "(none)", "an axis traces the figures named in `outputs`; name them")
            .zh("变量轴只追踪 `outputs` 列出的数值；请列出")
            .into());
    };
    let var = input_variable(book, &axis.input)?;
    let person = match &axis.person {
        Some(id) => {
            base.person_index(id).ok_or_else(|| {
                InputError::new("axes.person", id, "no such person in the situation").zh("情形中没有这个人")
            })?;
            id.clone()
        }
        None => base.persons.first().map(|p| p.id.clone()).unwrap_or_default(),
    };
    let values = axis.values()?;
    let vars = outputs.variables(&book.registry);
    let closure = dependencies(&vars);
    let year = base.year;
    // [scenario][output slot][point]: the values as the document gives them, and in fen.
    let mut series: Vec<Vec<Vec<Json>>> = Vec::new();
    let mut amounts: Vec<Vec<Vec<Option<i64>>>> = Vec::new();
    // [scenario][tracked figure][point]: each figure of the closure over the year, in fen.
    let mut totals: Vec<Vec<Vec<Option<i64>>>> = Vec::new();
    let mut slots: Vec<(&'static Variable, String, minsheng_core::Period)> = Vec::new();
    let mut tracked: Vec<(&'static Variable, String)> = Vec::new();
    for (k, amount) in values.iter().enumerate() {
        let text = with_input(situation, year, &person, var, *amount).to_string();
        let point = book.read_situation(&text, Format::Json).map_err(|errors| {
            AxisError::Input(
                errors
                    .into_iter()
                    .map(|mut e| {
                        e.field = format!("axes.values[{k}] ({amount}): {}", e.field);
                        e
                    })
                    .collect(),
            )
        })?;
        let (part, _) = point
            .into_part_holding(minsheng_core::EntityKind::Person, &person)
            .ok_or_else(|| AxisError::Rules(format!("person `{person}` lost from the situation")))?;
        if k == 0 {
            if part.persons.len() * values.len() > MAX_PERSON_POINTS {
                return Err(InputError::new(
                    "axes.step",
                    &axis.step,
                    format!(
                        "{} points for {} persons; at most {MAX_PERSON_POINTS} person-points: take a larger step",
                        values.len(),
                        part.persons.len()
                    ),
                )
                .into());
            }
            slots = figure_slots(&part, &vars, year);
            tracked = entities_of(&part, &closure);
            series = vec![vec![Vec::with_capacity(values.len()); slots.len()]; scenarios.len()];
            amounts = vec![vec![Vec::with_capacity(values.len()); slots.len()]; scenarios.len()];
            totals = vec![vec![Vec::with_capacity(values.len()); tracked.len()]; scenarios.len()];
        }
        for (s, scenario) in scenarios.iter().enumerate() {
            let figures = Figures::compute(&book.registry, scenario.params, &part, &closure).map_err(|e| match e {
                EvalError::Input(e) => AxisError::Input(vec![e]),
                e => AxisError::Rules(e.to_string()),
            })?;
            for (slot, (v, entity, period)) in slots.iter().enumerate() {
                let e = part.entity(v.entity, entity);
                let found = e.map_or(&Value::Absent, |e| figures.get(&book.registry, v, e, *period));
                series[s][slot].push(value(found));
                amounts[s][slot].push(fen(found));
            }
            for (t, (v, entity)) in tracked.iter().enumerate() {
                let total = part.entity(v.entity, entity).and_then(|e| {
                    periods(v.period, year)
                        .into_iter()
                        .try_fold(0i64, |sum, p| fen(figures.get(&book.registry, v, e, p)).map(|f| sum + f))
                });
                totals[s][t].push(total);
            }
        }
    }
    let step_fen = values.get(1).map_or(1, |v| v.fen() - values[0].fen()).max(1);
    let mut by_scenario = Map::new();
    let mut slopes_by_scenario = Map::new();
    let mut kinks_by_scenario = Map::new();
    for (s, scenario) in scenarios.iter().enumerate() {
        let (mut by_var, mut slopes) = (Map::new(), Map::new());
        for (slot, (v, entity, period)) in slots.iter().enumerate() {
            let key = period_key(*period);
            let per = step_fen * input_per_period(var.period, *period);
            let slope: Vec<Json> = amounts[s][slot]
                .windows(2)
                .map(|w| match (w[0], w[1]) {
                    (Some(a), Some(b)) => {
                        Json::String((Decimal::from(b - a) / Decimal::from(per)).round_dp(4).normalize().to_string())
                    }
                    _ => Json::Null,
                })
                .collect();
            insert_series(&mut by_var, v.name, entity, &key, Json::Array(std::mem::take(&mut series[s][slot])));
            insert_series(&mut slopes, v.name, entity, &key, Json::Array(slope));
        }
        by_scenario.insert(scenario.id.clone(), Json::Object(by_var));
        slopes_by_scenario.insert(scenario.id.clone(), Json::Object(slopes));
        kinks_by_scenario.insert(scenario.id.clone(), kinks(&vars, &tracked, &totals[s], &values));
    }
    Ok(json!({
        "person": person,
        "input": var.name,
        "values": values.iter().map(|m| Json::from(m.to_string())).collect::<Vec<_>>(),
        "figures": by_scenario,
        "slopes": slopes_by_scenario,
        "kinks": kinks_by_scenario,
    }))
}

/// `figures[var][entity][period] = series`.
fn insert_series(figures: &mut Map<String, Json>, var: &str, entity: &str, period: &str, series: Json) {
    let by_entity = figures.entry(var).or_insert_with(|| json!({}));
    if let Some(by_entity) = by_entity.as_object_mut() {
        let by_period = by_entity.entry(entity).or_insert_with(|| json!({}));
        if let Some(by_period) = by_period.as_object_mut() {
            by_period.insert(period.to_string(), series);
        }
    }
}

/// An amount in fen; an absent figure (not applicable) counts as zero, an unknown one or another type as none.
fn fen(v: &Value) -> Option<i64> {
    match v {
        Value::Money(m) => Some(m.fen()),
        Value::Absent => Some(0),
        _ => None,
    }
}

/// How many times the input's value a figure of `period` sees: a monthly input set for
/// the whole year is twelve months of it in a yearly figure, one in a monthly figure.
fn input_per_period(input: PeriodKind, figure: minsheng_core::Period) -> i64 {
    match (input, figure) {
        (PeriodKind::Month, minsheng_core::Period::Month(_)) => 1,
        (PeriodKind::Month, _) => 12,
        _ => 1,
    }
}

/// The computed money figures `vars` depend on, with `vars` themselves, in registry order of discovery.
fn dependencies(vars: &[&'static Variable]) -> Vec<&'static Variable> {
    let mut seen: Vec<&'static Variable> = Vec::new();
    let mut next: Vec<&'static Variable> = vars.to_vec();
    while let Some(v) = next.pop() {
        if v.is_input() || seen.iter().any(|s| std::ptr::eq(*s, v)) {
            continue;
        }
        seen.push(v);
        next.extend(v.reads().iter().copied());
    }
    seen
}

/// Every (figure, entity id) of `vars` that is money, in `part`.
fn entities_of(part: &Situation, vars: &[&'static Variable]) -> Vec<(&'static Variable, String)> {
    let mut out = Vec::new();
    for &v in vars.iter().filter(|v| v.value_type == ValueType::Money) {
        out.extend(part.ids(v.entity).into_iter().map(|id| (v, id.to_string())));
    }
    out
}

/// A change of slope larger than this (per yuan of the input) is a kink.
const KINK: f64 = 1e-3;

/// The points where the slope of a figure changes, over the year.
fn kinked_at(series: &[Option<i64>]) -> Vec<usize> {
    let slope = |i: usize| match (series[i], series[i + 1]) {
        (Some(a), Some(b)) => Some((b - a) as f64),
        _ => None,
    };
    let mut at = Vec::new();
    for i in 1..series.len().saturating_sub(1) {
        if let (Some(before), Some(after)) = (slope(i - 1), slope(i))
            && (after - before).abs() > KINK * (before.abs().max(after.abs()).max(1.0))
        {
            at.push(i);
        }
    }
    at
}

/// The kinks and cliffs of each asked figure along the axis, each with the
/// rules that cause it: the figures it depends on (for the same entity)
/// whose slope changes at the same point while nothing they read does.
fn kinks(
    vars: &[&'static Variable],
    tracked: &[(&'static Variable, String)],
    totals: &[Vec<Option<i64>>],
    values: &[Money],
) -> Json {
    let kinked: Vec<Vec<usize>> = totals.iter().map(|t| kinked_at(t)).collect();
    let at = |v: &Variable, entity: &str, i: usize| {
        tracked.iter().position(|(w, e)| std::ptr::eq(*w, v) && e == entity).is_some_and(|t| kinked[t].contains(&i))
    };
    let mut list = Vec::new();
    for (t, (v, entity)) in tracked.iter().enumerate() {
        if !vars.iter().any(|o| std::ptr::eq(*o, *v)) {
            continue;
        }
        let under = dependencies(&[v]);
        for &i in &kinked[t] {
            let causes: Vec<Json> = under
                .iter()
                .filter(|d| at(d, entity, i) && !d.reads().iter().any(|r| at(r, entity, i)))
                .map(|d| {
                    json!({"variable": d.name, "label": {"zh": d.label_zh, "en": d.label_en},
                           "reference": d.reference, "parameters": d.params()})
                })
                .collect();
            list.push(
                json!({"figure": v.name, "entity": entity, "at": i, "value": values[i].to_string(), "causes": causes}),
            );
        }
    }
    Json::Array(list)
}

/// Every (figure, entity id, period) of `vars` in `part`.
fn figure_slots(
    part: &Situation,
    vars: &[&'static Variable],
    year: i32,
) -> Vec<(&'static Variable, String, minsheng_core::Period)> {
    let mut slots = Vec::new();
    for &v in vars {
        for id in part.ids(v.entity) {
            for period in periods(v.period, year) {
                slots.push((v, id.to_string(), period));
            }
        }
    }
    slots
}
