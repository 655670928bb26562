//! # minsheng-sim
//!
//! The population run of minsheng: a synthetic population of China, generated
//! deterministically from a seed partition by partition and calibrated to
//! official aggregates ([`targets`], [`generate`], [`calibrate`]); every
//! household computed with the rule book under the baseline and each reform
//! ([`run`]); the budget by programme, the distribution of gains and losses,
//! poverty and inequality, and a validation table ([`report`]), with charts
//! ([`chart`]) and a Markdown rendering ([`markdown`]).

pub mod calibrate;
pub mod chart;
pub mod generate;
pub mod markdown;
pub mod microdata;
pub mod report;
pub mod run;
pub mod targets;

use std::time::Instant;

use minsheng_cn::RuleBook;
use minsheng_core::ParamSet;

pub use report::Report;

/// What to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// The year.
    pub year: i32,
    /// The seed of the synthetic population.
    pub seed: u64,
    /// About how many persons to sample.
    pub persons: usize,
    /// Households per partition.
    pub partition_size: usize,
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// No calibration data for the year.
    #[error(transparent)]
    Targets(#[from] targets::TargetsError),
    /// A household could not be computed (a bug).
    #[error(transparent)]
    Run(#[from] run::RunError),
}

pub use microdata::{MicrodataError, read_csv};

/// The synthetic sample: partitions of households with their calibrated weights, and the margins met.
pub struct Sample {
    /// (households, weights) by partition.
    pub partitions: Vec<(Vec<generate::SynthHousehold>, Vec<f64>)>,
    /// Each margin with the weighted total achieved.
    pub margins: Vec<(calibrate::Margin, f64)>,
}

/// Generates and calibrates the sample of `config`.
pub fn sample(config: &Config, targets: &targets::Targets) -> Result<Sample, SimError> {
    let t = targets.year(config.year)?;
    let mean_size: f64 = targets.household_size_shares.values.iter().enumerate().map(|(i, s)| (i + 1) as f64 * s).sum();
    let households = ((config.persons as f64 / mean_size.max(1.0)).ceil() as usize).max(1);
    let size = config.partition_size.max(1);
    let count = households.div_ceil(size);
    let parts: Vec<Vec<generate::SynthHousehold>> = (0..count)
        .map(|i| generate::partition(config.seed, i as u64, size.min(households - i * size), config.year, targets, t))
        .collect();
    let counts: Vec<generate::Counts> = parts.iter().flatten().map(|h| h.counts()).collect();
    let margins = calibrate::margins(t);
    let weights = calibrate::rake(&counts, &margins, 200);
    let achieved = margins.iter().map(|m| (m.clone(), calibrate::achieved(&counts, &weights, m))).collect();
    let mut offset = 0;
    let partitions = parts
        .into_iter()
        .map(|hs| {
            let ws = weights[offset..offset + hs.len()].to_vec();
            offset += hs.len();
            (hs, ws)
        })
        .collect();
    Ok(Sample { partitions, margins: achieved })
}

/// The user's microdata as a sample: households in partitions of `partition_size`, with their
/// own weights; the margins are reported as achieved, not imposed.
pub fn sample_from_microdata(
    households: Vec<generate::SynthHousehold>,
    weights: Vec<f64>,
    year: i32,
    partition_size: usize,
) -> Result<Sample, SimError> {
    let targets = targets::Targets::builtin()?;
    let t = targets.year(year)?;
    let counts: Vec<generate::Counts> = households.iter().map(|h| h.counts()).collect();
    let margins = calibrate::margins(t).into_iter().map(|m| {
        let got = calibrate::achieved(&counts, &weights, &m);
        (m, got)
    });
    let margins = margins.collect();
    let size = partition_size.max(1);
    let mut partitions = Vec::new();
    let mut hs = households.into_iter();
    let mut ws = weights.into_iter();
    loop {
        let part: Vec<_> = hs.by_ref().take(size).collect();
        if part.is_empty() {
            break;
        }
        let w: Vec<f64> = ws.by_ref().take(part.len()).collect();
        partitions.push((part, w));
    }
    Ok(Sample { partitions, margins })
}

/// Runs the baseline and `reforms` over the built-in synthetic population,
/// calling `progress` after each partition.
pub fn simulate(
    book: &RuleBook,
    config: &Config,
    reforms: &[(String, ParamSet)],
    progress: &(dyn Fn() + Sync),
) -> Result<(Report, Vec<run::HouseholdResult>), SimError> {
    let targets = targets::Targets::builtin()?;
    let sample = sample(config, &targets)?;
    simulate_sample(book, config, sample, reforms, progress)
}

/// Runs the baseline and `reforms` over a given sample.
pub fn simulate_sample(
    book: &RuleBook,
    config: &Config,
    sample: Sample,
    reforms: &[(String, ParamSet)],
    progress: &(dyn Fn() + Sync),
) -> Result<(Report, Vec<run::HouseholdResult>), SimError> {
    let targets = targets::Targets::builtin()?;
    let t = targets.year(config.year)?.clone();
    let started = Instant::now();
    let mut scenarios = vec![("baseline".to_string(), book.baseline.clone())];
    scenarios.extend(reforms.iter().cloned());
    let results = run::run(book, &scenarios, config.year, &sample.partitions, progress)?;
    let names: Vec<String> = scenarios.iter().map(|(n, _)| n.clone()).collect();
    let assessed = run::dibao_known(&book.baseline, config.year);
    let report = report::build(
        config.year,
        config.seed,
        &names,
        &results,
        &sample.margins,
        &t,
        assessed,
        started.elapsed().as_secs_f64(),
        rayon::current_num_threads(),
    );
    Ok((report, results))
}

/// Per-household results as CSV: weight, size, area, and by scenario the
/// disposable income, income tax and 低保 (yuan).
pub fn households_csv(scenarios: &[String], results: &[run::HouseholdResult]) -> String {
    use std::fmt::Write;
    let mut out = String::from("household,weight,size,urban");
    for s in scenarios {
        let _ = write!(out, ",disposable_income[{s}],income_tax[{s}],dibao[{s}]");
    }
    out.push('\n');
    for (i, r) in results.iter().enumerate() {
        let _ = write!(out, "{i},{},{},{}", r.weight, r.size, u8::from(r.urban));
        for o in &r.outcomes {
            let yuan = |fen: i64| minsheng_core::Money::from_fen(fen).to_string();
            let _ = write!(out, ",{},{},{}", yuan(o.disposable), yuan(o.programmes[0]), yuan(o.programmes[9]));
        }
        out.push('\n');
    }
    out
}
