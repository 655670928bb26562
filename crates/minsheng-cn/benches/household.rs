//! How long one household takes: reading the situation, and computing every
//! figure of the year (what `minsheng calc` does) or only the year's tax.
//!
//! Run with `cargo bench -p minsheng-cn --bench household`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use minsheng_cn::RuleBook;
use minsheng_core::situation::Format;
use minsheng_core::{Entity, EntityKind, Eval, Month, Period, PeriodKind};

const FAMILY: &str = include_str!("../../../examples/toddler-parent-2023.yaml");

fn every_figure(book: &RuleBook, text: &str) -> usize {
    let sit = book.situation(text, Format::Yaml).expect("valid example");
    let mut ev = Eval::new(&book.registry, &book.baseline, &sit);
    let mut n = 0;
    for var in book.registry.iter().filter(|v| !v.is_input()) {
        let count = if var.entity == EntityKind::Person { sit.persons.len() } else { sit.households.len() };
        for i in 0..count {
            let entity = if var.entity == EntityKind::Person { Entity::Person(i) } else { Entity::Household(i) };
            let periods: Vec<Period> = match var.period {
                PeriodKind::Month => Month::of_year(sit.year).map(Period::Month).collect(),
                PeriodKind::Year => vec![Period::Year(sit.year)],
                PeriodKind::Eternity => vec![Period::Eternity],
            };
            for p in periods {
                ev.compute(var.name, entity, p).expect("computes");
                n += 1;
            }
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    let book = RuleBook::embedded().expect("rule book");
    c.bench_function("load the embedded rule book", |b| b.iter(|| black_box(RuleBook::embedded().expect("loads"))));
    c.bench_function("family of 3, every figure of 2023 (calc)", |b| b.iter(|| black_box(every_figure(&book, FAMILY))));
    c.bench_function("family of 3, year's tax of one parent", |b| {
        b.iter(|| {
            let sit = book.situation(FAMILY, Format::Yaml).expect("valid");
            let mut ev = Eval::new(&book.registry, &book.baseline, &sit);
            black_box(ev.compute("iit.total", Entity::Person(0), Period::Year(2023)).expect("computes"))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
