//! The household path at scale: one file of many families (two earners, one
//! insured in the national default locality and one giving their 三险一金, and
//! a child they share), every figure of the year, or the annual tax and income
//! only; each run splits the file into its households and computes them on
//! every core. `cargo bench -p minsheng-calc --bench calc`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use minsheng_calc::{Outputs, Scenario, calculate};
use minsheng_cn::RuleBook;
use minsheng_core::situation::Format;
use minsheng_core::{EvalError, Situation};

/// A 2023 situation of `families` families of three.
fn families(book: &RuleBook, families: usize) -> Situation {
    let mut text = String::from("{\"year\": 2023, \"persons\": {");
    let mut households = Vec::new();
    for i in 0..families {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "\"m{i}\": {{\"birth_date\": \"1990-04-12\", \"wage\": {{\"2023-01..2023-12\": {}}}, \
             \"locality\": \"national\", \"rent_city\": {{\"2023-01..2023-12\": \"over_1m\"}}}}, \
             \"f{i}\": {{\"birth_date\": \"1989-11-03\", \"wage\": {{\"2023-01..2023-12\": 15000}}, \
             \"special_deduction\": {{\"2023-01..2023-12\": 1650}}}}, \
             \"c{i}\": {{\"birth_date\": \"2021-05-20\", \"claimants\": {{\"m{i}\": 50, \"f{i}\": 50}}}}",
            10_000 + i % 20_000
        ));
        households.push(format!("\"h{i}\": {{\"members\": [\"m{i}\", \"f{i}\", \"c{i}\"]}}"));
    }
    text.push_str("}, \"households\": {");
    text.push_str(&households.join(","));
    text.push_str("}}");
    book.situation(&text, Format::Json).expect("a valid situation")
}

fn bench(c: &mut Criterion) {
    let book = RuleBook::embedded().expect("the rule book");
    let situation = families(&book, 1_000);
    let scenarios = [Scenario::baseline(&book.baseline)];
    let annual = Outputs::Only(vec![
        &minsheng_cn::iit::annual::TOTAL,
        &minsheng_cn::statement::CONTRIBUTIONS,
        &minsheng_cn::statement::DISPOSABLE,
    ]);
    let mut group = c.benchmark_group("calc");
    group.sample_size(10);
    group.throughput(Throughput::Elements(situation.persons.len() as u64));
    for (name, outputs) in
        [("every figure, 3,000 persons", Outputs::All), ("annual tax and income, 3,000 persons", annual)]
    {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut parts = 0;
                calculate(&book, situation.clone(), &scenarios, &outputs, |_| {
                    parts += 1;
                    Ok::<(), EvalError>(())
                })
                .expect("computes");
                parts
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
