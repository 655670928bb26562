//! # minsheng-sim
//!
//! The population run of minsheng: a synthetic population of China, generated
//! deterministically from a seed partition by partition and calibrated to
//! official aggregates ([`targets`], [`generate`], [`calibrate`]), or the
//! user's own microdata ([`microdata`]); every household computed with the
//! rule book under the baseline and each reform ([`run`]); mergeable
//! aggregates ([`aggregate`]); the budget by programme, the distribution of
//! gains and losses, poverty and inequality, and a validation table
//! ([`report`]), with charts ([`chart`]) and a Markdown rendering ([`markdown`]);
//! per-household and per-person result tables ([`table`]).
//!
//! The synthetic population streams: a first pass counts households by their
//! calibration counts (a few thousand distinct vectors) and the income they
//! drew, the weights are solved from those and the income factors from the
//! weighted income; a take-up pass computes a sample under the baseline to
//! set the 低保 take-up; an imputation pass computes it again, with that
//! take-up, to fit the net transfers the rules do not compute ([`impute`]);
//! and a last pass regenerates each partition, weights and computes it, and
//! keeps only its aggregates. Nothing holds the whole
//! population; the partitions could run on several machines and their
//! aggregates be added.

pub mod aggregate;
pub mod calibrate;
pub mod chart;
pub mod generate;
pub mod impute;
pub mod markdown;
pub mod microdata;
#[cfg(feature = "parquet")]
pub mod parquet_io;
pub mod report;
pub mod run;
pub mod sampling;
pub mod table;
pub mod targets;

use std::time::Instant;

use jiff::civil::Date;
use minsheng_cn::RuleBook;
use minsheng_core::ParamSet;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use microdata::{MicrodataError, read_csv};
#[cfg(feature = "parquet")]
pub use parquet_io::{ParquetTableWriter, read_parquet, write_table_parquet};
pub use report::Report;

use aggregate::Aggregates;
use generate::SynthHousehold;
use run::HouseholdResult;

/// A partition's households and their weights, regenerated or taken from memory.
type PartitionSource = Box<dyn Fn(usize) -> Partition + Sync>;

/// One partition's households, their weights and, where the run measures the
/// calibration margins as it goes, the partition's weighted total of each.
struct Partition {
    households: Vec<SynthHousehold>,
    weights: Vec<f64>,
    margins: Vec<f64>,
}

/// At most this many households (about 10 million persons) are counted to
/// calibrate the synthetic population. A larger run calibrates on its first
/// partitions up to this many households, each counted for the share of the
/// population it stands for, and measures the margins achieved over the
/// whole population as it simulates: the gaps are then sampling error
/// (hundredths of a percent), and the first pass costs seconds, not minutes.
pub const CALIBRATION_HOUSEHOLDS: usize = 4_000_000;

/// What one partition yields: its index, its aggregates (and its replicate
/// groups' where it deals its households into them: [`sampling::Replicates`]),
/// its weighted margins where measured, and its households' results if kept.
type PartitionOutcome =
    Result<(usize, Aggregates, Option<Vec<Aggregates>>, Vec<f64>, Option<Vec<HouseholdResult>>), SimError>;

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
    /// Keep each household's results with its members' statements (for per-household and
    /// per-person output and tests; costs memory and time).
    pub keep_results: bool,
    /// What computes the households.
    pub engine: Engine,
    /// At most how many synthetic households the first pass counts to calibrate
    /// (see [`CALIBRATION_HOUSEHOLDS`]).
    pub calibration_households: usize,
    /// Impute the net transfers the rules do not compute to the synthetic
    /// population, so that its income quintiles are NBS's ([`impute`]).
    pub impute_transfers: bool,
    /// Set to stop the run: it ends with [`SimError::Cancelled`] within a
    /// batch of partitions (a fraction of a second), having written nothing more.
    pub cancel: Cancel,
}

/// A flag that stops a run (a cancelled API job, a server shutting down).
#[derive(Clone, Debug, Default)]
pub struct Cancel(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Cancel {
    /// Asks the run to stop.
    pub fn set(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the run was asked to stop.
    pub fn is_set(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once set.
    fn check(&self) -> Result<(), SimError> {
        if self.is_set() { Err(SimError::Cancelled) } else { Ok(()) }
    }
}

impl Config {
    /// A run of about `persons` persons in `year`, with the defaults: seed 2022,
    /// partitions of 4,096 households, the kernel, no per-household results.
    pub fn new(year: i32, persons: usize) -> Config {
        Config {
            year,
            seed: 2022,
            persons,
            partition_size: 4096,
            keep_results: false,
            engine: Engine::Kernel,
            calibration_households: CALIBRATION_HOUSEHOLDS,
            impute_transfers: true,
            cancel: Cancel::default(),
        }
    }
}

/// What computes the households of a run.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// The year kernel wherever it covers a household, the formulas elsewhere.
    #[default]
    Kernel,
    /// The formulas for every household (about 100 times slower; for checking).
    Formulas,
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
    /// The results could not be written where asked (the message names the file).
    #[error("{0}")]
    Results(String),
    /// The run was cancelled ([`Config::cancel`]).
    #[error("the run was cancelled")]
    Cancelled,
    /// The rule book could not be carried forward into a projection year (a bug).
    #[error("the rule book carried forward: {0}")]
    Book(String),
}

/// Where the households come from.
pub enum Population {
    /// The built-in synthetic population of `Config`.
    Synthetic,
    /// The user's households with their weights, in memory.
    Microdata(Vec<SynthHousehold>, Vec<f64>),
}

/// What a run produces.
pub struct Outcome {
    /// The report.
    pub report: Report,
    /// The aggregates the report was built from.
    pub aggregates: Aggregates,
    /// Each household's results, if kept.
    pub households: Option<Vec<HouseholdResult>>,
}

fn partition_sizes(total: usize, size: usize) -> Vec<usize> {
    let size = size.max(1);
    (0..total.div_ceil(size)).map(|i| size.min(total - i * size)).collect()
}

/// Households of the synthetic population for `config`.
fn synthetic_households(config: &Config, targets: &targets::Targets) -> usize {
    let mean_size: f64 = targets.household_size_shares.values.iter().enumerate().map(|(i, s)| (i + 1) as f64 * s).sum();
    ((config.persons as f64 / mean_size.max(1.0)).ceil() as usize).max(1)
}

/// Which pass of a run a partition has just finished, with the number of
/// partitions of that pass.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The first pass over the synthetic population: counting households and
    /// their income for calibration.
    Calibrating(usize),
    /// The second calibration pass: which households' income would qualify for 低保.
    CountingEligible(usize),
    /// The third: the baseline income of a sample, to fit the imputed transfers.
    Imputing(usize),
    /// Computing households under each scenario.
    Simulating(usize),
}

/// At most this many households (about 650,000 persons) are computed under
/// the baseline to find how many would qualify for 低保 by income, from which
/// the take-up that meets the official count of recipients follows; and again
/// with that take-up, to fit the imputed transfers.
pub const TAKE_UP_HOUSEHOLDS: usize = 262_144;

/// The baseline and `reforms`, computed by the engine of `config`.
/// The scenarios of a run: in a projection year (`carry`: its wage growth) the
/// kernel is held against the built-in rule book carried forward the same way.
fn scenarios(
    book: &RuleBook,
    config: &Config,
    reforms: &[(String, ParamSet)],
    carry: Option<minsheng_core::Rate>,
) -> run::Scenarios {
    match (config.engine, carry) {
        (Engine::Kernel, None) => run::Scenarios::new(book, reforms).with_kernel(config.year),
        (Engine::Kernel, Some(growth)) => run::Scenarios::new(book, reforms)
            .with_kernel_as_tested(config.year, |tested| carry_year(&tested, config.year, growth).0),
        (Engine::Formulas, _) => run::Scenarios::new(book, reforms),
    }
}

/// `params` carried forward over `year`, the average wage behind contribution bounds raised by `growth` a year.
pub fn carry_year(
    params: &ParamSet,
    year: i32,
    growth: minsheng_core::Rate,
) -> (ParamSet, Vec<minsheng_core::params::Carried>) {
    let (first, last) = (jiff::civil::date(year as i16, 1, 1), jiff::civil::date(year as i16, 12, 31));
    params.carried_forward(first, last, &[("local.*.average_wage_annual", growth)])
}

/// The law of a projection year: the baseline and each reform carried
/// forward over the year, the average wage behind contribution bounds raised
/// by the projection's wage growth; and what the baseline carried.
struct ProjectedLaw {
    book: RuleBook,
    reforms: Vec<(String, ParamSet)>,
    carried: Vec<minsheng_core::params::Carried>,
    growth: minsheng_core::Rate,
}

fn project_law(
    book: &RuleBook,
    reforms: &[(String, ParamSet)],
    projection: &targets::Projection,
    year: i32,
) -> Result<ProjectedLaw, SimError> {
    let growth = projection.wage_growth_rate().map_err(SimError::Book)?;
    let (baseline, carried) = carry_year(&book.baseline, year, growth);
    let reforms = reforms.iter().map(|(n, p)| (n.clone(), carry_year(p, year, growth).0)).collect();
    let book = book.with_baseline(baseline).map_err(|e| SimError::Book(e.to_string()))?;
    Ok(ProjectedLaw { book, reforms, carried, growth })
}

/// A value carried forward, as the report lists it.
fn carried_law(c: &minsheng_core::params::Carried) -> report::CarriedLaw {
    use minsheng_core::params::ParamValue;
    report::CarriedLaw {
        parameter: c.path.clone(),
        value: match &c.value {
            ParamValue::Amount(m) => m.to_string(),
            ParamValue::Rate(r) => r.to_string(),
            ParamValue::Count(n) => n.to_string(),
            ParamValue::Flag(f) => f.to_string(),
            other => format!("{other:?}"),
        },
        from: c.from.to_string(),
        until: c.until.to_string(),
        known_since: c.known_since.to_string(),
        raised: c.raised.map(|(g, years)| format!("+{g} a year × {years}")),
    }
}

/// The years the rule book covers (none if it does not say).
fn law_years(book: &RuleBook) -> Vec<i32> {
    let model = book.baseline.model();
    match (model.covered_from, model.covered_until) {
        (Some(from), Some(until)) => (i32::from(from.year())..=i32::from(until.year())).collect(),
        _ => Vec::new(),
    }
}

/// Whether `reform` changes a parameter in force in `year`.
fn changes_in(reform: &ParamSet, book: &RuleBook, year: i32) -> bool {
    let Some(y) = i16::try_from(year).ok() else { return false };
    match (Date::new(y, 1, 1), Date::new(y, 12, 31)) {
        (Ok(first), Ok(last)) => !reform.changed_within(&book.baseline, first, last).is_empty(),
        _ => false,
    }
}

/// A calibration of the synthetic population.
struct SyntheticCalibration {
    /// The households of each partition.
    sizes: Vec<usize>,
    calibration: calibrate::Calibration,
    /// The calibrated amounts and take-up.
    amounts: generate::Amounts,
    /// The imputed transfers, if asked for and the year's quintiles are known.
    imputation: Option<impute::Imputation>,
    /// What the calibrated sample achieves of each margin; `None` when
    /// calibrated on a share of the partitions (measured while simulating).
    achieved: Option<Vec<f64>>,
}

/// The households with one vector of counts, and their income as drawn (yuan).
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    households: f64,
    business: f64,
    /// Property income, split by what it follows (wages, pensions) so that the
    /// factor on pensions can be carried into it.
    property_of_wages: f64,
    property_of_pensions: f64,
    /// Employee pensions a month (as last December's).
    pensions: f64,
    /// Urban adults of working age out of work: as drawn for the first pass
    /// ([`generate::Amounts::DRAWN`]), each has a spell of the unemployment
    /// benefit, and calibration keeps a share of them.
    out_of_work: f64,
}

impl Tally {
    /// One household's tally.
    fn of(h: &SynthHousehold) -> Tally {
        let wages: i64 = h.members.iter().filter_map(|p| p.wage_fen).sum();
        let pensions: i64 = h.members.iter().filter_map(|p| p.pension_fen).sum();
        let property = h.property_income_fen as f64 / 100.0;
        // Property income is the household's wages and pensions times its draw.
        let of_pensions =
            if wages + pensions > 0 { property * pensions as f64 / (wages + pensions) as f64 } else { 0.0 };
        Tally {
            households: 1.0,
            business: (h.other_income_fen - h.property_income_fen) as f64 / 100.0,
            property_of_wages: property - of_pensions,
            property_of_pensions: of_pensions,
            pensions: pensions as f64 / 100.0,
            out_of_work: h.members.iter().filter(|p| p.unemployment.is_some()).count() as f64,
        }
    }

    fn add(&mut self, other: Tally) {
        self.households += other.households;
        self.business += other.business;
        self.property_of_wages += other.property_of_wages;
        self.property_of_pensions += other.property_of_pensions;
        self.pensions += other.pensions;
        self.out_of_work += other.out_of_work;
    }
}

/// How many of the first partitions hold up to `cap` households, and how many households they hold.
fn leading(sizes: &[usize], cap: usize) -> (usize, usize) {
    let mut counted = 0;
    let partitions = sizes
        .iter()
        .take_while(|n| {
            let more = counted < cap;
            counted += if more { **n } else { 0 };
            more
        })
        .count();
    (partitions, counted)
}

/// The synthetic partitions and their calibration. The first pass, over the
/// first partitions up to `config.calibration_households` households (all of
/// them in a smaller run), counts households and their income: the weights
/// follow from the counts, and the factors on business income, property
/// income and pensions from the weighted amounts. Where the year's 低保 is
/// assessed, a second pass computes the first partitions up to
/// [`TAKE_UP_HOUSEHOLDS`] under the baseline, every household meeting the
/// conditions other than income: the take-up is the official count of
/// recipients over the persons who would qualify. A last pass computes them
/// again with that take-up to fit the imputed transfers ([`impute`]).
fn calibrate_synthetic(
    book: &RuleBook,
    config: &Config,
    (targets, t): (&targets::Targets, &targets::YearTargets),
    margins: &[calibrate::Margin],
    (ry, carry): (&run::RunYear, Option<minsheng_core::Rate>),
    progress: &(dyn Fn(Stage) + Sync),
) -> Result<SyntheticCalibration, SimError> {
    let sizes = partition_sizes(synthetic_households(config, targets), config.partition_size);
    let total: usize = sizes.iter().sum();
    let (sampled, counted) = leading(&sizes, config.calibration_households);
    // Each counted household stands for this many of the whole population.
    let share = total as f64 / counted.max(1) as f64;
    // Counts are whole numbers, exact in f64, so the order partitions are added in does not
    // matter for them; folding as they finish keeps memory to one table per thread.
    let all: FxHashMap<generate::CountsKey, Tally> = sizes[..sampled]
        .par_iter()
        .enumerate()
        .fold(FxHashMap::default, |mut g: FxHashMap<generate::CountsKey, Tally>, (i, &n)| {
            if config.cancel.is_set() {
                return g;
            }
            for h in generate::partition(config.seed, i as u64, n, targets, t, &generate::Amounts::DRAWN) {
                g.entry(h.counts().key()).or_default().add(Tally::of(&h));
            }
            progress(Stage::Calibrating(sampled));
            g
        })
        .reduce(FxHashMap::default, |mut a, b| {
            for (k, v) in b {
                a.entry(k).or_default().add(v);
            }
            a
        });
    config.cancel.check()?;
    let mut tallies: Vec<(generate::CountsKey, Tally)> = all.into_iter().collect();
    tallies.sort_by_key(|(k, _)| *k);
    let groups: Vec<(generate::Counts, f64)> =
        tallies.iter().map(|(k, v)| (generate::Counts::from_key(*k), v.households * share)).collect();
    let calibration = calibrate::solve(&groups, margins, 200);
    let achieved = (sampled == sizes.len())
        .then(|| margins.iter().map(|m| calibrate::achieved_grouped(&groups, &calibration, m)).collect());
    // The weighted amount, and the factor that brings it to the official total.
    let weighted = |amount: fn(&Tally) -> f64| -> f64 {
        tallies.iter().zip(&groups).map(|((_, v), (c, _))| amount(v) * share * calibration.weight(c)).sum()
    };
    let factor = |official: f64, simulated: f64| if simulated > 0.0 { official / simulated } else { 1.0 };
    let (sources, persons) = (&t.income_sources, t.population_wan.value * 1e4);
    // A year of last December's pension raised by the year's rise, as the rules pay it.
    let rise = minsheng_cn::pension::employee::average_rise(&book.baseline, t.year).map_or(0.0, |r| {
        use rust_decimal::prelude::ToPrimitive;
        r.to_decimal().to_f64().unwrap_or(0.0)
    });
    let pension = factor(report::pension_spending(t).0 * 1e8, weighted(|v| v.pensions) * 12.0 * (1.0 + rise));
    // Property income with pensions scaled: the part that follows pensions scales with them.
    let property = weighted(|v| v.property_of_wages) + pension * weighted(|v| v.property_of_pensions);
    let mut amounts = generate::Amounts {
        business: factor(sources.business * persons, weighted(|v| v.business)),
        property: factor(sources.property * persons, property),
        pension,
        dibao_take_up: 1.0,
        // Drawn with every one out of work a recipient: the share that makes the year's
        // recipients those its year-end count implies (`generate::SPELL_START_MONTHS`).
        unemployed_recipients: t.unemployment_recipients_year_end_wan.as_ref().map_or(0.0, |r| {
            let in_year = r.value
                * 1e4
                * f64::from(generate::SPELL_START_MONTHS)
                * (1.0 / f64::from(generate::SPELLS_PAID_IN_DECEMBER));
            (in_year / weighted(|v| v.out_of_work).max(1.0)).clamp(0.0, 1.0)
        }),
    };
    // One baseline for both passes.
    let baseline = scenarios(book, config, &[], carry);
    let sample = |amounts, stage| {
        sample_baseline(book, config, (targets, t), (&baseline, ry), (&sizes, &calibration, amounts), stage, progress)
    };
    if ry.assess_dibao {
        // Every household meeting the conditions other than income: who qualifies by income.
        let (_, qualifying) = sample(generate::Amounts { dibao_take_up: 1.0, ..amounts }, Stage::CountingEligible)?;
        let official = t.dibao_recipients_wan.value * 1e4;
        amounts.dibao_take_up = if qualifying > official { official / qualifying } else { 1.0 };
    }
    let imputation = match (&t.quintile_means, config.impute_transfers) {
        (Some(q), true) => impute::Imputation::fit(sample(amounts, Stage::Imputing)?.0, &q.values),
        _ => None,
    };
    Ok(SyntheticCalibration { sizes, calibration, amounts, imputation, achieved })
}

/// The first partitions, up to [`TAKE_UP_HOUSEHOLDS`] households, generated
/// with `amounts` and computed under the baseline: each household's baseline
/// income per person, weight and size; and the persons receiving 低保 they
/// stand for in the whole population.
fn sample_baseline(
    book: &RuleBook,
    config: &Config,
    (targets, t): (&targets::Targets, &targets::YearTargets),
    (baseline, ry): (&run::Scenarios, &run::RunYear),
    (sizes, calibration, amounts): (&[usize], &calibrate::Calibration, generate::Amounts),
    stage: fn(usize) -> Stage,
    progress: &(dyn Fn(Stage) + Sync),
) -> Result<(Vec<impute::Sampled>, f64), SimError> {
    let (partitions, counted) = leading(sizes, TAKE_UP_HOUSEHOLDS.min(config.calibration_households));
    let share = sizes.iter().sum::<usize>() as f64 / counted.max(1) as f64;
    let parts: Vec<Result<(Vec<impute::Sampled>, f64), run::RunError>> = (0..partitions)
        .into_par_iter()
        .map(|i| {
            if config.cancel.is_set() {
                return Ok((Vec::new(), 0.0));
            }
            let households = generate::partition(config.seed, i as u64, sizes[i], targets, t, &amounts);
            let weights: Vec<f64> = households.iter().map(|h| calibration.weight(&h.counts())).collect();
            let (mut sampled, mut members) = (Vec::with_capacity(households.len()), 0.0);
            run::run_partition(book, baseline, ry, (i, &households, &weights), false, |r| {
                let size = f64::from(r.size.max(1));
                let income = r.outcomes[0].disposable as f64 / 100.0 / size;
                sampled.push(impute::Sampled { income, weight: r.weight, size });
                members += r.weight * f64::from(r.outcomes[0].dibao_members) * share;
            })?;
            progress(stage(partitions));
            Ok((sampled, members))
        })
        .collect();
    config.cancel.check()?;
    let (mut all, mut members) = (Vec::with_capacity(counted), 0.0);
    for part in parts {
        let (mut sampled, m) = part?;
        all.append(&mut sampled);
        members += m;
    }
    Ok((all, members))
}

/// Runs the baseline and `reforms` over a population, calling `progress`
/// after each partition of each pass.
pub fn simulate(
    book: &RuleBook,
    config: &Config,
    population: Population,
    reforms: &[(String, ParamSet)],
    progress: &(dyn Fn(Stage) + Sync),
) -> Result<Outcome, SimError> {
    let mut kept = config.keep_results.then(Vec::new);
    let mut outcome = simulate_with(book, config, population, reforms, progress, &mut |_, results| {
        if let Some(all) = kept.as_mut() {
            all.extend(results);
        }
        Ok(())
    })?;
    outcome.households = kept;
    Ok(outcome)
}

/// Where [`simulate_with`] hands the households' results: the scenarios'
/// names and a batch of results, in partition order.
pub type ResultSink<'a> = dyn FnMut(&[String], Vec<HouseholdResult>) -> Result<(), SimError> + 'a;

/// Like [`simulate`], handing the households' results (when
/// `config.keep_results`) to `results` a batch at a time, in partition
/// order, with the scenarios' names, so that they can be written out as the
/// run goes in bounded memory; the outcome then holds none.
pub fn simulate_with(
    book: &RuleBook,
    config: &Config,
    population: Population,
    reforms: &[(String, ParamSet)],
    progress: &(dyn Fn(Stage) + Sync),
    results: &mut ResultSink<'_>,
) -> Result<Outcome, SimError> {
    let targets = targets::Targets::builtin()?;
    let t = targets.year(config.year)?.clone();
    let started = Instant::now();
    // A projection year runs the law as last known, carried forward, each scenario its own.
    let projected =
        t.projected.is_some().then(|| project_law(book, reforms, &targets.projection, config.year)).transpose()?;
    // The wage growth the law was carried forward with, for the kernel's check.
    let carry = projected.as_ref().map(|p| p.growth);
    let (book, reforms) = match &projected {
        Some(p) => (&p.book, p.reforms.as_slice()),
        None => (book, reforms),
    };
    let scenarios = scenarios(book, config, reforms, carry);
    let names: Vec<String> = scenarios.sets.iter().map(|(n, _)| n.clone()).collect();

    // Each partition: its households and weights, regenerated or taken from memory; and
    // what the population achieves of each margin, unless measured while simulating.
    let margins = calibrate::margins(&targets, &t);
    let ry = run::RunYear::of(&book.baseline, config.year)
        .assuming(t.dibao_standards_assumed.as_ref())
        .paying_unemployment(t.unemployment_benefit_monthly.as_ref())
        .with_preschool_fee(t.preschool_fee_per_semester.as_ref());
    // Whether the user's microdata has unemployment spells (the synthetic population always draws them).
    let mut microdata_spells = false;
    let (count, achieved, calibrated, source): (usize, Option<Vec<f64>>, _, PartitionSource) = match population {
        Population::Synthetic => {
            let SyntheticCalibration { sizes, calibration, amounts, imputation, achieved } =
                calibrate_synthetic(book, config, (&targets, &t), &margins, (&ry, carry), progress)?;
            let (seed, targets_c, t_c) = (config.seed, targets.clone(), t.clone());
            let count = sizes.len();
            let measure = achieved.is_none().then(|| margins.clone());
            let source = move |i: usize| {
                let households = generate::partition(seed, i as u64, sizes[i], &targets_c, &t_c, &amounts);
                let counts: Vec<generate::Counts> = households.iter().map(SynthHousehold::counts).collect();
                let weights: Vec<f64> = counts.iter().map(|c| calibration.weight(c)).collect();
                let margins = measure.iter().flatten().map(|m| calibrate::achieved(&counts, &weights, m)).collect();
                Partition { households, weights, margins }
            };
            (count, achieved, Some((amounts, imputation)), Box::new(source))
        }
        Population::Microdata(households, weights) => {
            microdata_spells = households.iter().any(|h| h.members.iter().any(|m| m.unemployment.is_some()));
            let counts: Vec<generate::Counts> = households.iter().map(SynthHousehold::counts).collect();
            let achieved = margins.iter().map(|m| calibrate::achieved(&counts, &weights, m)).collect();
            let sizes = partition_sizes(households.len(), config.partition_size);
            let starts: Vec<usize> = sizes
                .iter()
                .scan(0, |acc, n| {
                    let start = *acc;
                    *acc += n;
                    Some(start)
                })
                .collect();
            let count = sizes.len();
            let source = move |i: usize| {
                let range = starts[i]..starts[i] + sizes[i];
                Partition {
                    households: households[range.clone()].to_vec(),
                    weights: weights[range].to_vec(),
                    margins: Vec::new(),
                }
            };
            (count, Some(achieved), None, Box::new(source))
        }
    };

    let keep = config.keep_results;
    // Partitions run in parallel a batch at a time, and their aggregates are added in partition
    // order: memory stays bounded by one batch, and the sums do not depend on the threads.
    let imputation = calibrated.as_ref().and_then(|(_, i)| i.as_ref());
    let mut aggregates = Aggregates::new(names.len());
    let mut replicates = sampling::Replicates::new(count, names.len());
    let mut measured = vec![0.0; if achieved.is_none() { margins.len() } else { 0 }];
    let batch = rayon::current_num_threads().max(1) * 8;
    for first in (0..count).step_by(batch) {
        config.cancel.check()?;
        let parts: Vec<PartitionOutcome> = (first..(first + batch).min(count))
            .into_par_iter()
            .map(|i| {
                let p = source(i);
                let mut agg = Aggregates::new(names.len());
                let (mut local, mut n) = (replicates.local(), 0);
                let mut results = keep.then(Vec::new);
                run::run_partition(book, &scenarios, &ry, (i, &p.households, &p.weights), keep, |r| {
                    r.imputed_transfers = imputation.map_or(0, |f| f.household_fen(r.outcomes[0].disposable, r.size));
                    agg.add(r);
                    if let Some(local) = local.as_mut() {
                        sampling::Replicates::deal(local, (i, n), r);
                        n += 1;
                    }
                    if let Some(kept) = results.as_mut() {
                        kept.push(r.clone());
                    }
                })?;
                progress(Stage::Simulating(count));
                Ok((i, agg, local, p.margins, results))
            })
            .collect();
        for part in parts {
            let (i, agg, local, partial, kept) = part?;
            aggregates.merge(&agg);
            replicates.add(i, &agg, local);
            measured.iter_mut().zip(partial).for_each(|(total, v)| *total += v);
            if let Some(r) = kept {
                results(&names, r)?;
            }
        }
    }
    let margins: Vec<(calibrate::Margin, f64)> = margins.into_iter().zip(achieved.unwrap_or(measured)).collect();
    let facts = report::RunFacts {
        year: config.year,
        seed: config.seed,
        scenarios: &names,
        dibao_assessed: ry.assess_dibao,
        unemployment_modelled: ry.unemployment_benefit.is_some() && (calibrated.is_some() || microdata_spells),
        dibao_standards_assumed: ry.dibao_standards.and(t.dibao_standards_assumed.as_ref()).map(|d| {
            format!(
                "低保 at assumed standards 假定低保标准: {:.1} urban 城市, {:.1} rural 农村 元 per person and month: {}",
                d.urban_monthly,
                d.rural_monthly,
                d.cite()
            )
        }),
        projection: t.projected.clone().map(|how| {
            let carried = projected.as_ref().map_or(&[][..], |p| p.carried.as_slice());
            (how, carried.iter().map(carried_law).collect())
        }),
        calibrated: calibrated.as_ref().map(|(amounts, _)| amounts),
        imputation,
        seconds: started.elapsed().as_secs_f64(),
        threads: rayon::current_num_threads(),
    };
    let mut report = report::build(&facts, &aggregates, &margins, &t);
    let groups = replicates.reports(&aggregates, |g| report::build(&facts, g, &margins, &t));
    sampling::attach(&mut report, &groups);
    report::judge(&mut report.validation, &targets.validation_gaps);
    report.kernel_refused = scenarios.kernel_refused.clone();
    report.reforms_outside_year = reforms
        .iter()
        .filter(|(_, p)| !changes_in(p, book, config.year))
        .map(|(name, p)| report::OutsideYear {
            reform: name.clone(),
            years_changed: law_years(book).into_iter().filter(|&y| changes_in(p, book, y)).collect(),
        })
        .collect();
    Ok(Outcome { report, aggregates, households: None })
}
