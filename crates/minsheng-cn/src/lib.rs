//! # minsheng-cn
//!
//! China's livelihood rules for minsheng (民生): the rule book, 2019–2030 (2028–2030 where the law is known).
//!
//! The programmes, each a module of variables with its rules' arithmetic as
//! pure functions beside them:
//! - [`person`]: what every programme reads of a person (date of birth, wages);
//! - [`iit`]: individual income tax of resident individuals (withholding, the
//!   special additional deductions, prepayments, the annual settlement);
//! - [`social_insurance`]: employee and flexible workers' contributions and the
//!   housing fund (五险一金), by locality;
//! - [`pension`]: the retirement age and its 2025 increase, the elastic window,
//!   the employee pension and the residents' pension;
//! - [`unemployment`], [`medical`] (residents' medical insurance, public
//!   health funding), [`reimbursement`] (inpatient costs), [`childcare`] (the
//!   2025 subsidy), [`preschool`] (free preschool from autumn 2025),
//!   [`assistance`] (低保), [`destitute`] (特困供养);
//! - [`statement`]: each person's income, take-home pay, employer cost and
//!   disposable income; [`household`]: the household's lines;
//! - [`views`]: what the tables of the command line, the API and the web page show;
//! - [`kernel`]: the year kernel, the same arithmetic wired straight through a
//!   year for population runs.
//!
//! The parameters live in the repository's `rules/` folder and the ready
//! reforms in `reforms/`, both embedded at build time ([`shipped_reforms`]);
//! [`RuleBook::from_dir`] reads another rules folder instead.

pub mod assistance;
pub mod childcare;
mod define;
pub mod destitute;
pub mod household;
pub mod iit;
pub mod kernel;
pub mod medical;
pub mod pension;
pub mod person;
pub mod preschool;
pub mod reimbursement;
pub mod social_insurance;
pub mod statement;
pub mod unemployment;
mod util;
mod validate;
pub mod views;

use std::path::Path;

use minsheng_core::params::{LoadError, RuleFile, load_rules};
use minsheng_core::situation::Format;
use minsheng_core::variable::RegistryError;
use minsheng_core::{InputError, ParamSet, Registry, Situation, Variable};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// Every variable of the rule book, inputs first.
pub fn variables() -> Vec<&'static Variable> {
    let mut all = Vec::new();
    all.extend_from_slice(person::INPUTS);
    all.extend_from_slice(iit::inputs::ALL);
    all.extend_from_slice(pension::inputs::ALL);
    all.extend_from_slice(unemployment::INPUTS);
    all.extend_from_slice(social_insurance::inputs::ALL);
    all.extend_from_slice(medical::INPUTS);
    all.extend_from_slice(assistance::INPUTS);
    all.extend_from_slice(destitute::INPUTS);
    all.extend_from_slice(reimbursement::INPUTS);
    all.extend_from_slice(preschool::INPUTS);
    all.extend_from_slice(iit::VARIABLES);
    all.extend_from_slice(pension::VARIABLES);
    all.extend_from_slice(unemployment::VARIABLES);
    all.extend_from_slice(social_insurance::VARIABLES);
    all.extend_from_slice(medical::VARIABLES);
    all.extend_from_slice(childcare::VARIABLES);
    all.extend_from_slice(preschool::VARIABLES);
    all.extend_from_slice(assistance::VARIABLES);
    all.extend_from_slice(destitute::VARIABLES);
    all.extend_from_slice(reimbursement::VARIABLES);
    all.extend_from_slice(statement::PERSON_VARIABLES);
    all.extend_from_slice(household::VARIABLES);
    all
}

/// The embedded rule book's parameters, loaded once: the structure every
/// rules folder is checked against.
fn embedded_params() -> Result<&'static ParamSet, BookError> {
    static PARAMS: std::sync::OnceLock<Result<ParamSet, String>> = std::sync::OnceLock::new();
    PARAMS
        .get_or_init(|| load_rules(&embedded_files()).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| BookError::Io { path: "(embedded rules)".into(), error: std::io::Error::other(e.clone()) })
}

/// The files of the embedded rules folder (paths relative to it).
pub fn embedded_files() -> Vec<RuleFile> {
    embedded::EMBEDDED.iter().map(|(path, text)| RuleFile { path: path.to_string(), text: text.to_string() }).collect()
}

/// A reform shipped with the rule book (the repository's `reforms/` folder).
#[derive(Clone, Copy, Debug)]
pub struct ShippedReform {
    /// Its name: the file name without `.yaml` (`gwr-2022`).
    pub name: &'static str,
    /// The reform file's text.
    pub text: &'static str,
}

/// The shipped reforms, by name.
///
/// # Example
/// ```
/// let gwr = minsheng_cn::shipped_reform("gwr-2022").unwrap();
/// assert!(minsheng_core::Reform::from_yaml(gwr.text).is_ok());
/// assert!(minsheng_cn::shipped_reform("../rules/x").is_none());
/// ```
pub fn shipped_reforms() -> impl Iterator<Item = ShippedReform> {
    embedded::REFORMS
        .iter()
        .map(|(path, text)| ShippedReform { name: path.strip_suffix(".yaml").unwrap_or(path), text })
}

/// The shipped reform called `name`, if there is one.
pub fn shipped_reform(name: &str) -> Option<ShippedReform> {
    shipped_reforms().find(|r| r.name == name)
}

/// Why the rule book could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum BookError {
    /// The rules folder is invalid.
    #[error("rules folder: {0}")]
    Load(#[from] LoadError),
    /// The variables do not hold together (a bug).
    #[error("variables: {0}")]
    Registry(#[from] RegistryError),
    /// A file could not be read.
    #[error("{path}: {error}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        error: std::io::Error,
    },
}

/// The variables and the baseline parameters.
pub struct RuleBook {
    /// The variables.
    pub registry: Registry,
    /// The baseline parameters (the law as it stands).
    pub baseline: ParamSet,
}

impl RuleBook {
    /// The rule book with the rules folder embedded in the binary.
    pub fn embedded() -> Result<RuleBook, BookError> {
        RuleBook::from_files(&embedded_files())
    }

    /// The rule book of a rules folder given as its files (paths relative
    /// to the folder), checked as [`RuleBook::from_dir`] checks a folder.
    pub fn from_folder_files(files: &[RuleFile]) -> Result<RuleBook, BookError> {
        let book = RuleBook::from_files(files)?;
        check_structure(&book.baseline, embedded_params()?)?;
        Ok(book)
    }

    /// The rule book with the rules folder at `dir`, checked completely: it
    /// has the parameters of the embedded rule book, each of the same type
    /// (localities may be added), and no other.
    pub fn from_dir(dir: &Path) -> Result<RuleBook, BookError> {
        let mut files = Vec::new();
        read_dir(dir, dir, &mut files)?;
        RuleBook::from_folder_files(&files)
    }

    /// The embedded rule book with the folder at `dir` laid over it: each of
    /// its files adds to the book or replaces the file of the same path (a
    /// locality of the user's own: `params/local/<id>.yaml`, with the keys of
    /// `national.yaml`), and its `sources.yaml`, if any, adds documents to the
    /// embedded ones. Checked as [`RuleBook::from_dir`] checks a whole folder.
    ///
    /// # Errors
    /// A file that cannot be read, a document cited by an id the embedded and
    /// the overlay's sources both define, or any error of the resulting folder,
    /// naming the file (relative to `dir`) and the key.
    pub fn with_overlay(dir: &Path) -> Result<RuleBook, BookError> {
        let mut theirs = Vec::new();
        read_dir(dir, dir, &mut theirs)?;
        let mut files = embedded_files();
        for file in theirs {
            match files.iter_mut().find(|f| f.path == file.path) {
                // Documents are added, not replaced: a second definition of an id is refused by the loader.
                Some(sources) if file.path == "sources.yaml" => {
                    sources.text.push('\n');
                    sources.text.push_str(&file.text);
                }
                Some(same) => *same = file,
                None => files.push(file),
            }
        }
        RuleBook::from_folder_files(&files)
    }

    /// The same variables over another parameter set (the law carried
    /// forward into a projection year, say).
    pub fn with_baseline(&self, baseline: ParamSet) -> Result<RuleBook, BookError> {
        Ok(RuleBook { registry: Registry::new(&variables())?, baseline })
    }

    fn from_files(files: &[RuleFile]) -> Result<RuleBook, BookError> {
        let baseline = load_rules(files)?;
        check_localities(&baseline)?;
        Ok(RuleBook { registry: Registry::new(&variables())?, baseline })
    }

    /// Reads a situation and checks it against the variables, the covered
    /// years and the rules on how deductions may be shared; the first error
    /// (see [`RuleBook::read_situation`] for all).
    pub fn situation(&self, text: &str, format: Format) -> Result<Situation, InputError> {
        self.read_situation(text, format).map_err(|mut errors| errors.swap_remove(0))
    }

    /// Reads a situation and checks it, reporting every input error at once.
    pub fn read_situation(&self, text: &str, format: Format) -> Result<Situation, Vec<InputError>> {
        let situation = Situation::read(text, format, &self.registry, self.baseline.model())?;
        let errors = validate::check(&situation, &self.baseline);
        if errors.is_empty() { Ok(situation) } else { Err(errors) }
    }
}

/// A rules folder has the embedded rule book's parameters, with the same
/// types, and no other (the formulas read exactly those); locality files
/// beside `national` are checked by [`check_localities`].
fn check_structure(folder: &ParamSet, embedded: &ParamSet) -> Result<(), BookError> {
    let is_local = |path: &str| path.starts_with("local.") && !path.starts_with("local.national.");
    for p in embedded.iter().filter(|p| !is_local(&p.path)) {
        match folder.get(&p.path) {
            None => {
                let message = format!("`{}` is missing: the rules read it ({})", p.path, p.file);
                return Err(LoadError { file: p.file.clone(), key: Some(p.path.clone()), message }.into());
            }
            Some(q) if q.kind != p.kind => {
                let message = format!("`{}` is a {} here, but the rules read a {}", p.path, q.kind, p.kind);
                return Err(LoadError { file: q.file.clone(), key: Some(p.path.clone()), message }.into());
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = folder.iter().find(|p| !is_local(&p.path) && embedded.get(&p.path).is_none()) {
        let message = format!("`{}` is not a parameter of the rule book: no rule reads it", extra.path);
        return Err(LoadError { file: extra.file.clone(), key: Some(extra.path.clone()), message }.into());
    }
    Ok(())
}

/// Every locality file sets exactly the keys of the national default.
fn check_localities(params: &minsheng_core::ParamSet) -> Result<(), BookError> {
    let keys = |loc: &str| -> Vec<String> {
        let prefix = format!("local.{loc}.");
        params.iter().filter_map(|p| p.path.strip_prefix(&prefix).map(str::to_string)).collect()
    };
    let national = keys("national");
    if national.is_empty() {
        return Err(LoadError {
            file: "params/local/national.yaml".into(),
            key: None,
            message: "the national default locality is missing".into(),
        }
        .into());
    }
    for loc in validate::localities(params) {
        let own = keys(&loc);
        let file = format!("params/local/{loc}.yaml");
        if let Some(missing) = national.iter().find(|k| !own.contains(k)) {
            let message =
                "a locality sets every key of national.yaml (mark what it does not publish `in_force: false`)";
            return Err(LoadError { file, key: Some(missing.clone()), message: message.into() }.into());
        }
        if let Some(extra) = own.iter().find(|k| !national.contains(k)) {
            return Err(LoadError {
                file,
                key: Some(extra.clone()),
                message: "not a key of national.yaml: no rule reads it".into(),
            }
            .into());
        }
    }
    Ok(())
}

fn read_dir(dir: &Path, root: &Path, out: &mut Vec<RuleFile>) -> Result<(), BookError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |error| BookError::Io { path, error }
    };
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.is_dir() {
            read_dir(&path, root, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).map_err(io(&path))?;
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            out.push(RuleFile { path: rel, text });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_rule_book_loads() {
        let book = RuleBook::embedded().unwrap();
        assert!(book.baseline.iter().count() >= 30);
        assert!(book.registry.iter().count() >= 70);
    }

    /// Every parameter a formula declares exists, and every parameter is read
    /// by some formula: no dangling reads, no dead data.
    #[test]
    fn declared_parameters_exist_and_all_are_used() {
        let book = RuleBook::embedded().unwrap();
        let localities = validate::localities(&book.baseline);
        for var in book.registry.iter() {
            for path in var.params() {
                for loc in &localities {
                    let resolved = path.replacen('*', loc, 1);
                    assert!(book.baseline.get(&resolved).is_some(), "{} reads missing parameter {resolved}", var.name);
                }
            }
        }
        for p in book.baseline.iter() {
            let pattern = match p.path.strip_prefix("local.").and_then(|rest| rest.split_once('.')) {
                Some((_, key)) => format!("local.*.{key}"),
                None => p.path.clone(),
            };
            assert!(!book.registry.readers_of_param(&pattern).is_empty(), "no formula reads {}", p.path);
        }
    }

    /// What the population run reads of the pension rules by year: the
    /// average rise (Xinhua: 4% in 2022, 3% in 2024) and the residents'
    /// minimum contribution.
    #[test]
    fn pension_rules_are_read_by_year_for_the_population() {
        let book = RuleBook::embedded().unwrap();
        let rise = |year| pension::employee::average_rise(&book.baseline, year);
        assert_eq!(rise(2022), Some(minsheng_core::Rate::from_percent(4)));
        assert_eq!(rise(2024), Some(minsheng_core::Rate::from_percent(3)));
        assert_eq!(rise(40_000), None, "outside the calendar");
        // 国发〔2014〕8号 第七条: 15 years.
        assert_eq!(pension::resident::minimum_months(&book.baseline, 2024), Some(180));
    }

    /// The shipped localities pass the load-time check of their keys.
    #[test]
    fn shipped_localities_are_complete() {
        let book = RuleBook::embedded().unwrap();
        assert!(check_localities(&book.baseline).is_ok());
        assert!(validate::localities(&book.baseline).contains(&"national".to_string()));
    }
}
