//! The two kinds of failure and their exit codes.

use minsheng_core::EvalError;

/// A failure of a command.
#[derive(Debug)]
pub enum CliError {
    /// Bad input: exit code 2.
    Input(String),
    /// Bad input in a situation: every error found, each with its field,
    /// value and rule (exit code 2; JSON under `--json`).
    Invalid {
        /// What was read: the file, or standard input.
        source: String,
        /// The errors.
        errors: Vec<minsheng_core::InputError>,
    },
    /// A bug or a broken rule book: exit code 1.
    Internal(String),
    /// The reader closed standard output (`| head`): stop quietly.
    Closed,
}

impl From<EvalError> for CliError {
    fn from(e: EvalError) -> CliError {
        match e {
            EvalError::Input(i) => CliError::Invalid { source: String::new(), errors: vec![i] },
            other => CliError::Internal(other.to_string()),
        }
    }
}

impl CliError {
    /// The message for people, in `lang` where the rule has been put in Chinese.
    pub fn invalid_message(source: &str, errors: &[minsheng_core::InputError], lang: minsheng_core::Lang) -> String {
        let lines: Vec<String> = errors.iter().map(|e| e.message(lang)).collect();
        let prefix = if source.is_empty() { String::new() } else { format!("{source}: ") };
        match lines.as_slice() {
            [one] => format!("{prefix}{one}"),
            many => {
                let head = match lang {
                    minsheng_core::Lang::Zh => format!("{prefix}共 {} 处输入错误：", many.len()),
                    minsheng_core::Lang::En => format!("{prefix}{} input errors:", many.len()),
                    minsheng_core::Lang::Both => format!("{prefix}{} input errors 处输入错误:", many.len()),
                };
                format!("{head}\n  {}", many.join("\n  "))
            }
        }
    }

    /// A failure to write the spool that holds output until the run succeeded.
    pub fn spool(e: std::io::Error) -> CliError {
        CliError::Internal(format!("writing the output to a temporary file: {e}"))
    }

    /// A failure to write the output (a closed pipe ends the run quietly).
    pub fn from_write(e: std::io::Error) -> CliError {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::Closed
        } else {
            CliError::Internal(format!("writing the output: {e}"))
        }
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> CliError {
        CliError::Internal(format!("writing JSON: {e}"))
    }
}

/// The largest file or standard input read whole, in bytes (`--max-input-mb` raises it).
static MAX_INPUT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(256 << 20);

/// Sets the largest input read whole, in megabytes.
pub fn set_max_input_mb(mb: u64) {
    MAX_INPUT.store(mb.saturating_mul(1 << 20), std::sync::atomic::Ordering::Relaxed);
}

/// The largest input read whole, in bytes.
pub fn max_input() -> u64 {
    MAX_INPUT.load(std::sync::atomic::Ordering::Relaxed)
}

/// Reads at most the input limit from `reader` as UTF-8 text; `name` names it in errors.
pub fn read_bounded(reader: impl std::io::Read, name: &str) -> Result<String, CliError> {
    use std::io::Read;
    let limit = max_input();
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Input(format!("{name}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(CliError::Input(format!(
            "{name}: larger than {} MB; give a stream of households (.ndjson), or raise the limit with --max-input-mb",
            limit >> 20
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        CliError::Input(format!("{name}: line {line} (byte {at}) is not UTF-8 text; save the file as UTF-8"))
    })
}

/// Opens a file named on the command line for reading: a regular file only
/// (a device, a pipe or a folder is refused, so `/dev/zero` cannot be read
/// without end); a missing file is bad input.
pub fn open_input(path: &std::path::Path) -> Result<std::fs::File, CliError> {
    let bad = |e: String| CliError::Input(format!("{}: {e}", path.display()));
    let meta = std::fs::metadata(path).map_err(|e| bad(e.to_string()))?;
    if !meta.is_file() {
        return Err(bad("not a regular file; give a file, or - for standard input".into()));
    }
    std::fs::File::open(path).map_err(|e| bad(e.to_string()))
}

/// Reads a file named on the command line: a regular file within the input limit.
pub fn read_file(path: &std::path::Path) -> Result<String, CliError> {
    read_bounded(open_input(path)?, &path.display().to_string())
}
