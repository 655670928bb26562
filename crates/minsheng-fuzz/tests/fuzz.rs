//! The fuzz harness on stable Rust: every seed of `fuzz/corpus/<target>/`
//! replayed, then seeded random mutations of the seeds, through each target.
//! The only outcomes allowed are a result or a clear input error: a panic or
//! an internal error fails the test and names the input (saved under
//! `fuzz/crashes/`). Bounded here (a few hundred cases a target); the ignored
//! `campaign` test runs for `MINSHENG_FUZZ_SECONDS` (default 600) on the
//! target `MINSHENG_FUZZ_TARGET` (default all, one after another).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use minsheng_fuzz::{Mutator, Outcome, TARGETS, Target};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = root().join("corpus").join(target);
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("entry").path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (name, std::fs::read(&path).expect("read"))
        })
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    seeds
}

/// Runs one input; `Err` describes a bug (a panic or an internal error).
fn run(target: Target, input: &[u8]) -> Result<Outcome, String> {
    match catch_unwind(AssertUnwindSafe(|| target(input))) {
        Ok(Outcome::Internal(e)) => Err(format!("internal error: {e}")),
        Ok(outcome) => Ok(outcome),
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("panic: {what}"))
        }
    }
}

/// Saves a failing input where a developer (or CI's log) finds it.
fn save(target: &str, input: &[u8]) -> PathBuf {
    let dir = root().join("crashes");
    let _ = std::fs::create_dir_all(&dir);
    let hash = input.iter().fold(0xcbf29ce484222325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100000001b3));
    let path = dir.join(format!("{target}-{hash:016x}"));
    let _ = std::fs::write(&path, input);
    path
}

fn quiet_panics() {
    std::panic::set_hook(Box::new(|_| {}));
}

/// Fuzzes `target` from its corpus until `budget` ends (`Err` cases) or `cases` mutations are run.
fn fuzz(name: &str, target: Target, seed: u64, cases: usize, budget: Duration) -> (usize, Vec<String>) {
    let seeds = corpus(name);
    let mut mutator = Mutator::new(seed);
    let start = Instant::now();
    let (mut ran, mut failures) = (0, Vec::new());
    while ran < cases && start.elapsed() < budget {
        let (_, base) = &seeds[ran % seeds.len()];
        let input = mutator.mutate(base);
        if let Err(bug) = run(target, &input) {
            let path = save(name, &input);
            failures.push(format!("{name}: {bug} (input saved to {})", path.display()));
        }
        ran += 1;
    }
    (ran, failures)
}

#[test]
fn the_corpus_replays_without_a_bug() {
    quiet_panics();
    let mut bugs = Vec::new();
    let mut computed = 0;
    for (name, target) in TARGETS {
        for (seed, input) in corpus(name) {
            match run(*target, &input) {
                Ok(Outcome::Computed) => computed += 1,
                Ok(_) => {}
                Err(bug) => bugs.push(format!("{name}/{seed}: {bug}")),
            }
        }
    }
    assert!(bugs.is_empty(), "{bugs:#?}");
    assert!(computed > 10, "the seeds should mostly compute: {computed}");
}

#[test]
fn random_mutations_of_the_corpus_end_in_a_result_or_a_clear_error() {
    quiet_panics();
    let mut failures = Vec::new();
    for (i, (name, target)) in TARGETS.iter().enumerate() {
        let (ran, found) = fuzz(name, *target, 2026 + i as u64, 150, Duration::from_secs(120));
        assert!(ran > 0);
        failures.extend(found);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
#[ignore = "a campaign: MINSHENG_FUZZ_SECONDS (default 600) per target, MINSHENG_FUZZ_TARGET to pick one"]
fn campaign() {
    quiet_panics();
    let seconds: u64 = std::env::var("MINSHENG_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(600);
    let only = std::env::var("MINSHENG_FUZZ_TARGET").ok();
    let seed = std::env::var("MINSHENG_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut failures = Vec::new();
    for (name, target) in TARGETS.iter().filter(|(n, _)| only.as_deref().is_none_or(|o| o == *n)) {
        let (ran, found) = fuzz(name, *target, seed, usize::MAX, Duration::from_secs(seconds));
        eprintln!("campaign {name}: {ran} inputs in {seconds} s, {} bugs", found.len());
        failures.extend(found);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
