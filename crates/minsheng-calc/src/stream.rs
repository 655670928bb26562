//! Streams of situations, one JSON situation a line (NDJSON), each computed
//! on its own and answered by one line: its calculation document, or an
//! error document for a bad line, which does not stop the others. Lines are
//! computed in parallel a batch at a time and answered in order, so memory
//! is bounded by one batch whatever the length of the stream.

use std::io::{self, BufRead, Write};

use minsheng_cn::RuleBook;
use minsheng_core::situation::Format;
use minsheng_core::{EvalError, InputError};
use rayon::prelude::*;

use crate::document::{DocumentWriter, PartJson, error_document};
use crate::{Outputs, Part, Scenario};

/// Lines computed in parallel before they are written.
const LINES_PER_BATCH: usize = 512;

/// How a stream went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamSummary {
    /// Situations read (non-blank lines).
    pub situations: usize,
    /// Of which refused as bad input.
    pub bad: usize,
    /// Of which failed on a bug of the rules.
    pub internal: usize,
    /// Of the others, those with figures unknown or computed on an assumption.
    pub with_unknowns: usize,
}

/// Why one line got no calculation.
enum LineError {
    Input(Vec<InputError>),
    Internal(String),
}

/// A line's answer: its document, and whether it has unknown figures.
type LineAnswer = Result<(Vec<u8>, bool), LineError>;

/// Computes one line's situation: its document, one line of JSON.
fn line_document(
    book: &RuleBook,
    line: &str,
    scenarios: &[Scenario<'_>],
    outputs: &Outputs,
    strict: bool,
) -> LineAnswer {
    let situation = book.situation(line, Format::Json).map_err(|e| LineError::Input(vec![e]))?;
    let vars = outputs.variables(&book.registry);
    let ids: Vec<String> = scenarios.iter().map(|s| s.id.clone()).collect();
    let io = |e: io::Error| LineError::Internal(e.to_string());
    let mut doc = DocumentWriter::begin(Vec::new(), situation.year, scenarios).map_err(io)?;
    for part in situation.into_components() {
        let part = Part::compute(book, part, scenarios, outputs).map_err(|e| match e {
            EvalError::Input(i) => LineError::Input(vec![i]),
            other => LineError::Internal(other.to_string()),
        })?;
        doc.part(PartJson::render(&book.registry, &part, &ids, &vars)).map_err(io)?;
    }
    let findings = doc.findings();
    if strict && !findings.is_empty() {
        let refused = findings
            .unknowns
            .iter()
            .chain(&findings.notices)
            .map(|f| {
                let field = f.unknown.field.clone().or_else(|| f.unknown.parameter.clone()).unwrap_or_default();
                InputError::new(field, "(unknown)", format!("--strict: {}", f.unknown)).zh(format!(
                    "--strict：{}；{}",
                    f.unknown.reason.zh,
                    f.unknown.remedy_zh()
                ))
            })
            .collect();
        return Err(LineError::Input(refused));
    }
    let unknown = !findings.is_empty();
    Ok((doc.finish().map_err(io)?, unknown))
}

/// The next line of `input` without its end, reading at most `max` bytes:
/// a longer line (or one that is not UTF-8) is an `InvalidData` error naming
/// line `n`, so a stream without line ends cannot fill memory.
fn next_line<R: BufRead>(input: &mut R, max: u64, n: usize) -> io::Result<Option<String>> {
    let mut bytes = Vec::new();
    let read = io::Read::take(&mut *input, max.saturating_add(1)).read_until(b'\n', &mut bytes)?;
    if read == 0 {
        return Ok(None);
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
    } else if bytes.len() as u64 > max {
        let message = format!("line {n} is longer than {max} bytes; give one situation a line");
        return Err(io::Error::new(io::ErrorKind::InvalidData, message));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, format!("line {n} is not UTF-8 text")))
}

/// Reads situations line by line from `input` and writes one line each to
/// `out`; blank lines are skipped. An I/O error stops the stream; a bad
/// situation only gets its error line, and so, with `strict`, does one with
/// unknown figures. A line longer than `max_line` bytes stops the stream.
pub fn run_stream(
    book: &RuleBook,
    input: impl BufRead,
    scenarios: &[Scenario<'_>],
    outputs: &Outputs,
    strict: bool,
    max_line: u64,
    out: &mut dyn Write,
) -> io::Result<StreamSummary> {
    let mut summary = StreamSummary::default();
    let mut input = input;
    let mut n = 0;
    loop {
        let mut batch = Vec::with_capacity(LINES_PER_BATCH);
        // A broken stream is reported after the lines read before the break are answered.
        let mut broken = None;
        while batch.len() < LINES_PER_BATCH {
            n += 1;
            match next_line(&mut input, max_line, n) {
                Ok(None) => break,
                Ok(Some(line)) if line.trim().is_empty() => {}
                Ok(Some(line)) => batch.push((n, line)),
                Err(e) => {
                    broken = Some(e);
                    break;
                }
            }
        }
        if batch.is_empty() {
            return broken.map_or(Ok(summary), Err);
        }
        let answers: Vec<(usize, LineAnswer)> = batch
            .into_par_iter()
            .map(|(n, line)| (n, line_document(book, &line, scenarios, outputs, strict)))
            .collect();
        for (n, answer) in answers {
            summary.situations += 1;
            match answer {
                Ok((doc, unknown)) => {
                    summary.with_unknowns += usize::from(unknown);
                    out.write_all(&doc)?;
                }
                Err(LineError::Input(errors)) => {
                    summary.bad += 1;
                    writeln!(out, "{}", error_document(Some(n), &errors))?;
                }
                Err(LineError::Internal(message)) => {
                    summary.internal += 1;
                    let internal = InputError::new("(internal)", "(bug)", message);
                    writeln!(out, "{}", error_document(Some(n), std::slice::from_ref(&internal)))?;
                }
            }
        }
        if let Some(e) = broken {
            return Err(e);
        }
    }
}
