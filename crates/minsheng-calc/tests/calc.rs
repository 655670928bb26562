//! The household path: parts computed alone equal the whole, work grows
//! linearly with the persons, streams answer line by line.

use minsheng_calc::stream::run_stream;
use minsheng_calc::{Outputs, Part, Scenario, calculate};
use minsheng_cn::RuleBook;
use minsheng_core::situation::Format;
use minsheng_core::{Entity, EntityKind, Eval, EvalError, Month, Period, PeriodKind, Situation, Value};

fn book() -> RuleBook {
    RuleBook::embedded().expect("the embedded rule book")
}

/// `n` families of two earners and a child they share, in one file; with
/// `one_household`, every person in a single household (one part).
fn families(n: usize, one_household: bool) -> String {
    let mut persons = Vec::new();
    for i in 0..n {
        persons.push(format!(
            "\"m{i}\": {{\"birth_date\": \"1990-04-12\", \"wage\": {{\"2023-01..2023-12\": {}}}, \
             \"special_deduction\": {{\"2023-01..2023-12\": 2200}}}}",
            8_000 + 1_000 * (i % 30)
        ));
        persons.push(format!("\"f{i}\": {{\"wage\": {{\"2023-03..2023-12\": 15000}}}}"));
        persons.push(format!(
            "\"c{i}\": {{\"birth_date\": \"2021-05-20\", \"claimants\": {{\"m{i}\": 50, \"f{i}\": 50}}}}"
        ));
    }
    let households: Vec<String> = if one_household {
        let members: Vec<String> =
            (0..n).flat_map(|i| [format!("\"m{i}\""), format!("\"f{i}\""), format!("\"c{i}\"")]).collect();
        vec![format!("\"all\": {{\"members\": [{}]}}", members.join(","))]
    } else {
        (0..n).map(|i| format!("\"h{i}\": {{\"members\": [\"m{i}\", \"f{i}\", \"c{i}\"]}}")).collect()
    };
    format!("{{\"year\": 2023, \"persons\": {{{}}}, \"households\": {{{}}}}}", persons.join(","), households.join(","))
}

fn work(book: &RuleBook, text: &str) -> u64 {
    let situation = book.situation(text, Format::Json).expect("a valid situation");
    let mut total = 0;
    calculate(book, situation, &[Scenario::baseline(&book.baseline)], &Outputs::All, |part| {
        total += part.work();
        Ok::<(), EvalError>(())
    })
    .expect("computes");
    total
}

/// Doubling the persons must not more than triple the work (figures asked
/// of the evaluator); in fact it must stay within 10% of doubling: the cost
/// is linear, whether the persons come as many households or as one.
#[test]
fn work_grows_linearly_with_the_persons() {
    let book = book();
    for one_household in [false, true] {
        let (small, large) = (work(&book, &families(20, one_household)), work(&book, &families(40, one_household)));
        assert!(small > 0);
        assert!(large <= 3 * small, "one household: {one_household}; 60 persons: {small}, 120 persons: {large}");
        assert!(large <= 2 * small + small / 10, "one household: {one_household}; {small} → {large}: not linear");
        assert!(large >= 2 * small - small / 10, "the larger file computes every person: {small} → {large}");
    }
}

/// The parts of a situation, each computed alone, give every figure the
/// whole situation gives through one evaluator.
#[test]
fn parts_computed_alone_equal_the_whole() {
    let book = book();
    let text = families(4, false);
    let whole = book.situation(&text, Format::Json).expect("valid");
    let mut ev = Eval::without_trace(&book.registry, &book.baseline, &whole);
    let mut compared = 0;
    let scenarios = [Scenario::baseline(&book.baseline)];
    calculate(&book, whole.clone(), &scenarios, &Outputs::All, |part: Part| {
        for var in book.registry.iter().filter(|v| !v.is_input()) {
            let periods: Vec<Period> = match var.period {
                PeriodKind::Month => Month::of_year(2023).map(Period::Month).collect(),
                PeriodKind::Year => vec![Period::Year(2023)],
                PeriodKind::Eternity => vec![Period::Eternity],
            };
            let (count, kind) = match var.entity {
                EntityKind::Person => (part.situation.persons.len(), EntityKind::Person),
                EntityKind::Household => (part.situation.households.len(), EntityKind::Household),
            };
            for i in 0..count {
                let (local, global) = match kind {
                    EntityKind::Person => {
                        let id = &part.situation.persons[i].id;
                        (Entity::Person(i), Entity::Person(whole.person_index(id).expect("same ids")))
                    }
                    EntityKind::Household => {
                        let id = &part.situation.households[i].id;
                        let h = whole.households.iter().position(|h| &h.id == id).expect("same ids");
                        (Entity::Household(i), Entity::Household(h))
                    }
                };
                for &p in &periods {
                    let alone = part.figures[0].get(&book.registry, var, local, p);
                    let together = match ev.get(var, global, p) {
                        Err(EvalError::Unknown(u)) => Value::Unknown(u),
                        other => other?,
                    };
                    assert_eq!(*alone, together, "{} of {global:?} in {p}", var.name);
                    compared += 1;
                }
            }
        }
        Ok::<(), EvalError>(())
    })
    .expect("computes");
    assert!(compared > 4 * 3 * 100, "compared {compared} figures");
}

/// A child claimed by parents of two households joins them into one part.
#[test]
fn a_claim_across_households_keeps_them_together() {
    let book = book();
    let text = "{\"year\": 2024, \"persons\": {\"a\": {\"wage\": {\"2024-01..2024-12\": 20000}}, \
                \"b\": {\"wage\": {\"2024-01..2024-12\": 20000}}, \"kid\": {\"birth_date\": \"2015-01-01\", \
                \"claimants\": {\"a\": 50, \"b\": 50}}, \"other\": {}}, \"households\": {\"ha\": {\"members\": [\"a\", \"kid\"]}, \
                \"hb\": {\"members\": [\"b\"]}}}";
    let situation = book.situation(text, Format::Json).expect("valid");
    let parts = situation.into_components();
    let ids: Vec<Vec<&str>> = parts.iter().map(|p| p.persons.iter().map(|x| x.id.as_str()).collect()).collect();
    assert_eq!(ids, [vec!["a", "b", "kid"], vec!["other"]]);
}

/// A stream answers each line in order; a bad line gets an error document
/// naming its line and field, and the others are computed.
#[test]
fn a_stream_answers_every_line_and_names_a_bad_one() {
    let book = book();
    let good = "{\"year\": 2024, \"persons\": {\"me\": {\"wage\": {\"2024-01..2024-12\": 10000}}}}";
    let bad = "{\"year\": 2024, \"persons\": {\"me\": {\"wage\": {\"2024-13\": 10000}}}}";
    let input = format!("{good}\n\n{bad}\n{good}\n");
    let mut out = Vec::new();
    let scenarios = [Scenario::baseline(&book.baseline)];
    let summary =
        run_stream(&book, input.as_bytes(), &scenarios, &Outputs::All, false, 1 << 20, &mut out).expect("runs");
    assert_eq!((summary.situations, summary.bad, summary.internal, summary.with_unknowns), (3, 1, 0, 2));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out).expect("utf-8").lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["persons"]["me"]["figures"]["baseline"]["iit.total"]["2024"], "3480.00");
    assert_eq!(lines[1]["line"], 3);
    assert_eq!(lines[1]["errors"][0]["field"], "persons.me.wage.2024-13");
    assert_eq!(lines[2], lines[0]);
}

/// A parsed situation holds its parts' persons once each, in order.
#[test]
fn parts_partition_the_persons() {
    let book = book();
    let situation: Situation = book.situation(&families(5, false), Format::Json).expect("valid");
    let ids: Vec<String> = situation.persons.iter().map(|p| p.id.clone()).collect();
    let parts = situation.into_components();
    assert_eq!(parts.len(), 5);
    let rejoined: Vec<String> = parts.iter().flat_map(|p| p.persons.iter().map(|x| x.id.clone())).collect();
    assert_eq!(rejoined, ids);
}

/// With `strict`, a line with unknown figures gets an error document naming
/// the cause and the input that would supply it.
#[test]
fn a_strict_stream_refuses_unknown_figures() {
    let book = book();
    let known = "{\"year\": 2027, \"persons\": {\"me\": {\"wage\": {\"2027-01..2027-12\": 10000}, \
                 \"special_deduction\": {\"2027-01..2027-12\": 1100}, \"insured\": {\"2027\": false}}}}";
    let unknown = "{\"year\": 2027, \"persons\": {\"me\": {\"wage\": {\"2027-01..2027-12\": 10000}}}}";
    let mut out = Vec::new();
    let scenarios = [Scenario::baseline(&book.baseline)];
    let input = format!("{known}\n{unknown}\n");
    let outputs = Outputs::Only(vec![&minsheng_cn::iit::withholding::WAGE_TAX_WITHHELD]);
    let summary = run_stream(&book, input.as_bytes(), &scenarios, &outputs, true, 1 << 20, &mut out).expect("runs");
    assert_eq!((summary.situations, summary.bad), (2, 1));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out).expect("utf-8").lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert_eq!(lines[0]["persons"]["me"]["figures"]["baseline"]["iit.withholding.wage_tax"]["2027-01"], "117.00");
    assert_eq!(lines[1]["line"], 2);
    let error = &lines[1]["errors"][0];
    assert_eq!(error["field"], "persons.me.locality");
    assert!(error["rule"].as_str().expect("text").contains("give `locality` or `special_deduction`"), "{error}");
}

/// A line longer than the limit stops the stream with an error naming it,
/// rather than filling memory.
#[test]
fn a_line_longer_than_the_limit_is_refused() {
    let book = book();
    let input = format!("{}\n", "x".repeat(5_000));
    let mut out = Vec::new();
    let scenarios = [Scenario::baseline(&book.baseline)];
    let err =
        run_stream(&book, input.as_bytes(), &scenarios, &Outputs::All, false, 1_000, &mut out).expect_err("refused");
    assert!(err.to_string().contains("line 1 is longer than 1000 bytes"), "{err}");
}
