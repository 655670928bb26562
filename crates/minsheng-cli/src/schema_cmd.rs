//! `minsheng schema`: the JSON Schemas of the shared schema (situation,
//! calculation document, error document), generated from the rule book.

use minsheng_cn::RuleBook;

use crate::error::CliError;

/// Which schema to print.
#[derive(Copy, Clone, Debug, clap::ValueEnum)]
pub enum Which {
    /// What `calc` reads.
    Situation,
    /// What `calc --json` prints.
    Calculation,
    /// What bad input gives under `--json`.
    Errors,
}

/// Arguments of `minsheng schema`.
#[derive(clap::Args)]
pub struct SchemaArgs {
    /// The schema to print.
    #[arg(value_enum)]
    which: Which,
}

/// Runs `minsheng schema`.
pub fn run(book: &RuleBook, args: &SchemaArgs) -> Result<String, CliError> {
    let doc = match args.which {
        Which::Situation => minsheng_calc::schema::situation(&book.registry),
        Which::Calculation => minsheng_calc::schema::calculation(&book.registry),
        Which::Errors => minsheng_calc::schema::errors(),
    };
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}
