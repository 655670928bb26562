//! # minsheng-calc
//!
//! The household path of minsheng (民生): a situation in, its figures out,
//! under the baseline and any reforms, in the one JSON schema that the CLI,
//! the HTTP API and the Python package share ([`document`]).
//!
//! A situation is split into its independent parts ([`Situation::into_components`]:
//! the persons linked by a household or a claim), each computed by its own
//! evaluator. Time and memory therefore grow with the number of persons, not
//! its square, and parts are computed in parallel a batch at a time, in order.
//!
//! ```
//! use minsheng_calc::{Outputs, Scenario, calculate};
//! use minsheng_cn::{RuleBook, iit::annual::TOTAL};
//! use minsheng_core::{Entity, EvalError, Period, situation::Format};
//!
//! let book = RuleBook::embedded().unwrap();
//! let text = "year: 2024\npersons:\n  me: {wage: {2024-01..2024-12: 10000}}\n";
//! let situation = book.situation(text, Format::Yaml).unwrap();
//! let mut tax = Vec::new();
//! calculate(&book, situation, &[Scenario::baseline(&book.baseline)], &Outputs::All, |part| {
//!     tax.push(part.figures[0].get(&book.registry, &TOTAL, Entity::Person(0), Period::Year(2024)).clone());
//!     Ok::<(), EvalError>(())
//! })
//! .unwrap();
//! // (120,000 − 60,000) × 10% − 2,520 (个人所得税法 附表一).
//! assert_eq!(tax[0].to_string(), "3,480.00");
//! ```

pub mod axis;
pub mod document;
pub mod explain;
mod figures;
pub mod findings;
pub mod projection;
pub mod schema;
pub mod stream;

use minsheng_cn::RuleBook;
use minsheng_core::{EvalError, Label, ParamSet, Situation};
use rayon::prelude::*;

pub use figures::{Figures, OutputError, Outputs, periods};

/// A set of parameters to compute under: the baseline or a reform.
#[derive(Clone, Debug)]
pub struct Scenario<'a> {
    /// Its id in results: `baseline`, or the reform's name.
    pub id: String,
    /// Its name in Chinese and English.
    pub label: Label,
    /// The parameters.
    pub params: &'a ParamSet,
}

impl<'a> Scenario<'a> {
    /// The id of the baseline scenario, which no reform may take.
    pub const BASELINE: &'static str = "baseline";

    /// The law as it stands.
    pub fn baseline(params: &'a ParamSet) -> Scenario<'a> {
        Scenario {
            id: Scenario::BASELINE.into(),
            label: Label { zh: "现行政策".into(), en: "Current law".into() },
            params,
        }
    }
}

/// One independent part of a situation and its figures under each scenario.
#[derive(Clone, Debug)]
pub struct Part {
    /// The part, as a situation of its own (persons re-indexed from 0).
    pub situation: Situation,
    /// Its figures, one per scenario in the order given.
    pub figures: Vec<Figures>,
}

impl Part {
    /// Computes one part under every scenario.
    pub fn compute(
        book: &RuleBook,
        situation: Situation,
        scenarios: &[Scenario<'_>],
        outputs: &Outputs,
    ) -> Result<Part, EvalError> {
        let vars = outputs.variables(&book.registry);
        let figures = scenarios
            .iter()
            .map(|s| Figures::compute(&book.registry, s.params, &situation, &vars))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Part { situation, figures })
    }

    /// The work done for this part, over every scenario: figures asked of the evaluators.
    pub fn work(&self) -> u64 {
        self.figures.iter().map(Figures::work).sum()
    }
}

/// How many parts are computed in parallel before they are handed on in
/// order: enough to keep every core busy, few enough to bound memory.
const BATCH: usize = 256;

/// Computes every part of `situation` under `scenarios` and hands each to
/// `sink` in the order of its first person. Parts are computed in parallel a
/// batch at a time; memory is bounded by one batch. The first error, from a
/// rule or from `sink`, stops the run.
pub fn calculate<E: From<EvalError> + Send>(
    book: &RuleBook,
    situation: Situation,
    scenarios: &[Scenario<'_>],
    outputs: &Outputs,
    sink: impl FnMut(Part) -> Result<(), E>,
) -> Result<(), E> {
    calculate_rendered(book, situation, scenarios, outputs, |part| part.map_err(E::from), sink)
}

/// Like [`calculate`], with each part's outcome (its figures, or the error
/// that stopped it) turned by `render` (a table, a JSON fragment, an error to
/// report beside others) where it was computed, in parallel, before `sink`
/// takes it in order.
pub fn calculate_rendered<T: Send, E: From<EvalError> + Send>(
    book: &RuleBook,
    situation: Situation,
    scenarios: &[Scenario<'_>],
    outputs: &Outputs,
    render: impl Fn(Result<Part, EvalError>) -> Result<T, E> + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let mut parts = situation.into_components().into_iter().peekable();
    while parts.peek().is_some() {
        let batch: Vec<Situation> = parts.by_ref().take(BATCH).collect();
        let done: Vec<Result<T, E>> =
            batch.into_par_iter().map(|s| render(Part::compute(book, s, scenarios, outputs))).collect();
        for item in done {
            sink(item?)?;
        }
    }
    Ok(())
}
