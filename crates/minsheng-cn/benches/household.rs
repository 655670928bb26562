//! How long one household takes: reading the situation, and computing every
//! figure of the year (what `minsheng calc` does) or only the year's tax.
//!
//! Run with `cargo bench -p minsheng-cn --bench household`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use minsheng_cn::RuleBook;
use minsheng_core::situation::Format;
use minsheng_core::{Entity, Eval, Period};

const FAMILY: &str = include_str!("../../../examples/toddler-parent-2023.yaml");

fn every_figure(book: &RuleBook, text: &str) -> usize {
    let sit = book.situation(text, Format::Yaml).expect("valid example");
    Eval::new(&book.registry, &book.baseline, &sit).compute_all().expect("computes")
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
