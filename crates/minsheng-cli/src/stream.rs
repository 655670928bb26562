//! `minsheng calc` on a stream of situations (`.ndjson`, or `--format
//! ndjson`): one JSON situation a line in, one calculation document (or
//! error document) a line out, in bounded memory.

use std::io::BufReader;
use std::path::Path;

use minsheng_calc::stream::run_stream;
use minsheng_calc::{Outputs, Scenario};
use minsheng_cn::RuleBook;

use crate::error::{CliError, max_input};

/// Computes every line of `path` (`-`: standard input) and writes the answers to `out`.
pub fn run(
    book: &RuleBook,
    path: &Path,
    scenarios: &[Scenario<'_>],
    outputs: &Outputs,
    strict: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let summary = if path == Path::new("-") {
        run_stream(book, std::io::stdin().lock(), scenarios, outputs, strict, max_input(), out)
    } else {
        let file = crate::error::open_input(path)?;
        run_stream(book, BufReader::new(file), scenarios, outputs, strict, max_input(), out)
    }
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData => CliError::Input(format!("{}: {e}", path.display())),
        _ => CliError::from_write(e),
    })?;
    if summary.internal > 0 {
        return Err(CliError::Internal(format!(
            "{} of {} situations failed on a bug of the rules (their lines say which)",
            summary.internal, summary.situations
        )));
    }
    if summary.with_unknowns > 0 {
        eprintln!(
            "warning: {} of {} situations have unknown figures; their `unknowns` and `notices` say which (--strict refuses them)",
            summary.with_unknowns, summary.situations
        );
    }
    if summary.bad > 0 {
        return Err(CliError::Input(format!(
            "{} of {} situations were refused; their lines in the output name the field, the value and the rule",
            summary.bad, summary.situations
        )));
    }
    Ok(())
}
