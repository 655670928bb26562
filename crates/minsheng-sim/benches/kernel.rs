//! The population run's compute alone: 10,000 generated households (about
//! 26,000 persons) of 2023 and 2024, computed under the baseline and one
//! reform by the year kernel, and by the formulas for comparison. Generation,
//! calibration and aggregation are outside the timing (the comparable figure
//! to "compute" in `../shared/docs/anchors.md`).
//!
//! Run with `cargo bench -p minsheng-sim --bench kernel`; persons per second =
//! persons / time per iteration.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use minsheng_cn::RuleBook;
use minsheng_core::Reform;
use minsheng_sim::generate::{Amounts, partition};
use minsheng_sim::run::{RunYear, Scenarios, run_partition};
use minsheng_sim::targets::Targets;

const HOUSEHOLDS: usize = 10_000;

fn bench(c: &mut Criterion) {
    let book = RuleBook::embedded().expect("rule book");
    let targets = Targets::builtin().expect("targets");
    for (year, file) in [(2024, "no-2024-rises.yaml"), (2023, "no-2023-deduction-rise.yaml")] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../reforms").join(file);
        let reform = Reform::from_yaml(&std::fs::read_to_string(path).expect("reform file")).expect("valid");
        let reforms = [(reform.name.clone(), reform.apply(&book.baseline).expect("applies"))];
        let households = partition(1, 0, HOUSEHOLDS, &targets, targets.year(year).expect("year"), &Amounts::DRAWN);
        let weights = vec![1.0; households.len()];
        let persons: usize = households.iter().map(|h| h.members.len()).sum();
        let ry = RunYear::of(&book.baseline, year);
        let run = |scenarios: &Scenarios| {
            let mut total = 0i64;
            run_partition(&book, scenarios, &ry, (0, &households, &weights), false, |r| {
                total += r.outcomes.iter().map(|o| o.disposable).sum::<i64>();
            })
            .expect("runs");
            total
        };
        let kernel = Scenarios::new(&book, &reforms).with_kernel(year);
        let formulas = Scenarios::new(&book, &reforms);
        let mut group = c.benchmark_group(format!("{year} + {file}, {persons} persons"));
        group.sample_size(10);
        group.bench_function("kernel", |b| b.iter(|| black_box(run(&kernel))));
        group.bench_function("formulas", |b| b.iter(|| black_box(run(&formulas))));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
